import { callApp, type App } from '@tsgi/interface';
import type { Driver, DriverExchange, RequestView } from './driver.js';
import { concatBytes, type WireRequest, type WireResponse } from './wire.js';

/**
 * Drives the in-memory host (`callApp` of @tsgi/interface): the same machinery as the real
 * hosts, without a transport, so streaming, disconnects and malformed bytes are out of reach.
 */
export class MemoryDriver implements Driver {
  readonly kind = 'memory' as const;
  readonly label = 'memory';
  readonly features = {
    rawTarget: true,
    rawHeaders: true,
    reasonPhrase: true,
    headerLines: true,
    incremental: false,
    disconnect: false,
    malformed: false,
    streamingRequest: false,
    commitVisible: false,
    framing: true,
  };

  constructor(readonly app: App) {}

  #headers(request: WireRequest): Array<[string, string]> {
    const headers: Array<[string, string]> = [['Host', 'localhost'], ...request.headers.map(([n, v]) => [n, v] as [string, string])];
    if (request.framing === 'length') headers.push(['Content-Length', String(request.body.length)]);
    if (request.framing === 'chunked') headers.push(['Transfer-Encoding', 'chunked']);
    return headers;
  }

  view(request: WireRequest, expected: { pathInfo: string; queryString: string }): RequestView {
    return {
      method: request.method,
      requestUri: request.target,
      pathInfo: expected.pathInfo,
      queryString: expected.queryString,
      headers: this.#headers(request).map(([n, v]) => [n.toLowerCase(), v.replace(/^[ \t]+|[ \t]+$/g, '')]),
      serverName: 'localhost',
      serverPort: '80',
      protocol: 'HTTP/1.1',
      scheme: 'http',
      remoteAddress: '127.0.0.1',
    };
  }

  open(request: WireRequest): DriverExchange {
    const result: Promise<WireResponse> = callApp(this.app, {
      method: request.method,
      target: request.target,
      headers: this.#headers(request),
      ...(request.framing === 'none' ? {} : { body: request.chunks.length ? request.chunks : [request.body] }),
    }).then((response) => ({
      status: Number(response.status.slice(0, 3)),
      reason: response.status.slice(4),
      headers: response.headers.map(([n, v]) => [n, v] as [string, string]),
      body: concatBytes(response.chunks),
      complete: !response.destroyed,
      interim: [],
      trailing: 0,
    }));
    let taken = false;
    return {
      head: async () => result,
      nextChunk: async () => {
        if (taken) return null;
        taken = true;
        return (await result).body;
      },
      readAll: () => result,
      anyResponseWithin: async () => true,
      disconnect: () => {},
    };
  }

  async close(): Promise<void> {}
}
