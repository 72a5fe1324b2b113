import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import {
  EMPTY_INPUT,
  Exchange,
  RequestAbortedError,
  RequestError,
  SourceInputStream,
  describeError,
  environFromRequest,
  requestHeader,
  type App,
  type Environ,
  type ErrorStream,
  type ExchangeOptions,
  type Status,
} from '@tsgi/interface';
import { applyProxyView, compileProxyTrust } from '@tsgi/interface/middleware';
import { WaitUntilTracker } from '../shared/wait-until-tracker.js';
import { NodeBodySource } from './node-body-source.js';
import {
  DEFAULT_MAX_HEADER_COUNT,
  DEFAULT_MAX_REQUEST_LINE,
  stderrErrorStream,
  type NodeHandlerOptions,
  type ResponseInfo,
} from './node-options.js';
import { NodeResponseSink, type NodeResponse, type SinkOwner } from './node-response-sink.js';
import { kSourceEnviron } from './node-request-from-environ.js';
import { requestDescriptionFromNode, type NodeRequestGlue } from './request-description-from-node.js';

/** A Node request: HTTP/1 `IncomingMessage` or the HTTP/2 compatibility `Http2ServerRequest`. */
export type NodeRequest = IncomingMessage | Http2ServerRequest;

declare module '@tsgi/interface' {
  interface HostVariables {
    /** The native request (NODE-3). Its body is `tsgi.input`'s: read one or the other (ENV-30). */
    'node.request'?: IncomingMessage | Http2ServerRequest;
  }
}

const REFUSALS: Record<number, Status> = {
  400: '400 Bad Request',
  408: '408 Request Timeout',
  413: '413 Content Too Large',
  414: '414 URI Too Long',
  431: '431 Request Header Fields Too Large',
};

function onDeadline(sink: NodeResponseSink, ms: number): void {
  sink.exchange.giveUp(new RequestAbortedError(`[HOST-23] the request passed its deadline of ${ms} ms`), '503 Service Unavailable');
}

/**
 * Everything one Node handler shares across its requests: the app, the options compiled
 * once, the requests in flight (for `close()`), and the `tsgi.wait_until` work.
 */
export class NodeHandlerHost implements SinkOwner {
  readonly app: App;
  readonly errors: ErrorStream;
  readonly waitUntil: WaitUntilTracker;
  /** Requests whose response has not ended, and the first of them (a linked list through the sinks). */
  inFlight = 0;
  #first: NodeResponseSink | null = null;
  closing = false;
  readonly #glue: NodeRequestGlue;
  readonly #options: ExchangeOptions;
  readonly #headOptions: ExchangeOptions;
  readonly #maxBodySize: number | undefined;
  readonly #maxHeaderFields: number;
  readonly #maxRequestLine: number;
  readonly #deadline: number | undefined;
  readonly #onResponse: ((info: ResponseInfo) => void) | undefined;
  readonly #proxies: ReturnType<typeof compileProxyTrust> | undefined;
  #idle: Array<() => void> = [];

  constructor(app: App, options: NodeHandlerOptions = {}) {
    if (typeof app !== 'function') throw new TypeError(`[APP-1] the app must be a function; got ${typeof app}`);
    this.app = app;
    this.errors = options.errors ?? stderrErrorStream;
    this.waitUntil = new WaitUntilTracker(this.errors);
    this.#glue = {
      input: EMPTY_INPUT,
      errors: this.errors,
      waitUntil: this.waitUntil.waitUntil,
      multiprocess: options.multiprocess === true,
    };
    this.#options = { errors: this.errors };
    this.#headOptions = { errors: this.errors, head: true };
    const limits = options.limits ?? {};
    this.#maxBodySize = positive(limits.maxBodySize, 'limits.maxBodySize');
    this.#maxHeaderFields = positive(limits.maxHeaderCount, 'limits.maxHeaderCount') ?? DEFAULT_MAX_HEADER_COUNT;
    this.#maxRequestLine = positive(limits.maxRequestLine, 'limits.maxRequestLine') ?? DEFAULT_MAX_REQUEST_LINE;
    this.#deadline = positive(limits.requestDeadline, 'limits.requestDeadline');
    this.#onResponse = options.onResponse;
    const trusted = options.trustedProxies;
    this.#proxies = trusted === undefined || (Array.isArray(trusted) && trusted.length === 0) ? undefined : compileProxyTrust({ trust: trusted });
  }

  /**
   * Serves one request. `fresh` says that nothing but this host touched `res` (its own
   * server), `lazyContinue` that the request waits for `100 Continue` (INP-15).
   */
  handle(req: NodeRequest, res: NodeResponse, fresh: boolean, lazyContinue: boolean): void {
    const startedAt = this.#onResponse === undefined ? 0 : performance.now();
    const sink = new NodeResponseSink(this, req, res, fresh, startedAt);
    const exchange = new Exchange(sink, req.method === 'HEAD' ? this.#headOptions : this.#options);
    sink.exchange = exchange;
    const first = this.#first;
    if (first !== null) {
      sink.next = first;
      first.prev = sink;
    }
    this.#first = sink;
    this.inFlight++;
    const rawHeaders = req.rawHeaders;
    if (rawHeaders.length > 2 * this.#maxHeaderFields) return this.#refuse(sink, 431);
    if ((req.method?.length ?? 0) + (req.url?.length ?? 0) + 10 > this.#maxRequestLine) return this.#refuse(sink, 414);
    let environ: Environ;
    let peerPort: string | undefined;
    try {
      const description = requestDescriptionFromNode(req, exchange, this.#glue);
      if (this.#proxies !== undefined) {
        // The port is the peer's or the proxy's: applyProxyView adds the one that holds.
        peerPort = description.remotePort === undefined ? undefined : String(description.remotePort);
        description.remotePort = undefined;
      }
      environ = environFromRequest(description);
    } catch (error) {
      if (error instanceof RequestError) return this.#refuse(sink, error.status);
      throw error;
    }
    environ['node.request'] = req;
    const source = (req as { [kSourceEnviron]?: Environ })[kSourceEnviron];
    if (source !== undefined) environ['tsgi.wait_until'] = source['tsgi.wait_until'];
    const h2 = req.httpVersionMajor === 2;
    const length = environ.CONTENT_LENGTH;
    if (
      h2
        ? !(req as Http2ServerRequest).stream.endAfterHeaders
        : (length !== undefined && length !== '0') || environ.HTTP_TRANSFER_ENCODING !== undefined
    ) {
      const declared = length === undefined ? undefined : Number(length);
      const limit = this.#maxBodySize;
      // HOST-9: a body announced too large is refused before the app runs.
      if (limit !== undefined && declared !== undefined && declared > limit) return this.#refuse(sink, 413);
      const body = new NodeBodySource(req);
      sink.body = body;
      const expects = lazyContinue || (!h2 && awaitsContinue(res as ServerResponse));
      environ['tsgi.input'] = new SourceInputStream(body, {
        contentLength: declared,
        limit,
        onFirstRead: expects ? () => sendContinue(res) : undefined,
      });
    }
    if (this.#proxies !== undefined) {
      // The host's own environ, not yet seen by the app: changed in place, not copied.
      const built = environ;
      applyProxyView(built, this.#proxies(built.REMOTE_ADDR, (name: string) => requestHeader(built, name)), peerPort);
    }
    sink.environ = environ;
    if (this.#deadline !== undefined) sink.deadline = setTimeout(onDeadline, this.#deadline, sink, this.#deadline).unref();
    const running = exchange.run(this.app, environ);
    if (running !== undefined) running.catch((error: unknown) => this.#internalError(error));
  }

  /** The host answers the request itself, without calling the app (HOST-6 .. HOST-9). */
  #refuse(sink: NodeResponseSink, code: number): void {
    sink.refused = true;
    const status = REFUSALS[code] ?? REFUSALS[400]!;
    sink.exchange.giveUp(new RequestAbortedError(`the host refused the request: ${status}`), status);
  }

  #internalError(error: unknown): void {
    this.errors.write(`tsgi: the Node host failed\n${describeError(error)}\n`);
  }

  settled(sink: NodeResponseSink): void {
    const prev = sink.prev;
    const next = sink.next;
    if (prev !== null) prev.next = next;
    else if (this.#first === sink) this.#first = next;
    if (next !== null) next.prev = prev;
    sink.prev = sink.next = null;
    this.inFlight--;
    const onResponse = this.#onResponse;
    if (onResponse !== undefined && sink.environ !== undefined) {
      try {
        onResponse({
          environ: sink.environ,
          status: sink.status,
          bytesSent: sink.bytesSent,
          durationMs: performance.now() - sink.startedAt,
          aborted: !sink.finished,
        });
      } catch (error) {
        this.errors.write(`tsgi: onResponse threw\n${describeError(error)}\n`);
      }
    }
    if (this.inFlight === 0 && this.#idle.length > 0) {
      const waiting = this.#idle;
      this.#idle = [];
      for (const resolve of waiting) resolve();
    }
  }

  /** Resolves when no request is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Gives up on every request in flight (HOST-31): 503 if uncommitted, else aborted. */
  giveUpAll(reason: unknown): void {
    const sinks: NodeResponseSink[] = [];
    for (let sink = this.#first; sink !== null; sink = sink.next) sinks.push(sink);
    for (const sink of sinks) {
      sink.exchange.giveUp(reason, '503 Service Unavailable');
      // A response that had ended but is still owed to a slow client: nothing left to give up.
      if (!sink.settled) sink.connectionClosed();
    }
  }
}

function positive(value: number | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!(Number.isSafeInteger(value) && value > 0)) throw new TypeError(`${what} must be a positive integer; got ${String(value)}`);
  return value;
}

/** HTTP/1: Node waits for us to send `100 Continue` when the server listens for `'checkContinue'`. */
function awaitsContinue(res: ServerResponse): boolean {
  const internal = res as ServerResponse & { _expect_continue?: boolean; _sent100?: boolean };
  return internal._expect_continue === true && internal._sent100 !== true;
}

/** INP-15: `100 Continue` when the app first reads, never once the response is committed. */
function sendContinue(res: NodeResponse): void {
  if (!res.headersSent && !res.writableEnded) res.writeContinue();
}
