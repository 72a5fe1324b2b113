import { percentDecodeByteString } from './bytestring.js';
import { RequestError } from './errors.js';
import { parseContentLength } from './response-rules.js';
import type { Environ, ErrorStream, InputStream } from './types.js';

/**
 * A request as any host sees it, before it becomes an environ: the neutral description
 * that Node, pre-fork, Lambda and fetch hosts all fill in from their native request.
 * Every string is a ByteString.
 */
export interface RequestDescription {
  method: string;
  /** The request target exactly as received: `/a%2Fb?x=1`, `http://h/p`, or `*`. */
  target: string;
  /** Header fields as received, flattened: `[name, value, name, value, ...]` (Node's rawHeaders). */
  rawHeaders: readonly string[];
  /** `HTTP/1.1`, `HTTP/2` ... */
  protocol: string;
  scheme: 'http' | 'https';
  /** The name or address the host is bound to: SERVER_NAME when the request names no authority (ENV-15). */
  serverName: string;
  /** The local port: SERVER_PORT when the request names no authority (ENV-16). */
  serverPort: string;
  remoteAddress?: string | undefined;
  remotePort?: string | number | undefined;
  /** A prefix the host serves under (a Lambda stage): moved from PATH_INFO to SCRIPT_NAME when the path starts with it. */
  scriptName?: string | undefined;
  input: InputStream;
  errors: ErrorStream;
  /** Holds `tsgi.signal`; an Exchange, whose signal is created only when asked for. */
  lifecycle: { readonly signal: AbortSignal };
  waitUntil: (promise: Promise<unknown>) => void;
  multithread: boolean;
  multiprocess: boolean;
  runOnce: boolean;
}

const VERSION = Object.freeze([1, 0] as const);

/** Where the environ keeps what holds its signal; a symbol, so no string key is added (ENV-3). */
const LIFECYCLE = Symbol('tsgi.lifecycle');

/**
 * `tsgi.signal` as one getter shared by every environ. A getter written in the object
 * literal is a new closure per request, which sends V8 to slow dictionary-mode objects
 * (about 5 µs per environ on Node 20); one shared accessor keeps the environ a fast object.
 */
const SIGNAL: PropertyDescriptor = Object.freeze({
  get(this: { [LIFECYCLE]: { readonly signal: AbortSignal } }): AbortSignal {
    return this[LIFECYCLE].signal;
  },
  enumerable: true,
  configurable: true,
});

/**
 * `Object.prototype.__defineGetter__` (ECMAScript Annex B) defines the same enumerable,
 * configurable accessor as `Object.defineProperty` without reading a descriptor object,
 * which on V8 saves about a fifth of the cost of building an environ. Where a hardened
 * realm has removed it, `Object.defineProperty` does the same.
 * Shared with `deriveEnviron`.
 */
export const defineGetter = (Object.prototype as { __defineGetter__?: (name: string, getter: () => unknown) => void }).__defineGetter__;

interface HeaderKey {
  /** The environ key, or "" for a name that is never mapped (ENV-21). */
  key: string;
  lower: string;
}

const keyCache = new Map<string, HeaderKey>();
const KEY_CACHE_LIMIT = 1024;

function headerKey(name: string): HeaderKey {
  let entry = keyCache.get(name);
  if (entry) return entry;
  const lower = name.toLowerCase();
  let key = '';
  if (/^[A-Za-z0-9-]+$/.test(name)) {
    if (lower === 'content-type') key = 'CONTENT_TYPE';
    else if (lower === 'content-length') key = 'CONTENT_LENGTH';
    else key = 'HTTP_' + name.toUpperCase().replaceAll('-', '_');
  }
  entry = { key, lower };
  if (keyCache.size < KEY_CACHE_LIMIT) keyCache.set(name, entry);
  return entry;
}

/** Path and query of a request target, or undefined when it has no usable form. */
function splitTarget(target: string): [path: string, query: string] | undefined {
  let start = 0;
  if (target.charCodeAt(0) !== 47 /* / */) {
    if (target === '*') return ['', ''];
    // absolute-form (RFC 9112 section 3.2.2), as proxies send it
    const scheme = target.indexOf('://');
    if (scheme <= 0) return undefined;
    const slash = target.indexOf('/', scheme + 3);
    const question = target.indexOf('?', scheme + 3);
    if (slash === -1 || (question !== -1 && question < slash)) {
      return ['/', question === -1 ? '' : target.slice(question + 1)];
    }
    start = slash;
  }
  const question = target.indexOf('?', start);
  return question === -1 ? [target.slice(start), ''] : [target.slice(start, question), target.slice(question + 1)];
}

function checkTargetCharacters(target: string): void {
  for (let i = 0; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c > 0xff) {
      throw new RequestError(400, `request target holds a control, space or non-byte character at ${i}`, 'HOST-6');
    }
  }
}

/** A header value without leading or trailing SP/HTAB (ENV-22), without copying when clean. */
function trimOws(value: string): string {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (first === 32 || first === 9 || last === 32 || last === 9) return value.replace(/^[ \t]+|[ \t]+$/g, '');
  return value;
}

/** Splits an authority (`host`, `host:port`, `[v6]:port`) into name and port; undefined port when absent. */
export function splitAuthority(authority: string): [name: string, port: string | undefined] {
  const colon = authority.lastIndexOf(':');
  if (colon === -1 || authority.indexOf(']', colon) !== -1) return [authority, undefined];
  return [authority.slice(0, colon), authority.slice(colon + 1)];
}

/** RFC 3986 section 3.2: an IP literal or a reg-name, then an optional port of up to five digits. */
const AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::([0-9]{0,5}))?$/;

let lastAuthority = '';
let lastSplit: [name: string, port: string | undefined] = ['', undefined];

/**
 * `splitAuthority` for the hot path, refusing what is not `host[:port]` (RFC 9112 section
 * 3.2 asks for 400); consecutive requests mostly name the same authority, so the last one
 * is remembered.
 */
function checkedAuthority(authority: string): [name: string, port: string | undefined] {
  if (authority !== lastAuthority) {
    const match = AUTHORITY.exec(authority);
    if (!match || (match[1] !== undefined && match[1] !== '' && Number(match[1]) > 65535)) {
      throw new RequestError(400, `the request authority must be host[:port]; got ${JSON.stringify(authority)}`, 'HOST-6');
    }
    lastSplit = splitAuthority(authority);
    lastAuthority = authority;
  }
  return lastSplit;
}

function authorityOfAbsoluteTarget(target: string): string | undefined {
  const start = target.indexOf('://');
  if (start <= 0) return undefined;
  let end = target.length;
  for (const stop of ['/', '?']) {
    const i = target.indexOf(stop, start + 3);
    if (i !== -1 && i < end) end = i;
  }
  const authority = target.slice(start + 3, end);
  const at = authority.lastIndexOf('@');
  return at === -1 ? authority : authority.slice(at + 1);
}

/**
 * Builds the environ of one request (chapter 3 of the spec). Throws RequestError(400) for a
 * request the host must refuse (HOST-6): an unusable target, conflicting Content-Length
 * fields, a bad Host port. Nothing is parsed that the contract does not require; the signal
 * is created on demand.
 */
export function environFromRequest(request: RequestDescription): Environ {
  const target = request.target;
  checkTargetCharacters(target);
  let rawPath: string;
  let query: string;
  const question = target.charCodeAt(0) === 47 /* / */ ? target.indexOf('?') : -2;
  if (question === -1) {
    // Origin form without a query, the common case: no split to allocate.
    rawPath = target;
    query = '';
  } else if (question >= 0) {
    rawPath = target.slice(0, question);
    query = target.slice(question + 1);
  } else {
    const parts = splitTarget(target);
    if (!parts) throw new RequestError(400, `request target must be origin, absolute or asterisk form; got ${JSON.stringify(target)}`, 'HOST-6');
    [rawPath, query] = parts;
  }
  const lifecycle = request.lifecycle;
  const headers: Array<readonly [string, string]> = [];
  let scriptName = request.scriptName ?? '';
  let pathInfo = percentDecodeByteString(rawPath);
  if (scriptName !== '') {
    if (pathInfo === scriptName || pathInfo.startsWith(scriptName + '/')) pathInfo = pathInfo.slice(scriptName.length);
    else scriptName = '';
  }
  const environ: Environ = {
    REQUEST_METHOD: request.method,
    SCRIPT_NAME: scriptName,
    PATH_INFO: pathInfo,
    QUERY_STRING: query,
    SERVER_NAME: request.serverName,
    SERVER_PORT: request.serverPort,
    SERVER_PROTOCOL: request.protocol,
    REQUEST_URI: target,
    'tsgi.version': VERSION,
    'tsgi.url_scheme': request.scheme,
    'tsgi.input': request.input,
    'tsgi.errors': request.errors,
    'tsgi.multithread': request.multithread,
    'tsgi.multiprocess': request.multiprocess,
    'tsgi.run_once': request.runOnce,
    'tsgi.input_terminated': true,
    'tsgi.headers': headers,
    [LIFECYCLE]: lifecycle,
  } as unknown as Environ;
  if (defineGetter !== undefined) defineGetter.call(environ, 'tsgi.signal', SIGNAL.get!);
  else Object.defineProperty(environ, 'tsgi.signal', SIGNAL);
  environ['tsgi.wait_until'] = request.waitUntil;
  if (request.remoteAddress !== undefined) environ.REMOTE_ADDR = request.remoteAddress;
  if (request.remotePort !== undefined) environ.REMOTE_PORT = String(request.remotePort);
  const raw = request.rawHeaders;
  const map = environ as unknown as Record<string, string | undefined>;
  let authority: string | undefined;
  let host: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = trimOws(raw[i + 1]!);
    if (name.charCodeAt(0) === 58 /* : */) {
      // HTTP/2 pseudo-headers are not header fields (ENV-23); :authority stands in for Host.
      if (name === ':authority') authority ??= value;
      continue;
    }
    const { key, lower } = headerKey(name);
    // A repeated name is found among the fields already seen, which for the few fields of a
    // usual request is cheaper than looking the key up in the environ: a keyed load of a
    // missing property is a slow, megamorphic access there.
    let repeated = false;
    const seen = headers.length;
    if (seen <= 32) {
      for (let j = 0; j < seen; j++) {
        if (headers[j]![0] === lower) {
          repeated = true;
          break;
        }
      }
    } else repeated = map[key] !== undefined;
    headers.push([lower, value]);
    if (key === '') continue;
    if (!repeated) {
      map[key] = value;
      if (key === 'HTTP_HOST') host = value;
      continue;
    }
    const previous = map[key]!;
    if (key === 'HTTP_HOST') throw new RequestError(400, 'a request must not carry more than one Host field', 'HOST-6');
    if (key === 'CONTENT_LENGTH') {
      // Repeated identical lengths are one length; different ones are a malformed request.
      if (previous !== value) throw new RequestError(400, `conflicting Content-Length fields: ${previous} and ${value}`, 'HOST-6');
    } else map[key] = previous + (key === 'HTTP_COOKIE' ? '; ' : ', ') + value;
  }
  const length = map.CONTENT_LENGTH;
  if (length !== undefined && parseContentLength(length) < 0) {
    throw new RequestError(400, `Content-Length must be digits; got ${JSON.stringify(length)}`, 'HOST-6');
  }
  if (host === undefined && authority !== undefined) map.HTTP_HOST = authority;
  // SERVER_NAME/PORT come from the authority the request names (ENV-15, ENV-16).
  const named = rawPath !== '' && target.charCodeAt(0) !== 47 ? authorityOfAbsoluteTarget(target) : (host ?? authority);
  if (named !== undefined && named !== '') {
    const [name, port] = checkedAuthority(named);
    environ.SERVER_NAME = name;
    environ.SERVER_PORT = port || (request.scheme === 'https' ? '443' : '80');
  }
  return environ;
}
