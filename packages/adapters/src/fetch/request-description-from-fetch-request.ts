import type { ErrorStream, InputStream, RequestDescription } from '@tsgi/interface';
import { splitFetchUrl } from './fetch-url.js';
import type { ClientAddress } from './types.js';

/** What the glue supplies besides the `Request`: the I/O objects and the deployer's choices. */
export interface FetchRequestContext {
  input: InputStream;
  errors: ErrorStream;
  lifecycle: { readonly signal: AbortSignal };
  waitUntil: (promise: Promise<unknown>) => void;
  scriptName?: string | undefined;
  multiprocess: boolean;
  client?: ClientAddress | null | undefined;
}

const PROTOCOLS = new Set(['HTTP/1.0', 'HTTP/1.1', 'HTTP/2', 'HTTP/3']);

/** The protocol the runtime reports (Workers: `request.cf.httpProtocol`), else HTTP/1.1 (FETCH-5). */
function protocolOf(request: Request): string {
  const reported = (request as { cf?: { httpProtocol?: unknown } }).cf?.httpProtocol;
  return typeof reported === 'string' && PROTOCOLS.has(reported) ? reported : 'HTTP/1.1';
}

/**
 * `Headers` joins repeated fields with `, `, so two identical Content-Length fields arrive
 * as `5, 5`. RFC 9110 section 8.6 lets a recipient treat identical repeats as one value;
 * different values stay joined, and environFromRequest refuses them with 400.
 */
function contentLengthOf(value: string): string {
  if (!value.includes(',')) return value;
  const parts = value.split(',').map((part) => part.trim());
  return parts.every((part) => part === parts[0]) ? parts[0]! : value;
}

/**
 * Describes a fetch `Request` for environFromRequest: the pure half of the fetch host.
 * The target is the path and query of the normalised `request.url` (FETCH-2); headers come
 * in `Headers` iteration order (FETCH-4), with `host` taken from the URL when the runtime
 * left it out, as an HTTP/2 host does with `:authority`.
 */
export function requestDescriptionFromFetchRequest(request: Request, context: FetchRequestContext): RequestDescription {
  const url = splitFetchUrl(request.url);
  const rawHeaders: string[] = [];
  let sawHost = false;
  request.headers.forEach((value, name) => {
    if (name === 'host') sawHost = true;
    else if (name === 'content-length') value = contentLengthOf(value);
    rawHeaders.push(name, value);
  });
  if (!sawHost) rawHeaders.unshift('host', url.authority);
  const client = context.client;
  return {
    method: request.method,
    target: url.query === undefined || url.query === '' ? url.path : url.path + '?' + url.query,
    rawHeaders,
    protocol: protocolOf(request),
    scheme: url.scheme,
    serverName: url.hostname,
    serverPort: url.port,
    remoteAddress: client?.address,
    remotePort: client?.port,
    scriptName: context.scriptName,
    input: context.input,
    errors: context.errors,
    lifecycle: context.lifecycle,
    waitUntil: context.waitUntil,
    multithread: true,
    multiprocess: context.multiprocess,
    runOnce: false,
  };
}
