import { MemoryErrorStream } from './error-stream.js';
import { environFromRequest } from './environ-from-request.js';
import { describeError, RequestError } from './errors.js';
import { Exchange, type ResponseSink } from './exchange.js';
import { EMPTY_INPUT, SourceInputStream } from './input-stream.js';
import type { App, Environ, HeaderList, Status } from './types.js';

/** A request for `callApp`; every string is a ByteString, as on the wire. */
export interface MemoryRequest {
  method?: string;
  /** Request target as sent: `/path?query`. */
  target?: string;
  headers?: ReadonlyArray<readonly [string, string]>;
  /** Body bytes, or chunks to deliver one by one. */
  body?: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  scheme?: 'http' | 'https';
  serverName?: string;
  serverPort?: string;
  remoteAddress?: string;
  /** Aborts the exchange as a client disconnect would. */
  signal?: AbortSignal;
  /** Extra environ keys (a host's escape hatches). */
  extra?: Record<string, unknown>;
}

export interface MemoryResponse {
  status: Status;
  headers: HeaderList;
  /** The chunks the host sent, in order. */
  chunks: Uint8Array[];
  body: Uint8Array;
  /** The response was torn down after commit (app error, short body). */
  destroyed: boolean;
  errors: string;
  environ: Environ | undefined;
  /** Header value lookup, case-insensitive. */
  header(name: string): string | undefined;
  text(): string;
}

/**
 * Runs an app in memory through the same machinery as every host (environ building, the
 * exchange and its rules), with a sink that records what would reach the wire. The test
 * client of tsgi: no sockets, the real contract.
 */
export async function callApp(app: App, request: MemoryRequest = {}): Promise<MemoryResponse> {
  const errors = new MemoryErrorStream();
  const method = request.method ?? 'GET';
  let status: Status | undefined;
  let headers: HeaderList = [];
  const chunks: Uint8Array[] = [];
  let destroyed = false;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const sink: ResponseSink = {
    start(s, h) {
      status = s;
      headers = h;
    },
    write(chunk) {
      chunks.push(chunk.slice());
      return true;
    },
    drain: () => Promise.resolve(),
    end(chunk) {
      if (chunk) chunks.push(chunk.slice());
      finished();
    },
    destroy() {
      destroyed = true;
      finished();
    },
  };
  const exchange = new Exchange(sink, { errors, head: method === 'HEAD' });
  const rawHeaders = (request.headers ?? [['host', 'localhost']]).flat();
  const bodySource = toSource(request.body);
  const lengthField = (request.headers ?? []).find(([name]) => name.toLowerCase() === 'content-length');
  const waiting: Promise<unknown>[] = [];
  let environ: Environ | undefined;
  try {
    environ = environFromRequest({
      method,
      target: request.target ?? '/',
      rawHeaders,
      protocol: 'HTTP/1.1',
      scheme: request.scheme ?? 'http',
      serverName: request.serverName ?? 'localhost',
      serverPort: request.serverPort ?? (request.scheme === 'https' ? '443' : '80'),
      remoteAddress: request.remoteAddress ?? '127.0.0.1',
      input: bodySource
        ? new SourceInputStream(bodySource, { contentLength: lengthField ? Number(lengthField[1]) : undefined })
        : EMPTY_INPUT,
      errors,
      lifecycle: exchange,
      // Any thenable; a rejection goes to tsgi.errors, never unhandled (HOST-25, HOST-28).
      waitUntil: (promise) =>
        void waiting.push(
          Promise.resolve(promise).then(undefined, (error: unknown) => errors.write(`[HOST-28] a tsgi.wait_until promise rejected\n${describeError(error)}\n`)),
        ),
      // callApp may run many requests at once, and the same app again (ENV-27, HOST-4, HOST-5).
      multithread: true,
      multiprocess: false,
      runOnce: false,
    });
    if (request.extra) Object.assign(environ, request.extra);
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    const text = new TextEncoder().encode(error.message);
    return makeResponse(`${error.status} Bad Request` as Status, [], [text], false, errors.text, undefined);
  }
  request.signal?.addEventListener('abort', () => {
    exchange.abort(request.signal!.reason);
    finished();
  });
  await Promise.all([exchange.run(app, environ), done]);
  await Promise.all(waiting);
  return makeResponse(status ?? ('000 No Response' as Status), headers, chunks, destroyed, errors.text, environ);
}

function toSource(body: MemoryRequest['body']): AsyncIterable<Uint8Array> | undefined {
  if (body === undefined) return undefined;
  if (body instanceof Uint8Array) {
    return (async function* () {
      yield body;
    })();
  }
  if (Symbol.asyncIterator in body) return body;
  return (async function* () {
    yield* body;
  })();
}

function makeResponse(
  status: Status,
  headers: HeaderList,
  chunks: Uint8Array[],
  destroyed: boolean,
  errors: string,
  environ: Environ | undefined,
): MemoryResponse {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return {
    status,
    headers,
    chunks,
    body,
    destroyed,
    errors,
    environ,
    header(name) {
      const lower = name.toLowerCase();
      return headers.find(([key]) => key.toLowerCase() === lower)?.[1];
    },
    text() {
      return new TextDecoder().decode(body);
    },
  };
}

