import type { RequestView } from '../drivers/driver.js';
import type { EnvironSnapshot } from '../probes/environ-snapshot.js';
import type { Ledger } from './ledger.js';
import { percentDecode } from '../drivers/percent.js';

const MAPPABLE = /^[A-Za-z0-9-]+$/;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function isByteString(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return false;
  return true;
}

export interface ExpectationOptions {
  rawTarget: boolean;
  remoteAddress: boolean;
  /** The driver delivers header lines in order and separately (raw sockets). */
  rawHeaders: boolean;
}

/**
 * Compares the environ a host built with what the platform showed it (the driver's view of
 * the request): every CGI key, the header mapping, tsgi.headers. Each comparison is one
 * check of its clause.
 */
export function checkEnvironAgainstView(snapshot: EnvironSnapshot, view: RequestView, ledger: Ledger, options: ExpectationOptions): void {
  const cgi = snapshot.cgi;
  const expect = (ok: boolean, clause: string, subject: string, expectation: string, value: unknown) => ledger.expect(ok, clause, 'host', subject, expectation, value);
  for (const [key, value] of Object.entries(cgi)) {
    expect(typeof value === 'string' && isByteString(value), 'ENV-2', `environ.${key}`, 'must be a ByteString', value);
  }
  expect(cgi.REQUEST_METHOD === view.method, 'ENV-6', 'environ.REQUEST_METHOD', `must be the method as received (${JSON.stringify(view.method)})`, cgi.REQUEST_METHOD);
  const path = String(cgi.SCRIPT_NAME ?? '') + String(cgi.PATH_INFO ?? '');
  expect(path === view.pathInfo, options.rawTarget ? 'ENV-9' : 'ENV-8', 'environ.SCRIPT_NAME + PATH_INFO', `must be the percent-decoded path ${JSON.stringify(view.pathInfo)}`, path);
  if (options.rawTarget) ledger.pass('ENV-8');
  if (view.queryMatch === 'fields') {
    const fields = (q: unknown) => (typeof q === 'string' ? q.split('&').filter(Boolean).map((f) => percentDecode(f.includes('=') ? f : `${f}=`)).sort().join('&') : q);
    expect(fields(cgi.QUERY_STRING) === fields(view.queryString), 'LAMBDA-7', 'environ.QUERY_STRING', `must hold the fields ${JSON.stringify(view.queryString)}, each percent-encoded`, cgi.QUERY_STRING);
  } else expect(cgi.QUERY_STRING === view.queryString, 'ENV-12', 'environ.QUERY_STRING', `must be the raw query ${JSON.stringify(view.queryString)}`, cgi.QUERY_STRING);
  if (view.requestUri !== undefined) {
    expect(cgi.REQUEST_URI === view.requestUri, options.rawTarget ? 'ENV-13' : 'ENV-14', 'environ.REQUEST_URI', `must be ${JSON.stringify(view.requestUri)}`, cgi.REQUEST_URI);
  }
  if (view.serverName !== undefined) {
    expect(String(cgi.SERVER_NAME).toLowerCase() === view.serverName.toLowerCase(), 'ENV-15', 'environ.SERVER_NAME', `must be the host of the authority (${view.serverName})`, cgi.SERVER_NAME);
  }
  if (view.serverPort !== undefined) expect(cgi.SERVER_PORT === view.serverPort, 'ENV-16', 'environ.SERVER_PORT', `must be ${view.serverPort}`, cgi.SERVER_PORT);
  if (view.protocol !== undefined) expect(cgi.SERVER_PROTOCOL === view.protocol, 'ENV-17', 'environ.SERVER_PROTOCOL', `must be ${view.protocol}`, cgi.SERVER_PROTOCOL);
  expect(snapshot.scheme === view.scheme, 'ENV-25', "environ['tsgi.url_scheme']", `must be '${view.scheme}'`, snapshot.scheme);
  if (options.remoteAddress) {
    const addr = cgi.REMOTE_ADDR;
    const ok = view.remoteAddress !== undefined ? addr === view.remoteAddress : typeof addr === 'string' && LOOPBACK.has(addr);
    expect(ok, 'ENV-19', 'environ.REMOTE_ADDR', `must be the client's address (${view.remoteAddress ?? '127.0.0.1'})`, addr);
  }
  checkHeaderMapping(cgi, snapshot.headers, view, expect, options);
  expect(Array.isArray(snapshot.version) && snapshot.version[0] === 1 && snapshot.version[1] === 0 && snapshot.inputTerminated === true, 'ENV-24', "environ['tsgi.version'] and ['tsgi.input_terminated']", 'must be [1, 0] and true', [snapshot.version, snapshot.inputTerminated]);
  expect(typeof snapshot.multithread === 'boolean' && typeof snapshot.multiprocess === 'boolean' && typeof snapshot.runOnce === 'boolean', 'ENV-27', 'the tsgi.multithread, multiprocess and run_once flags', 'must be booleans', [snapshot.multithread, snapshot.multiprocess, snapshot.runOnce]);
  expect(snapshot.prototypeOk, 'ENV-1', 'environ', 'must be a plain object', snapshot.keys.length);
}

function checkHeaderMapping(
  cgi: Record<string, unknown>,
  headers: unknown,
  view: RequestView,
  expect: (ok: boolean, clause: string, subject: string, expectation: string, value: unknown) => void,
  options: ExpectationOptions,
): void {
  const lines = view.headers;
  if (options.rawHeaders) {
    const actual = Array.isArray(headers) ? (headers as unknown[]).map((p) => (Array.isArray(p) ? `${String(p[0])}: ${String(p[1])}` : String(p))) : [];
    const wanted = lines.map(([n, v]) => `${n}: ${v}`);
    expect(actual.length === wanted.length && actual.every((line, i) => line === wanted[i]), 'ENV-28', "environ['tsgi.headers']", `must be every field line in order, names lower-cased: ${JSON.stringify(wanted).slice(0, 200)}`, actual);
  }
  const expected = new Map<string, string[]>();
  let contentType: string | undefined;
  let contentLength: string | undefined;
  const unmappable: string[] = [];
  const unmappedValues = new Map<string, string[]>();
  for (const [name, value] of lines) {
    if (name === 'content-type') contentType = contentType === undefined ? value : `${contentType}, ${value}`;
    else if (name === 'content-length') contentLength ??= value;
    else if (MAPPABLE.test(name)) {
      const key = 'HTTP_' + name.toUpperCase().replaceAll('-', '_');
      expected.set(key, [...(expected.get(key) ?? []), value]);
    } else {
      unmappable.push(name);
      const key = 'HTTP_' + name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
      unmappedValues.set(key, [...(unmappedValues.get(key) ?? []), value]);
    }
  }
  for (const [key, values] of expected) {
    const joined = values.join(key === 'HTTP_COOKIE' ? '; ' : ', ');
    const actual = cgi[key];
    // A value that came from an unmappable name (X_Auth_User posing as X-Auth-User) breaks ENV-21.
    const posing = typeof actual === 'string' && actual !== joined && (unmappedValues.get(key) ?? []).some((v) => actual.includes(v));
    const clause = posing ? 'ENV-21' : actual === undefined ? 'ENV-20' : 'ENV-22';
    expect(actual === joined, clause, `environ.${key}`, `must be ${JSON.stringify(joined)}`, actual);
  }
  for (const key of Object.keys(cgi)) {
    if (!key.startsWith('HTTP_') || expected.has(key)) continue;
    const fromUnmappable = unmappable.some((name) => 'HTTP_' + name.toUpperCase().replace(/[^A-Z0-9]/g, '_') === key);
    expect(false, fromUnmappable ? 'ENV-21' : 'ENV-20', `environ.${key}`, fromUnmappable ? 'must not exist: names with "_" or other characters are never mapped' : 'must not exist: the request has no such field', cgi[key]);
  }
  if (unmappable.length) expect(true, 'ENV-21', '', '', undefined);
  expect(cgi.CONTENT_TYPE === contentType, 'ENV-18', 'environ.CONTENT_TYPE', contentType === undefined ? 'must be left out' : `must be ${JSON.stringify(contentType)}`, cgi.CONTENT_TYPE);
  expect(cgi.CONTENT_LENGTH === contentLength, 'ENV-18', 'environ.CONTENT_LENGTH', contentLength === undefined ? 'must be left out' : `must be ${contentLength}`, cgi.CONTENT_LENGTH);
}
