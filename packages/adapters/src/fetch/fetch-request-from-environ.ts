import { isHopByHop, parseContentLength, percentEncodePath, RequestError, type Environ } from '@tsgi/interface';
import { streamFromInput } from './stream-from-input.js';

/** A Host value the URL parser takes as it is: a name or IPv4 address, or an IPv6 literal, and a port. */
const AUTHORITY = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/** Path or query bytes the URL parser would change: controls, space, `#`, `\`, DEL and every byte above 0x7F. */
const UNSAFE = /[\x00-\x20#\\\x7f-\xff]/g;

function escapeUnsafe(value: string): string {
  return value.replace(UNSAFE, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

function hex(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** Where, in a raw (still encoded) path, the part that decodes to `prefix` ends; -1 when it does not start with it. */
function rawPrefixEnd(raw: string, prefix: string): number {
  let i = 0;
  for (let k = 0; k < prefix.length; k++) {
    if (i >= raw.length) return -1;
    let ch = raw.charCodeAt(i);
    if (ch === 37 /* % */ && i + 2 < raw.length && hex(raw.charCodeAt(i + 1)) >= 0 && hex(raw.charCodeAt(i + 2)) >= 0) {
      ch = (hex(raw.charCodeAt(i + 1)) << 4) | hex(raw.charCodeAt(i + 2));
      i += 3;
    } else i++;
    if (ch !== prefix.charCodeAt(k)) return -1;
  }
  return i;
}

/** The raw path of REQUEST_URI in origin or absolute form; undefined for `*`. */
function rawPathOf(uri: string): string | undefined {
  let start = 0;
  if (uri.charCodeAt(0) !== 47 /* / */) {
    const scheme = uri.indexOf('://');
    if (scheme <= 0) return undefined;
    start = uri.indexOf('/', scheme + 3);
    if (start === -1) return '/';
  }
  const question = uri.indexOf('?', start);
  return question === -1 ? uri.slice(start) : uri.slice(start, question);
}

/**
 * The path a fetch handler sees: the part of the request below `SCRIPT_NAME`, as the
 * client encoded it, so `%2F` stays `%2F`. A middleware that rewrote `PATH_INFO` breaks
 * the link to `REQUEST_URI`; then `PATH_INFO` is percent-encoded afresh.
 */
export function fetchPathFromEnviron(environ: Environ): string {
  const scriptName = environ.SCRIPT_NAME;
  const pathInfo = environ.PATH_INFO;
  const raw = rawPathOf(environ.REQUEST_URI);
  if (raw !== undefined) {
    const end = rawPrefixEnd(raw, scriptName);
    if (end >= 0) {
      const rest = raw.slice(end);
      if (rawPrefixEnd(rest, pathInfo) === rest.length) return rest === '' ? '/' : escapeUnsafe(rest);
    }
  }
  return pathInfo === '' ? '/' : percentEncodePath(pathInfo);
}

/** `scheme://authority` of the request: the Host header, else SERVER_NAME and SERVER_PORT. */
export function fetchOriginFromEnviron(environ: Environ): string {
  const scheme = environ['tsgi.url_scheme'];
  const host = environ.HTTP_HOST;
  if (host !== undefined && AUTHORITY.test(host)) return `${scheme}://${host}`;
  const port = environ.SERVER_PORT;
  const authority = (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80') ? environ.SERVER_NAME : `${environ.SERVER_NAME}:${port}`;
  if (AUTHORITY.test(authority)) return `${scheme}://${authority}`;
  // RFC 9112 section 3.2: a request without a usable host is a bad request.
  throw new RequestError(400, `the request names no usable host; got Host ${JSON.stringify(host ?? authority)}`, 'FETCH-12');
}

/** The absolute URL of the request for a fetch handler mounted at SCRIPT_NAME. */
export function fetchUrlFromEnviron(environ: Environ): string {
  const query = environ.QUERY_STRING;
  return fetchOriginFromEnviron(environ) + fetchPathFromEnviron(environ) + (query === '' ? '' : '?' + escapeUnsafe(query));
}

/**
 * True when the request carries body bytes that the fetch Request should stream. HTTP/1.x
 * frames a body with Content-Length or Transfer-Encoding (RFC 9112 section 6.3); HTTP/2
 * and HTTP/3 frame it themselves; a request that came from a fetch runtime says so with
 * its own `body`, since fetch Requests carry no framing fields.
 */
function hasBody(environ: Environ): boolean {
  const method = environ.REQUEST_METHOD;
  // A fetch Request cannot carry a body on GET or HEAD.
  if (method === 'GET' || method === 'HEAD') return false;
  const length = environ.CONTENT_LENGTH;
  if (length !== undefined) return parseContentLength(length) > 0;
  if (environ['tsgi.headers'].some(([name]) => name === 'transfer-encoding')) return true;
  const native = environ['fetch.request'];
  if (native !== undefined) return native.body !== null;
  const protocol = environ.SERVER_PROTOCOL;
  return protocol !== 'HTTP/1.1' && protocol !== 'HTTP/1.0';
}

/**
 * The fetch `Request` for an environ (FETCH-12), the inverse of the fetch host's
 * conversion: URL from scheme, host and the raw path below SCRIPT_NAME; headers from
 * `tsgi.headers` without the hop-by-hop fields of the client's connection; `tsgi.input`
 * streamed as the body; `tsgi.signal` as the signal. Throws RequestError(400) when the
 * request cannot be expressed as a `Request`.
 */
export function fetchRequestFromEnviron(environ: Environ): Request {
  const url = fetchUrlFromEnviron(environ);
  const headers = new Headers();
  for (const [name, value] of environ['tsgi.headers']) {
    if (!isHopByHop(name)) headers.append(name, value);
  }
  const init: RequestInit & { duplex?: 'half' } = {
    method: environ.REQUEST_METHOD,
    headers,
    signal: environ['tsgi.signal'],
  };
  if (hasBody(environ)) {
    init.body = streamFromInput(environ['tsgi.input']);
    // Node's fetch requires it for a stream body; other runtimes ignore it.
    init.duplex = 'half';
  }
  try {
    return new Request(url, init);
  } catch (error) {
    throw new RequestError(
      400,
      `the request cannot be expressed as a fetch Request (${(error as Error).message}); URL ${JSON.stringify(url)}`,
      'FETCH-12',
    );
  }
}
