import { describeError, ProtocolError, RequestAbortedError, RequestError } from './errors.js';
import {
  isHopByHop,
  isToken,
  isValidFieldValue,
  isValidStatus,
  parseContentLength,
  statusCode,
  statusForbidsBody,
} from './response-rules.js';
import type { App, Body, ErrorStream, HeaderList, HeaderPair, Status, Write } from './types.js';

/**
 * What a host gives the exchange to put a response on its transport. Hosts implement
 * these five calls and nothing else of the response rules: the exchange decides when
 * headers commit, what reaches the sink and when the body is released.
 */
export interface ResponseSink {
  /** Headers are committed: send the status and these headers. Called at most once. */
  start(status: Status, headers: HeaderList): void;
  /** Send one non-empty chunk; return false to make the exchange await `drain()` first. */
  write(chunk: Uint8Array): boolean;
  /** Resolves when the transport takes more data, or when the client is gone. */
  drain(): Promise<void>;
  /**
   * The response is complete; `chunk`, when given, is its last non-empty chunk. `close` is
   * true when the connection must not carry another response (the body overran its
   * Content-Length, BODY-15): close it (or reset the stream) once these bytes are out.
   */
  end(chunk?: Uint8Array, close?: boolean): void;
  /** The response cannot complete (after commit): tear the transport down. */
  destroy(error: unknown): void;
}

export interface ExchangeOptions {
  /** Where diagnostics go: the request's `tsgi.errors`. */
  errors: ErrorStream;
  /** HEAD request: headers go out, body bytes never do (BODY-20). */
  head?: boolean | undefined;
}

const IDLE = 0; // startResponse not called yet
const PENDING = 1; // status and headers set, not committed
const COMMITTED = 2; // sink.start called
const DONE = 3; // sink.end or sink.destroy called, or the client is gone

const RESOLVED: Promise<void> = Promise.resolve();

/** Any Uint8Array, Node Buffers and arrays from another realm (a vm context, a worker) included (BODY-2). */
function isUint8Array(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]');
}
const GENERIC_BODIES = new Map<number, Uint8Array>();

/**
 * Header names and status lines repeat from one response to the next, so their checks are
 * remembered (a regular expression and a lower-casing per header cost more than the rest of
 * a small response). Kinds: 0 not a token, 1 ordinary, 2 hop-by-hop, 3 Content-Length.
 */
const NAME_KINDS = new Map<string, number>();
const VALID_STATUSES = new Set<string>();
const VALID_VALUES = new Set<string>();
const CACHE_LIMIT = 1024;

function nameKind(name: unknown): number {
  if (typeof name !== 'string') return 0;
  let kind = NAME_KINDS.get(name);
  if (kind === undefined) {
    kind = !isToken(name) ? 0 : isHopByHop(name) ? 2 : name.length === 14 && name.toLowerCase() === 'content-length' ? 3 : 1;
    if (NAME_KINDS.size < CACHE_LIMIT) NAME_KINDS.set(name, kind);
  }
  return kind;
}

/** Field values repeat too (`text/html; charset=utf-8`, `no-store`); short ones are remembered. */
function validValue(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (VALID_VALUES.has(value)) return true;
  if (!isValidFieldValue(value)) return false;
  if (value.length <= 64 && VALID_VALUES.size < CACHE_LIMIT) VALID_VALUES.add(value);
  return true;
}

function validStatus(status: unknown): status is Status {
  if (typeof status !== 'string') return false;
  if (VALID_STATUSES.has(status)) return true;
  if (!isValidStatus(status)) return false;
  if (VALID_STATUSES.size < CACHE_LIMIT) VALID_STATUSES.add(status);
  return true;
}

function genericResponse(code: number, status: Status): [HeaderList, Uint8Array] {
  let body = GENERIC_BODIES.get(code);
  if (!body) {
    body = new TextEncoder().encode(status.slice(4) + '\n');
    GENERIC_BODIES.set(code, body);
  }
  return [
    [
      ['content-type', 'text/plain; charset=utf-8'],
      ['content-length', String(body.length)],
    ],
    body,
  ];
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `${JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value)} (string)`;
  if (value === null) return 'null';
  if (typeof value === 'object') return `${(value as object).constructor?.name ?? 'Object'} (object)`;
  return `${String(value)} (${typeof value})`;
}

/**
 * One request/response exchange: runs an app, enforces the startResponse rules, commits
 * headers on the first non-empty chunk (BODY-5), pushes chunks to the host's sink with
 * backpressure (BODY-7), and releases the body exactly once on every path (BODY-9).
 *
 * An app that calls startResponse synchronously and returns an array runs without a single
 * promise or generator: `run` then returns undefined.
 */
export class Exchange {
  readonly #sink: ResponseSink;
  readonly #errors: ErrorStream;
  readonly #head: boolean;
  #state = IDLE;
  #status: Status = '200 OK';
  #headers: HeaderList = [];
  #declared = -1;
  #checkedLength = -1;
  #sent = 0;
  #noBody = false;
  #body: Body | undefined = undefined;
  #iterator: Iterator<unknown> | AsyncIterator<unknown> | undefined = undefined;
  #iteratorDone = false;
  #released = false;
  #aborted = false;
  #abortReason: unknown = undefined;
  #controller: AbortController | undefined = undefined;
  #writeFn: Write | undefined = undefined;
  #startedSink = false;
  /** The app returned its body, or failed so that none will come: release may proceed. */
  #bodySettled = false;
  /** Inside a sync iterator's next(): a reentrant abort must not call return() now. */
  #stepping = false;

  constructor(sink: ResponseSink, options: ExchangeOptions) {
    this.#sink = sink;
    this.#errors = options.errors;
    this.#head = options.head === true;
  }

  /** `tsgi.signal`: created on first use, so requests that never ask pay nothing for it. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  /** True once the status and headers have gone to the sink. */
  get committed(): boolean {
    return this.#startedSink;
  }

  /** True once the body has been released (returned and closed). */
  get released(): boolean {
    return this.#released;
  }

  /** The startResponse handed to the app. */
  readonly startResponse = (status: Status, headers: HeaderList, excInfo?: unknown): Write => {
    if (this.#released || (this.#state === DONE && !this.#aborted)) {
      throw new ProtocolError('SR-13', 'startResponse was called after the body ended or was released');
    }
    if (this.#state >= COMMITTED && excInfo !== undefined) throw excInfo; // SR-12
    if (this.#state !== IDLE && excInfo === undefined) {
      throw new ProtocolError('SR-10', 'startResponse was called a second time without excInfo');
    }
    // Invalid statuses and headers never reach the wire; the app error policy applies (SR-15).
    if (!validStatus(status)) {
      throw new ProtocolError('SR-1', `status must be a final status line such as "200 OK"; got ${describeValue(status)}`);
    }
    const checked = this.#checkHeaders(headers);
    if (this.#checkedLength >= 0 && statusCode(status) === 204) {
      throw new ProtocolError('SR-8', 'a 204 response must not carry Content-Length');
    }
    this.#headers = checked;
    this.#declared = this.#checkedLength;
    this.#status = status;
    this.#state = PENDING;
    return (this.#writeFn ??= (chunk) => this.#write(chunk));
  };

  /** Checks the headers and copies them (SR-14): later changes by the app have no effect. */
  #checkHeaders(headers: HeaderList): HeaderList {
    if (!Array.isArray(headers)) {
      throw new ProtocolError('SR-2', `headers must be an array of [name, value] pairs; got ${describeValue(headers)}`);
    }
    const kept: HeaderList = [];
    let declared = -1;
    for (let i = 0; i < headers.length; i++) {
      const pair = headers[i] as HeaderPair | undefined;
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new ProtocolError('SR-2', `headers[${i}] must be a [name, value] pair; got ${describeValue(pair)}`);
      }
      const [name, value] = pair;
      const kind = nameKind(name);
      if (kind === 0) throw new ProtocolError('SR-3', `header name must be an RFC 9110 token; got ${describeValue(name)}`);
      if (!validValue(value)) {
        throw new ProtocolError('SR-4', `header ${name} has a value with a control character or non-byte; got ${describeValue(value)}`);
      }
      if (kind === 2) {
        // Connection management is the host's business: drop it and say so (HOST-16).
        this.#errors.write(`[HOST-16] dropped hop-by-hop response header ${name}: ${value}\n`);
        continue;
      }
      if (kind === 3) {
        const length = parseContentLength(value);
        if (length < 0 || declared >= 0) {
          throw new ProtocolError('SR-7', `Content-Length must be one header of ASCII digits; got ${describeValue(value)}`);
        }
        declared = length;
      }
      kept.push([name, value]);
    }
    this.#checkedLength = declared;
    return kept;
  }

  /** Runs `app` against `environ`; returns a promise only when something was asynchronous. */
  run(app: App, environ: Parameters<App>[0]): void | Promise<void> {
    let result: Body | Promise<Body>;
    try {
      result = app(environ, this.startResponse);
    } catch (error) {
      this.#bodySettled = true;
      return this.#fail(error);
    }
    if (result !== null && typeof result === 'object' && typeof (result as Promise<Body>).then === 'function') {
      return (result as Promise<Body>).then(
        (body) => this.#consume(body),
        (error) => {
          this.#bodySettled = true;
          this.#fail(error);
        },
      );
    }
    return this.#consume(result as Body);
  }

  /** The client is gone: stop, abort `tsgi.signal`, release the body; nothing more is sent. */
  abort(reason: unknown = new RequestAbortedError('the client disconnected')): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#state = DONE;
    this.#controller?.abort(reason);
    if (!this.#stepping) this.#release();
  }

  /**
   * The host gives up on the request (deadline, shutdown): answers `status` if nothing was
   * committed, else tears the response down; then aborts `tsgi.signal` and releases.
   */
  giveUp(reason: unknown, status: Status = '503 Service Unavailable'): void {
    if (this.#aborted || this.#state === DONE) {
      this.abort(reason);
      return;
    }
    if (this.#state < COMMITTED) this.#sendGeneric(status);
    else this.#sink.destroy(reason);
    this.abort(reason);
  }

  #write(chunk: Uint8Array): Promise<void> {
    if (!isUint8Array(chunk)) {
      return Promise.reject(new TypeError(`[SR-17] write() takes a Uint8Array; got ${describeValue(chunk)}`));
    }
    if (this.#bodySettled) {
      return Promise.reject(new ProtocolError('SR-22', 'write() was called after the app returned its body'));
    }
    // After a disconnect the app learns it here and from tsgi.signal (SR-23).
    if (this.#aborted) return Promise.reject(new RequestAbortedError());
    // After HEAD, a 204/304 commit or a Content-Length overrun the bytes go nowhere.
    if (this.#state === DONE) return RESOLVED;
    try {
      return this.#push(chunk) ? RESOLVED : this.#sink.drain();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #consume(body: Body): void | Promise<void> {
    this.#body = body;
    this.#bodySettled = true;
    if (this.#aborted) return this.#release();
    try {
      if (Array.isArray(body)) return this.#consumeArray(body as Uint8Array[]);
      if (body !== null && typeof body === 'object') {
        if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
          const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
          this.#iterator = iterator;
          return this.#pumpAsync(iterator);
        }
        if (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function') {
          const iterator = (body as Iterable<Uint8Array>)[Symbol.iterator]();
          this.#iterator = iterator;
          return this.#pumpSync(iterator);
        }
      }
      throw new ProtocolError('APP-3', `the app must return an iterable object of Uint8Array chunks; got ${describeValue(body)}`);
    } catch (error) {
      return this.#fail(error);
    }
  }

  #consumeArray(chunks: Uint8Array[]): void | Promise<void> {
    const count = chunks.length;
    if (this.#state === PENDING && this.#declared < 0 && !this.#head && !statusForbidsBody(statusCode(this.#status))) {
      // The whole body is known: the host may frame it with Content-Length (BODY-17, BODY-18).
      let total = 0;
      for (let i = 0; i < count; i++) total += this.#checkChunk(chunks[i]).length;
      this.#headers = this.#headers.concat([['content-length', String(total)]]);
      this.#declared = total;
    }
    let last = count - 1;
    while (last >= 0 && this.#checkChunk(chunks[last]).length === 0) last--;
    for (let i = 0; i < last; i++) {
      if (!this.#push(chunks[i]!)) return this.#resumeArray(chunks, i + 1, last);
      if (this.#state === DONE) return this.#release();
    }
    if (last >= 0) this.#push(chunks[last]!, true);
    return this.#finish();
  }

  async #resumeArray(chunks: Uint8Array[], from: number, last: number): Promise<void> {
    try {
      await this.#sink.drain();
      for (let i = from; i <= last; i++) {
        if (this.#state === DONE) return this.#release();
        if (!this.#push(chunks[i]!, i === last)) await this.#sink.drain();
      }
      if (this.#state === DONE) return this.#release();
      this.#finish();
    } catch (error) {
      this.#fail(error);
    }
  }

  #pumpSync(iterator: Iterator<unknown>): void | Promise<void> {
    try {
      for (;;) {
        if (this.#state === DONE) return this.#release();
        this.#stepping = true;
        let step: IteratorResult<unknown>;
        try {
          step = iterator.next();
        } catch (error) {
          // An iterator that threw is finished: it gets no return() (BODY-10).
          this.#iteratorDone = true;
          throw error;
        } finally {
          this.#stepping = false;
        }
        if (step.done) this.#iteratorDone = true;
        if (this.#state === DONE) return this.#release();
        if (step.done) {
          this.#iteratorDone = true;
          return this.#finish();
        }
        if (!this.#push(step.value as Uint8Array)) {
          return this.#sink.drain().then(
            () => this.#pumpSync(iterator),
            (error) => this.#fail(error),
          );
        }
      }
    } catch (error) {
      return this.#fail(error);
    }
  }

  async #pumpAsync(iterator: AsyncIterator<unknown>): Promise<void> {
    try {
      for (;;) {
        if (this.#state === DONE) return this.#release();
        let step: IteratorResult<unknown>;
        try {
          step = await iterator.next();
        } catch (error) {
          // An iterator that threw is finished: it gets no return() (BODY-10).
          this.#iteratorDone = true;
          throw error;
        }
        if (step.done) this.#iteratorDone = true;
        // A chunk that arrives after the client left belongs to nobody (HOST-24).
        if (this.#state === DONE) return this.#release();
        if (step.done) {
          this.#iteratorDone = true;
          return this.#finish();
        }
        if (!this.#push(step.value as Uint8Array)) await this.#sink.drain();
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  #checkChunk(chunk: unknown): Uint8Array {
    if (isUint8Array(chunk)) return chunk;
    throw new ProtocolError('APP-4', `body chunks must be Uint8Array (strings are not chunks); got ${describeValue(chunk)}`);
  }

  /** Sends one chunk, committing headers first if it is the first non-empty one. */
  #push(value: unknown, last = false): boolean {
    const chunk = this.#checkChunk(value);
    if (chunk.length === 0) return true;
    if (this.#state === IDLE) {
      throw new ProtocolError('BODY-4', 'the body produced a chunk before startResponse was called');
    }
    if (this.#state === PENDING) {
      this.#commit();
      if (this.#noBody) {
        // HEAD, 204, 205, 304: headers only; iteration stops here (BODY-20, BODY-22).
        if (!this.#head) this.#errors.write(`[BODY-21] ${this.#status} carries no body; its body bytes were dropped\n`);
        this.#end();
        return true;
      }
    } else if (this.#state === DONE) return true;
    if (this.#declared >= 0 && this.#sent + chunk.length > this.#declared) {
      // Never more than the declared Content-Length on the wire (BODY-15).
      this.#errors.write(`[BODY-15] body exceeds Content-Length ${this.#declared}; the excess was dropped\n`);
      const room = this.#declared - this.#sent;
      this.#sent = this.#declared;
      this.#end(room > 0 ? chunk.subarray(0, room) : undefined, true);
      return true;
    }
    this.#sent += chunk.length;
    if (last && (this.#declared < 0 || this.#sent === this.#declared)) {
      this.#end(chunk);
      return true;
    }
    return this.#sink.write(chunk);
  }

  #commit(): void {
    this.#state = COMMITTED;
    this.#noBody = this.#head || statusForbidsBody(statusCode(this.#status));
    this.#startedSink = true;
    this.#sink.start(this.#status, this.#headers);
  }

  #end(chunk?: Uint8Array, close = false): void {
    this.#state = DONE;
    if (close) this.#sink.end(chunk, true);
    else this.#sink.end(chunk);
  }

  /** The body is exhausted: commit if nothing did yet, check the length, end, release. */
  #finish(): void {
    if (this.#state === DONE) return this.#release();
    if (this.#state === IDLE) {
      throw new ProtocolError('BODY-4', 'the body ended before startResponse was called');
    }
    if (this.#state === PENDING) {
      if (this.#declared < 0 && !this.#head && !statusForbidsBody(statusCode(this.#status))) {
        this.#headers = this.#headers.concat([['content-length', '0']]);
        this.#declared = 0;
      }
      this.#commit();
    }
    if (!this.#noBody && this.#declared >= 0 && this.#sent < this.#declared) {
      // A short body cannot be framed: the client must see a broken response, not wait (BODY-16).
      const error = new ProtocolError('BODY-16', `body ended after ${this.#sent} of ${this.#declared} declared bytes`);
      this.#errors.write(`${error.message}\n`);
      this.#state = DONE;
      this.#sink.destroy(error);
    } else this.#end();
    this.#release();
  }

  #sendGeneric(status: Status): void {
    const [headers, body] = genericResponse(statusCode(status), status);
    this.#state = COMMITTED;
    this.#startedSink = true;
    this.#sink.start(status, headers);
    this.#end(this.#head ? undefined : body);
  }

  /**
   * The shared error policy: before the commit a generic 500 (HOST-11, HOST-12), or 413 for
   * an oversized body (HOST-10); after it, abort the response (HOST-14); details only to
   * tsgi.errors (HOST-13).
   */
  #fail(error: unknown): void {
    if (this.#aborted) return this.#release();
    this.#errors.write(`tsgi: the application raised an error\n${describeError(error)}\n`);
    if (this.#state < COMMITTED) {
      if (error instanceof RequestError) this.#sendGeneric(REQUEST_ERROR_STATUS[error.status]);
      else if ((error as { code?: unknown } | null)?.code === 'TSGI_INPUT_TOO_LARGE') this.#sendGeneric('413 Content Too Large');
      else this.#sendGeneric('500 Internal Server Error');
    } else if (this.#state === COMMITTED) {
      this.#state = DONE;
      this.#sink.destroy(error);
    }
    this.#release();
  }

  /** Releases the body exactly once (BODY-9): `return()` if stopped early (BODY-10), then `close()` (BODY-11); failures reported (BODY-12). */
  #release(): void {
    if (this.#released || !this.#bodySettled) return;
    this.#released = true;
    const iterator = this.#iterator;
    if (iterator && !this.#iteratorDone && typeof iterator.return === 'function') {
      let result: unknown;
      try {
        result = iterator.return();
      } catch (error) {
        this.#reportReleaseError(error);
      }
      if (result instanceof Promise) {
        result.then(
          () => this.#close(),
          (error) => {
            this.#reportReleaseError(error);
            this.#close();
          },
        );
        return;
      }
    }
    this.#close();
  }

  #close(): void {
    const body = this.#body;
    if (body === undefined || body === null || typeof body.close !== 'function') return;
    try {
      const result = body.close();
      if (result instanceof Promise) result.catch((error) => this.#reportReleaseError(error));
    } catch (error) {
      this.#reportReleaseError(error);
    }
  }

  #reportReleaseError(error: unknown): void {
    this.#errors.write(`tsgi: releasing the response body failed\n${describeError(error)}\n`);
  }
}

const REQUEST_ERROR_STATUS: Record<RequestError['status'], Status> = {
  400: '400 Bad Request',
  408: '408 Request Timeout',
  413: '413 Content Too Large',
  431: '431 Request Header Fields Too Large',
};
