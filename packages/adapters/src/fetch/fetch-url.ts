import { RequestError } from '@tsgi/interface';

/** The parts of a serialised fetch URL that the environ needs, as ByteStrings. */
export interface FetchUrl {
  scheme: 'http' | 'https';
  /** `host[:port]` as serialised: lower case, default port dropped, IPv6 in brackets. */
  authority: string;
  hostname: string;
  /** The explicit port, or the scheme's default. */
  port: string;
  /** The path, never empty for http(s) URLs. */
  path: string;
  /** The query without `?`; `undefined` when the URL has no `?`. */
  query: string | undefined;
}

/**
 * Splits `request.url` without `new URL()`: the runtime has already parsed and serialised
 * it (WHATWG URL), so the string is canonical and plain index arithmetic is exact and
 * several times cheaper. Credentials cannot occur: `new Request()` rejects them.
 */
export function splitFetchUrl(url: string): FetchUrl {
  const colon = url.indexOf('://');
  const scheme = colon === 4 && url.startsWith('http') ? 'http' : colon === 5 && url.startsWith('https') ? 'https' : undefined;
  if (scheme === undefined) {
    throw new RequestError(400, `request.url must be an http or https URL; got ${JSON.stringify(url.slice(0, 60))}`, 'FETCH-2');
  }
  const start = colon + 3;
  let end = start;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
    end++;
  }
  const authority = url.slice(start, end);
  let hostname = authority;
  let port = scheme === 'https' ? '443' : '80';
  const portColon = authority.lastIndexOf(':');
  if (portColon !== -1 && portColon > authority.lastIndexOf(']')) {
    hostname = authority.slice(0, portColon);
    port = authority.slice(portColon + 1);
  }
  const hash = url.indexOf('#', end);
  const stop = hash === -1 ? url.length : hash;
  const question = url.indexOf('?', end);
  let path: string;
  let query: string | undefined;
  if (question === -1 || question > stop) {
    path = url.slice(end, stop);
    query = undefined;
  } else {
    path = url.slice(end, question);
    query = url.slice(question + 1, stop);
  }
  return { scheme, authority, hostname, port, path: path === '' ? '/' : path, query };
}
