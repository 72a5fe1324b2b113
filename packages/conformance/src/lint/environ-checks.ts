import { isByteString, isToken, parseContentLength, percentDecodeByteString } from '@tsgi/interface';
import type { Fail } from './request-monitor.js';

/** The CGI keys a host may set (chapter 3); `HTTP_*` keys come on top. */
const CGI_KEYS = new Set([
  'REQUEST_METHOD',
  'SCRIPT_NAME',
  'PATH_INFO',
  'QUERY_STRING',
  'SERVER_NAME',
  'SERVER_PORT',
  'SERVER_PROTOCOL',
  'REQUEST_URI',
  'CONTENT_TYPE',
  'CONTENT_LENGTH',
  'REMOTE_ADDR',
  'REMOTE_PORT',
]);

/** Where each always-present CGI key is defined, so a missing key cites its own clause. */
const REQUIRED: ReadonlyArray<readonly [key: string, clause: string]> = [
  ['REQUEST_METHOD', 'ENV-6'],
  ['SCRIPT_NAME', 'ENV-7'],
  ['PATH_INFO', 'ENV-8'],
  ['QUERY_STRING', 'ENV-12'],
  ['SERVER_NAME', 'ENV-15'],
  ['SERVER_PORT', 'ENV-16'],
  ['SERVER_PROTOCOL', 'ENV-17'],
  ['REQUEST_URI', 'ENV-13'],
];

/** The `tsgi.` keys of tsgi 1.0 (ENV-3). */
const TSGI_KEYS = new Set([
  'tsgi.version',
  'tsgi.url_scheme',
  'tsgi.input',
  'tsgi.errors',
  'tsgi.multithread',
  'tsgi.multiprocess',
  'tsgi.run_once',
  'tsgi.input_terminated',
  'tsgi.headers',
  'tsgi.signal',
  'tsgi.wait_until',
]);

const PROTOCOLS = new Set(['HTTP/1.0', 'HTTP/1.1', 'HTTP/2', 'HTTP/3']);
const DIGITS = /^[0-9]+$/;
const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[0-9A-Za-z._~-]+)?$/;
const MAPPABLE = /^[A-Za-z0-9-]+$/;
const OWS_EDGE = /^[ \t]|[ \t]$/;

export interface EnvironCheckOptions {
  /** The host advertises `raw-request-target`: REQUEST_URI is the target exactly as received. */
  rawTarget: boolean;
  /** The host advertises `remote-address`: REMOTE_ADDR must be present. */
  remoteAddress: boolean;
}

type Env = Record<string, unknown>;

/**
 * Checks everything an environ shows about itself: the keys present, their types and
 * grammar, and the consistency of HTTP_*, CONTENT_* and the request line with the raw
 * `tsgi.headers` list and REQUEST_URI. What needs the wire (the target and headers as
 * sent) is checked by `certifyServer`, which knows them.
 */
export function checkEnviron(environ: unknown, fail: Fail, options: EnvironCheckOptions): void {
  if (environ === null || typeof environ !== 'object' || Array.isArray(environ)) {
    fail('host', 'ENV-1', 'environ', 'must be a plain object', environ);
    return;
  }
  const proto = Object.getPrototypeOf(environ);
  if (proto !== Object.prototype && proto !== null && Object.getPrototypeOf(proto) !== null) {
    fail('host', 'ENV-1', 'environ', 'must be a plain object (prototype Object.prototype or null)', environ);
  }
  const env = environ as Env;
  checkKeys(env, fail);
  checkRequestLine(env, fail, options);
  checkServer(env, fail);
  checkClient(env, fail, options);
  checkHeaders(env, fail);
  checkTsgiKeys(env, fail);
}

function checkKeys(env: Env, fail: Fail): void {
  for (const [key, clause] of REQUIRED) {
    if (!(key in env)) fail('host', clause, `environ.${key}`, 'must be present', undefined);
  }
  for (const key of Object.keys(env)) {
    const dot = key.indexOf('.');
    if (dot === -1) {
      if (!CGI_KEYS.has(key) && !key.startsWith('HTTP_')) {
        fail('host', 'ENV-3', `environ.${key}`, 'must not exist: keys without a dot are CGI keys and HTTP_* only', env[key]);
        continue;
      }
      const value = env[key];
      if (typeof value !== 'string' || !isByteString(value)) {
        fail('host', 'ENV-2', `environ.${key}`, 'must be a ByteString (every character 0-255)', value);
      }
    } else if (key.startsWith('tsgi.') && !TSGI_KEYS.has(key)) {
      fail('host', 'ENV-3', `environ.${key}`, 'must not exist: tsgi 1.0 defines no such tsgi. key', env[key]);
    }
  }
}

function str(env: Env, key: string): string | undefined {
  const value = env[key];
  return typeof value === 'string' ? value : undefined;
}

function checkRequestLine(env: Env, fail: Fail, options: EnvironCheckOptions): void {
  const method = str(env, 'REQUEST_METHOD');
  if (method !== undefined && !isToken(method)) {
    fail('host', 'ENV-6', 'environ.REQUEST_METHOD', 'must be the method as received (an RFC 9110 token)', method);
  }
  const script = str(env, 'SCRIPT_NAME');
  if (script !== undefined && script !== '' && (!script.startsWith('/') || script.endsWith('/'))) {
    fail('host', 'ENV-7', 'environ.SCRIPT_NAME', 'must be "" or start with "/" and not end with "/"', script);
  }
  const path = str(env, 'PATH_INFO');
  if (path !== undefined && path !== '' && !path.startsWith('/')) {
    fail('host', 'ENV-8', 'environ.PATH_INFO', 'must be "" or start with "/"', path);
  }
  const query = str(env, 'QUERY_STRING');
  const uri = str(env, 'REQUEST_URI');
  if (uri === undefined || query === undefined || path === undefined) return;
  if (uri === '*') {
    if (path !== '' || query !== '') {
      fail('host', 'ENV-10', 'environ.PATH_INFO and QUERY_STRING', 'must both be "" for the target "*"', `${path}?${query}`);
    }
    return;
  }
  let origin = uri;
  if (!uri.startsWith('/')) {
    const authority = uri.indexOf('://');
    if (authority <= 0) {
      fail('host', 'ENV-13', 'environ.REQUEST_URI', 'must be a request target: origin, absolute or asterisk form', uri);
      return;
    }
    const slash = uri.indexOf('/', authority + 3);
    const question = uri.indexOf('?', authority + 3);
    origin = slash === -1 || (question !== -1 && question < slash) ? '/' + (question === -1 ? '' : uri.slice(question)) : uri.slice(slash);
  }
  const q = origin.indexOf('?');
  const expectedQuery = q === -1 ? '' : origin.slice(q + 1);
  if (query !== expectedQuery) {
    fail('host', 'ENV-12', 'environ.QUERY_STRING', `must be the bytes after the first "?" of REQUEST_URI (${JSON.stringify(expectedQuery)}), not decoded`, query);
  }
  if (options.rawTarget) {
    const decoded = percentDecodeByteString(q === -1 ? origin : origin.slice(0, q));
    if ((script ?? '') + path !== decoded) {
      fail('host', 'ENV-8', 'environ.SCRIPT_NAME + PATH_INFO', `must be the percent-decoded path of REQUEST_URI (${JSON.stringify(decoded)})`, (script ?? '') + path);
    }
  }
}

/** The host and port of an authority: `[::1]:8080` gives `[::1]` and `8080`. */
export function splitAuthority(authority: string): [host: string, port: string | undefined] {
  const at = authority.lastIndexOf('@');
  const hostport = at === -1 ? authority : authority.slice(at + 1);
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    const rest = hostport.slice(end + 1);
    return [hostport.slice(0, end + 1), rest.startsWith(':') ? rest.slice(1) : undefined];
  }
  const colon = hostport.lastIndexOf(':');
  return colon === -1 ? [hostport, undefined] : [hostport.slice(0, colon), hostport.slice(colon + 1)];
}

function checkServer(env: Env, fail: Fail): void {
  const name = str(env, 'SERVER_NAME');
  const port = str(env, 'SERVER_PORT');
  if (name !== undefined && name === '') fail('host', 'ENV-15', 'environ.SERVER_NAME', 'must not be empty', name);
  if (port !== undefined && !DIGITS.test(port)) {
    fail('host', 'ENV-16', 'environ.SERVER_PORT', 'must be a string of ASCII digits', port);
  }
  if ('SERVER_PORT' in env && port === undefined) {
    fail('host', 'ENV-16', 'environ.SERVER_PORT', 'must be a string of ASCII digits', env.SERVER_PORT);
  }
  const protocol = str(env, 'SERVER_PROTOCOL');
  if ('SERVER_PROTOCOL' in env && (protocol === undefined || !PROTOCOLS.has(protocol))) {
    fail('host', 'ENV-17', 'environ.SERVER_PROTOCOL', 'must be one of HTTP/1.0, HTTP/1.1, HTTP/2, HTTP/3', env.SERVER_PROTOCOL);
  }
  // The Host header names the authority, unless an absolute-form target names it instead.
  const host = str(env, 'HTTP_HOST');
  const uri = str(env, 'REQUEST_URI') ?? '';
  if (host === undefined || host === '' || host.includes(',') || !(uri.startsWith('/') || uri === '*')) return;
  const [hostName, hostPort] = splitAuthority(host);
  if (name !== undefined && name.toLowerCase() !== hostName.toLowerCase()) {
    fail('host', 'ENV-15', 'environ.SERVER_NAME', `must be the host part of the Host header (${JSON.stringify(hostName)})`, name);
  }
  const scheme = env['tsgi.url_scheme'];
  const expectedPort = hostPort !== undefined && hostPort !== '' ? hostPort : scheme === 'https' ? '443' : '80';
  if (port !== undefined && DIGITS.test(port) && port !== expectedPort) {
    fail('host', 'ENV-16', 'environ.SERVER_PORT', `must be the port of the Host header, or the scheme's default (${expectedPort})`, port);
  }
}

function checkClient(env: Env, fail: Fail, options: EnvironCheckOptions): void {
  if ('REMOTE_ADDR' in env) {
    const addr = str(env, 'REMOTE_ADDR');
    if (addr === undefined || !(IPV4.test(addr) || IPV6.test(addr))) {
      fail('host', 'ENV-19', 'environ.REMOTE_ADDR', 'must be an IPv4 or IPv6 address (no brackets), or be left out', env.REMOTE_ADDR);
    }
  } else if (options.remoteAddress) {
    fail('host', 'ENV-19', 'environ.REMOTE_ADDR', 'must be present: the host advertises remote-address', undefined);
  }
  if ('REMOTE_PORT' in env) {
    const port = str(env, 'REMOTE_PORT');
    if (port === undefined || !DIGITS.test(port)) {
      fail('host', 'ENV-19', 'environ.REMOTE_PORT', 'must be ASCII digits, or be left out', env.REMOTE_PORT);
    }
  }
}

/** HTTP_*, CONTENT_TYPE and CONTENT_LENGTH must be exactly what `tsgi.headers` implies. */
function checkHeaders(env: Env, fail: Fail): void {
  const list = env['tsgi.headers'];
  if (!Array.isArray(list)) {
    fail('host', 'ENV-28', "environ['tsgi.headers']", 'must be an array of [name, value] pairs', list);
    return;
  }
  const expected = new Map<string, string[]>();
  const unmapped = new Map<string, string[]>();
  let contentType: string | undefined;
  let contentLength: string | undefined;
  for (const pair of list as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      fail('host', 'ENV-28', "environ['tsgi.headers'] entry", 'must be a [name, value] pair of strings', pair);
      continue;
    }
    const [name, value] = pair as [string, string];
    if (name !== name.toLowerCase()) fail('host', 'ENV-28', "environ['tsgi.headers'] name", 'must be lower case', name);
    if (name.startsWith(':')) fail('host', 'ENV-23', "environ['tsgi.headers'] name", 'must not be a pseudo-header field', name);
    if (!isByteString(value)) fail('host', 'ENV-28', `environ['tsgi.headers'] ${name}`, 'must be a ByteString', value);
    if (OWS_EDGE.test(value)) fail('host', 'ENV-22', `environ['tsgi.headers'] ${name}`, 'must have no leading or trailing spaces or tabs', value);
    const lower = name.toLowerCase();
    if (lower === 'content-type') contentType = contentType === undefined ? value : `${contentType}, ${value}`;
    else if (lower === 'content-length') contentLength ??= value;
    else if (MAPPABLE.test(name)) {
      const key = 'HTTP_' + name.toUpperCase().replaceAll('-', '_');
      const values = expected.get(key) ?? [];
      values.push(value);
      expected.set(key, values);
    } else {
      const key = 'HTTP_' + name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
      unmapped.set(key, [...(unmapped.get(key) ?? []), value]);
    }
  }
  for (const [key, values] of expected) {
    const actual = env[key];
    if (actual === undefined) {
      fail('host', 'ENV-20', `environ.${key}`, `must be set: tsgi.headers has ${key.slice(5).toLowerCase().replaceAll('_', '-')}`, undefined);
      continue;
    }
    const joined = values.join(key === 'HTTP_COOKIE' ? '; ' : ', ');
    if (actual !== joined) {
      // A value that came from an unmappable name (X_Auth_User posing as X-Auth-User) breaks ENV-21.
      const posing = typeof actual === 'string' && (unmapped.get(key) ?? []).some((v) => actual.includes(v));
      const clause = posing ? 'ENV-21' : values.length > 1 || OWS_EDGE.test(String(actual)) ? 'ENV-22' : 'ENV-20';
      fail('host', clause, `environ.${key}`, `must be ${JSON.stringify(joined)}, the field value${values.length > 1 ? 's joined in order' : ''}`, actual);
    }
  }
  const pseudoHost = (env.SERVER_PROTOCOL === 'HTTP/2' || env.SERVER_PROTOCOL === 'HTTP/3') && !expected.has('HTTP_HOST');
  for (const key of Object.keys(env)) {
    if (!key.startsWith('HTTP_') || expected.has(key)) continue;
    if (key === 'HTTP_HOST' && pseudoHost) continue;
    if (key === 'HTTP_CONTENT_TYPE' || key === 'HTTP_CONTENT_LENGTH') {
      fail('host', 'ENV-20', `environ.${key}`, 'must not exist (the value goes to CONTENT_TYPE / CONTENT_LENGTH)', env[key]);
    } else if (unmapped.has(key)) {
      fail('host', 'ENV-21', `environ.${key}`, 'must not exist: only names of letters, digits and "-" are mapped', env[key]);
    } else {
      fail('host', 'ENV-20', `environ.${key}`, 'must match a field in tsgi.headers', env[key]);
    }
  }
  if ('CONTENT_TYPE' in env && contentType === undefined) {
    fail('host', 'ENV-18', 'environ.CONTENT_TYPE', 'must be left out when the request has no Content-Type', env.CONTENT_TYPE);
  } else if (contentType !== undefined && env.CONTENT_TYPE !== contentType) {
    fail('host', 'ENV-18', 'environ.CONTENT_TYPE', `must be the Content-Type field value ${JSON.stringify(contentType)}`, env.CONTENT_TYPE);
  }
  if ('CONTENT_LENGTH' in env && contentLength === undefined) {
    fail('host', 'ENV-18', 'environ.CONTENT_LENGTH', 'must be left out when the request has no Content-Length', env.CONTENT_LENGTH);
  } else if (contentLength !== undefined && (env.CONTENT_LENGTH !== contentLength || parseContentLength(contentLength) < 0)) {
    fail('host', 'ENV-18', 'environ.CONTENT_LENGTH', `must be the Content-Length field value ${JSON.stringify(contentLength)} (digits)`, env.CONTENT_LENGTH);
  }
}

function isFunction(value: unknown, name: string): boolean {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as Record<string, unknown>)[name] === 'function';
}

function checkTsgiKeys(env: Env, fail: Fail): void {
  const version = env['tsgi.version'];
  if (!Array.isArray(version) || version.length !== 2 || version[0] !== 1 || version[1] !== 0) {
    fail('host', 'ENV-24', "environ['tsgi.version']", 'must be the array [1, 0]', version);
  }
  const scheme = env['tsgi.url_scheme'];
  if (scheme !== 'http' && scheme !== 'https') {
    fail('host', 'ENV-25', "environ['tsgi.url_scheme']", "must be 'http' or 'https'", scheme);
  }
  const input = env['tsgi.input'];
  if (!isFunction(input, 'read') || !isFunction(input, 'readLine') || !isFunction(input, Symbol.asyncIterator as unknown as string)) {
    fail('host', 'INP-1', "environ['tsgi.input']", 'must have read, readLine and Symbol.asyncIterator methods', input);
  }
  const errors = env['tsgi.errors'];
  if (!isFunction(errors, 'write') || !isFunction(errors, 'flush')) {
    fail('host', 'ERR-1', "environ['tsgi.errors']", 'must have write and flush methods', errors);
  }
  for (const key of ['tsgi.multithread', 'tsgi.multiprocess', 'tsgi.run_once']) {
    if (typeof env[key] !== 'boolean') fail('host', 'ENV-27', `environ['${key}']`, 'must be a boolean', env[key]);
  }
  if (env['tsgi.input_terminated'] !== true) {
    fail('host', 'ENV-24', "environ['tsgi.input_terminated']", 'must be true', env['tsgi.input_terminated']);
  }
  const signal = env['tsgi.signal'] as AbortSignal | undefined;
  if (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    fail('host', 'ENV-26', "environ['tsgi.signal']", 'must be an AbortSignal', signal);
  }
  if (typeof env['tsgi.wait_until'] !== 'function') {
    fail('host', 'ENV-26', "environ['tsgi.wait_until']", 'must be a function', env['tsgi.wait_until']);
  }
}
