import type { DriverFeatures, RequestView } from './driver.js';
import { fetchRequestOf, viewOfFetchRequest } from './fetch-driver.js';
import { driverHeaders } from './http-client.js';
import { HttpDriver } from './http-driver.js';
import { percentDecode } from './percent.js';
import type { WireRequest } from './wire.js';

/**
 * A fetch host served by a runtime's own HTTP server (Bun.serve, Deno.serve, workerd),
 * driven over raw HTTP/1.1 sockets. The runtime turns each request into a `Request` before
 * the host sees it, so the environ is checked against what the WHATWG URL parser and
 * `Headers` make of the request (as the fetch driver does); and the runtime, not the host,
 * frames the response and writes its status line, so those are not the host's to answer for.
 */
export interface FetchHttpDriverOptions {
  /**
   * What the runtime's `request.url` holds: `whatwg` (default), the target as the WHATWG URL
   * parser normalizes it (Bun: dot segments resolved, `'` in the query percent-encoded); or
   * `as-sent`, the target's path and query as they came (Deno, workerd).
   */
  url?: 'whatwg' | 'as-sent';
}

export class FetchHttpDriver extends HttpDriver {
  override readonly label: string;
  readonly #url: 'whatwg' | 'as-sent';
  override readonly features: DriverFeatures = {
    rawTarget: false,
    rawHeaders: false,
    reasonPhrase: false,
    headerLines: false,
    incremental: true,
    disconnect: true,
    malformed: false,
    streamingRequest: true,
    commitVisible: true,
    framing: false,
  };

  constructor(url: string, options: FetchHttpDriverOptions = {}) {
    super(url);
    this.#url = options.url ?? 'whatwg';
    this.label = `fetch over http (${this.#url} URLs)`;
  }

  override view(request: WireRequest): RequestView | undefined {
    const { before, after } = driverHeaders(request, this.address);
    const host = before[0]![1];
    const native = fetchRequestOf(request, `http://${host}`, [...before, ...request.headers, ...after]);
    if (!native) return undefined;
    const view = viewOfFetchRequest(native);
    if (this.#url === 'whatwg') return view;
    const query = request.target.indexOf('?');
    const path = query < 0 ? request.target : request.target.slice(0, query);
    return { ...view, requestUri: query < 0 || query === request.target.length - 1 ? path : request.target, pathInfo: percentDecode(path), queryString: query < 0 ? '' : request.target.slice(query + 1) };
  }
}
