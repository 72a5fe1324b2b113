import { Buffer } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Lambda Runtime API (`/2018-06-01/runtime/...`) served on 127.0.0.1, for end-to-end
 * tests that run AWS's own runtime interface client against a handler: it hands out the
 * events queued with `invoke` through long-polled `invocation/next` calls, and records each
 * answer, buffered (`/response` with a JSON body) or streamed (`Lambda-Runtime-Function-
 * Response-Mode: streaming`, chunked, with error trailers), and each `/error` report.
 * Behaviour follows the AWS Lambda Developer Guide, "Using the Lambda runtime API for
 * custom runtimes" and "Response streaming".
 */

/** One invocation's outcome, as the Runtime API received it. */
export interface InvocationRecord {
  requestId: string;
  /** `response` for a result (buffered or streamed), `error` for an `/error` report. */
  kind: 'response' | 'error';
  streaming: boolean;
  /** Headers of the runtime's POST. */
  headers: IncomingMessage['headers'];
  /** The whole body of the POST. */
  body: Buffer;
  /** The body's chunks in the order they arrived. */
  chunks: Buffer[];
  /** Trailers of a streamed POST (the runtime reports mid-stream errors there). */
  trailers: Record<string, string | undefined>;
}

/** A streamed HTTP answer split into its prelude and payload. */
export interface StreamedHttpResponse {
  prelude: { statusCode?: number; headers?: Record<string, string>; cookies?: string[] };
  payload: Buffer;
}

const DELIMITER = Buffer.alloc(8);

/** Splits a streamed answer at the eight NUL bytes that end the JSON prelude. */
export function splitStreamedResponse(body: Buffer): StreamedHttpResponse {
  const at = body.indexOf(DELIMITER);
  if (at === -1) throw new Error(`no prelude delimiter in a streamed response of ${body.length} bytes`);
  return { prelude: JSON.parse(body.subarray(0, at).toString('utf8')), payload: body.subarray(at + DELIMITER.length) };
}

interface Pending {
  resolve: (record: InvocationRecord) => void;
  reject: (error: Error) => void;
}

export class RuntimeApi {
  readonly #server: Server;
  readonly #queue: Array<{ id: string; event: unknown; deadlineMs: number }> = [];
  readonly #waiting: ServerResponse[] = [];
  readonly #pending = new Map<string, Pending>();
  /** Paths of requests the server received, in order (`next`, `response`, `error`, and `/test/...` marks). */
  readonly log: string[] = [];
  /** Set when the runtime reported an init error. */
  initError: Buffer | undefined;
  /** Called with each streamed POST as it starts, to let a test pace its reading. */
  onStream: ((request: IncomingMessage, requestId: string) => void) | undefined;
  #counter = 0;

  private constructor() {
    this.#server = createServer((request, response) => this.#route(request, response));
  }

  static async start(): Promise<RuntimeApi> {
    const api = new RuntimeApi();
    await new Promise<void>((resolve) => api.#server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  /** `host:port`, as `AWS_LAMBDA_RUNTIME_API` takes it. */
  get address(): string {
    return `127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Queues an event; resolves with what the runtime answered. */
  invoke(event: unknown, options: { timeoutMs?: number } = {}): Promise<InvocationRecord> {
    const id = `8f5e-${++this.#counter}-4a3c`;
    const deadlineMs = Date.now() + (options.timeoutMs ?? 30_000);
    const answer = new Promise<InvocationRecord>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#queue.push({ id, event, deadlineMs });
    this.#dispatch();
    return answer;
  }

  async close(): Promise<void> {
    for (const response of this.#waiting.splice(0)) response.destroy();
    for (const pending of this.#pending.values()) pending.reject(new Error('the Runtime API closed'));
    this.#pending.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0 && this.#waiting.length > 0) {
      const { id, event, deadlineMs } = this.#queue.shift()!;
      const response = this.#waiting.shift()!;
      const body = JSON.stringify(event);
      response.writeHead(200, {
        'content-type': 'application/json',
        'lambda-runtime-aws-request-id': id,
        'lambda-runtime-deadline-ms': String(deadlineMs),
        'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:tsgi-e2e',
        'lambda-runtime-trace-id': 'Root=1-65f0c5a2-3f1e9b7d2a4c6e8f0a1b2c3d;Sampled=0',
      });
      response.end(body);
    }
  }

  #route(request: IncomingMessage, response: ServerResponse): void {
    const url = request.url ?? '';
    const path = url.replace(/^\/2018-06-01\/runtime/, '');
    if (request.method === 'GET' && path === '/invocation/next') {
      this.log.push('next');
      this.#waiting.push(response);
      this.#dispatch();
      return;
    }
    const match = /^\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (request.method === 'POST' && match) {
      const id = decodeURIComponent(match[1]!);
      const kind = match[2] as 'response' | 'error';
      const streaming = request.headers['lambda-runtime-function-response-mode'] === 'streaming';
      if (streaming) this.onStream?.(request, id);
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.log.push(`${kind} ${id}`);
        response.writeHead(202, { 'content-type': 'application/json' });
        response.end('{"status":"OK"}');
        const pending = this.#pending.get(id);
        this.#pending.delete(id);
        pending?.resolve({
          requestId: id,
          kind,
          streaming,
          headers: request.headers,
          body: Buffer.concat(chunks),
          chunks,
          trailers: { ...request.trailers },
        });
      });
      return;
    }
    if (request.method === 'POST' && path === '/init/error') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.initError = Buffer.concat(chunks);
        response.writeHead(202);
        response.end();
      });
      return;
    }
    if (url.startsWith('/test/')) {
      // Marks a test app sends to prove an order of events (wait_until work, pulls).
      this.log.push(url.slice(1));
      request.resume();
      response.writeHead(204);
      response.end();
      return;
    }
    response.writeHead(404);
    response.end();
  }
}
