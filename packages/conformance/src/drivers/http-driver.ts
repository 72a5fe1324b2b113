import type { Driver, DriverExchange, DriverFeatures, RequestView } from './driver.js';
import { driverHeaders, RawExchange, type Address } from './http-client.js';
import type { WireRequest } from './wire.js';

/** Parses the base URL an HTTP factory returns. */
export function addressOf(url: string): Address {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:') throw new TypeError(`certifyServer speaks plain HTTP/1.1; got ${url}`);
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return { host, port: Number(parsed.port || 80) };
}

/**
 * The HTTP/1.1 driver: one raw `node:net` connection per request, so the target and the
 * header lines reach the host byte for byte, the response is read as it arrives, and the
 * client can pause or vanish at any point.
 */
export class HttpDriver implements Driver {
  readonly kind = 'http' as const;
  readonly label: string = 'http';
  readonly features: DriverFeatures = {
    rawTarget: true,
    rawHeaders: true,
    reasonPhrase: true,
    headerLines: true,
    incremental: true,
    disconnect: true,
    malformed: true,
    streamingRequest: true,
    commitVisible: true,
    framing: true,
  };
  readonly address: Address;
  readonly #open = new Set<RawExchange>();

  constructor(readonly url: string) {
    this.address = addressOf(url);
  }

  view(request: WireRequest, expected: { pathInfo: string; queryString: string }): RequestView | undefined {
    const { before, after } = driverHeaders(request, this.address);
    const lines = [...before, ...request.headers, ...after];
    const host = before[0]![1];
    const colon = host.lastIndexOf(':');
    return {
      method: request.method,
      requestUri: request.target,
      pathInfo: expected.pathInfo,
      queryString: expected.queryString,
      headers: lines.map(([name, value]) => [name.toLowerCase(), value.replace(/^[ \t]+|[ \t]+$/g, '')]),
      serverName: host.slice(0, colon),
      serverPort: host.slice(colon + 1),
      protocol: 'HTTP/1.1',
      scheme: 'http',
      remoteAddress: undefined,
    };
  }

  /** A raw exchange, for checks that need the socket itself. */
  raw(request: WireRequest, options?: ConstructorParameters<typeof RawExchange>[2]): RawExchange {
    const exchange = new RawExchange(this.address, request, options);
    this.#open.add(exchange);
    exchange.socket.once('close', () => this.#open.delete(exchange));
    return exchange;
  }

  open(request: WireRequest): DriverExchange {
    const raw = this.raw(request);
    return {
      head: (ms) => raw.head(ms),
      nextChunk: (ms) => raw.nextChunk(ms),
      readAll: (ms) => raw.readAll(ms),
      anyResponseWithin: (ms) => raw.anyBytesWithin(ms),
      disconnect: () => raw.destroy(),
      pause: () => raw.socket.pause(),
    };
  }

  async close(): Promise<void> {
    for (const exchange of this.#open) exchange.destroy();
  }
}
