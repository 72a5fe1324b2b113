import type { Driver, DriverExchange, RequestView } from './driver.js';
import { percentDecode } from './percent.js';
import { bytesOf, concatBytes, latin1, type WireRequest, type WireResponse } from './wire.js';

/** What a fetch host is: `(request, env?, ctx?) => Response | Promise<Response>`. */
export type FetchHandlerUnderTest = (request: Request, env?: unknown, ctx?: { waitUntil(promise: Promise<unknown>): void; passThroughOnException(): void }) => Response | Promise<Response>;

const ORIGIN = 'http://127.0.0.1:8787';

/**
 * The Request a runtime builds from a request sent to `origin` with these field lines, or
 * undefined when fetch cannot express the request (a target that is not origin-form or
 * not ASCII, a body on GET or HEAD, a field Headers refuses).
 */
export function fetchRequestOf(request: WireRequest, origin: string, lines: ReadonlyArray<readonly [string, string]>): Request | undefined {
  if (!request.target.startsWith('/')) return undefined;
  for (let i = 0; i < request.target.length; i++) if (request.target.charCodeAt(i) > 0x7e || request.target.charCodeAt(i) <= 0x20) return undefined;
  const bodiless = request.method === 'GET' || request.method === 'HEAD';
  if (bodiless && request.body.length > 0) return undefined;
  try {
    const headers = new Headers(lines.map(([n, v]) => [n, v] as [string, string]));
    const chunks = request.chunks.length ? request.chunks : [request.body];
    const body = bodiless || request.framing === 'none'
      ? null
      : new ReadableStream<Uint8Array>({
          start(controller) {
            for (const chunk of chunks) if (chunk.length) controller.enqueue(chunk.slice());
            controller.close();
          },
        });
    return new Request(origin + request.target, { method: request.method, headers, body, duplex: 'half' } as RequestInit);
  } catch {
    return undefined;
  }
}

/** The environ values a fetch host must derive from a Request (FETCH-2, FETCH-4). */
export function viewOfFetchRequest(native: Request): RequestView {
  const url = new URL(native.url);
  const headers: Array<[string, string]> = [];
  native.headers.forEach((value, name) => headers.push([name, value]));
  return {
    method: native.method,
    requestUri: url.pathname + url.search,
    pathInfo: percentDecode(url.pathname),
    queryString: url.search.slice(1),
    headers,
    serverName: url.hostname,
    serverPort: url.port || '80',
    protocol: 'HTTP/1.1',
    scheme: 'http',
    remoteAddress: undefined,
  };
}

/**
 * Drives a fetch host as a runtime would: each request becomes a `Request` whose URL the
 * WHATWG parser has normalised and whose headers `Headers` has sorted and joined, with a
 * streamed body; the `Response` is read as a stream, and the client can cancel it.
 */
export class FetchDriver implements Driver {
  readonly kind = 'fetch' as const;
  readonly label = 'fetch';
  readonly features = {
    rawTarget: false,
    rawHeaders: false,
    reasonPhrase: true,
    headerLines: false,
    incremental: true,
    disconnect: true,
    malformed: false,
    streamingRequest: false,
    commitVisible: true,
    framing: true,
  };
  /** Promises the host passed to `ctx.waitUntil` (FETCH-10). */
  readonly waited: Array<Promise<unknown>> = [];

  constructor(readonly handler: FetchHandlerUnderTest) {}

  /** The Request a runtime would hand over, or undefined when fetch cannot express the request. */
  #request(request: WireRequest): Request | undefined {
    return fetchRequestOf(request, ORIGIN, [['host', '127.0.0.1:8787'], ...request.headers]);
  }

  view(request: WireRequest): RequestView | undefined {
    const native = this.#request(request);
    return native && viewOfFetchRequest(native);
  }

  open(request: WireRequest): DriverExchange {
    const native = this.#request(request);
    const ctx = { waitUntil: (promise: Promise<unknown>) => void this.waited.push(Promise.resolve(promise).catch(() => {})), passThroughOnException() {} };
    const answer: Promise<Response> = native
      ? Promise.resolve().then(() => this.handler(native, {}, ctx))
      : Promise.reject(new Error(`fetch cannot express ${request.method} ${JSON.stringify(request.target)}`));
    answer.catch(() => {});
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let ended = false;
    let broken: unknown;
    const readerOf = async () => {
      if (reader) return reader;
      const response = await answer;
      reader = response.body?.getReader();
      if (!reader) ended = true;
      return reader;
    };
    const head = async () => {
      const response = await answer;
      const headers: Array<[string, string]> = [];
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') headers.push([name, value]);
      });
      for (const cookie of response.headers.getSetCookie()) headers.push(['set-cookie', cookie]);
      return { status: response.status, reason: response.statusText, headers };
    };
    const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
      Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))]);
    const nextChunk = async (ms: number): Promise<Uint8Array | null> => {
      const r = await withTimeout(readerOf(), ms, 'response');
      if (!r || ended) return null;
      try {
        const step = await withTimeout(r.read(), ms, 'body bytes');
        if (step.done) {
          ended = true;
          return null;
        }
        return step.value;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('no body bytes')) throw error;
        broken = error;
        ended = true;
        return null;
      }
    };
    return {
      head: (ms) => withTimeout(head(), ms, 'response'),
      nextChunk,
      async readAll(ms): Promise<WireResponse> {
        const { status, reason, headers } = await withTimeout(head(), ms, 'response');
        const parts: Uint8Array[] = [];
        for (;;) {
          const chunk = await nextChunk(ms);
          if (chunk === null) break;
          parts.push(chunk);
        }
        return { status, reason, headers, body: concatBytes(parts), complete: broken === undefined, interim: [], trailing: 0 };
      },
      anyResponseWithin: (ms) => Promise.race([answer.then(() => true, () => true), new Promise<boolean>((resolve) => setTimeout(resolve, ms, false))]),
      disconnect: () => {
        void readerOf().then((r) => r?.cancel(), () => {});
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.waited);
  }
}

