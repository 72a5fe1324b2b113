import type { ServerResponse } from 'node:http';
import { constants as http2Constants, type Http2ServerResponse } from 'node:http2';
import { RequestAbortedError, statusCode, type Environ, type Exchange, type HeaderList, type ResponseSink, type Status } from '@tsgi/interface';
import type { NodeBodySource } from './node-body-source.js';

/** The parts of the handler every request's sink reports to. */
export interface SinkOwner {
  /** Called once per request when its response has ended or been aborted. */
  settled(sink: NodeResponseSink): void;
  /** True while a graceful shutdown runs: responses then ask the client to close. */
  readonly closing: boolean;
}

/** A Node response: HTTP/1 `ServerResponse` or the HTTP/2 compatibility `Http2ServerResponse`. */
export type NodeResponse = ServerResponse | Http2ServerResponse;

/** What the sink needs of the request. */
interface SinkRequest {
  readonly httpVersionMajor: number;
  readonly socket: object | null;
}

const RESOLVED: Promise<void> = Promise.resolve();
/** A body this small, sent whole, goes out with the head in one write (see `end`). */
const SMALL_BODY = 4096;
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }).latin1Slice;
const kSink = Symbol('tsgi.sink');
const kActive = Symbol('tsgi.active');
const reasons = new Map<string, string>();

/** The reason phrase of a status line, cached: apps send the same few statuses over and over. */
function reasonOf(status: Status): string {
  let reason = reasons.get(status);
  if (reason === undefined) {
    reason = status.slice(4);
    if (reasons.size < 256) reasons.set(status, reason);
  }
  return reason;
}

function flatten(headers: HeaderList): string[] {
  const flat = new Array<string>(headers.length * 2);
  for (let i = 0; i < headers.length; i++) {
    const pair = headers[i]!;
    flat[2 * i] = pair[0];
    flat[2 * i + 1] = pair[1];
  }
  return flat;
}

/** A connection carrying HTTP/1 requests, with the unfinished responses on it. */
type TrackedSocket = { [kActive]?: NodeResponseSink | null; on(event: 'close', listener: () => void): unknown };
type TrackedResponse = { [kSink]?: NodeResponseSink; on(event: string, listener: () => void): unknown };

/** The connection closed: every response on it that had not ended never will (HOST-22). */
function onSocketClose(this: TrackedSocket): void {
  let sink = this[kActive];
  this[kActive] = null;
  while (sink) {
    const next = sink.socketNext;
    sink.connectionClosed();
    sink = next;
  }
}

/** HTTP/2: the stream closed (after the end of the response, or before it). */
function onResponseClose(this: TrackedResponse): void {
  this[kSink]?.connectionClosed();
}

function onResponseDrain(this: TrackedResponse): void {
  this[kSink]?.drained();
}

const ACTIVE = 0;
const FINISHED = 1;
const ABORTED = 2;

/**
 * One request's glue between an Exchange and a Node response: puts the status, headers and
 * chunks on `res` (HTTP/1 via `writeHead(code, reason, flatHeaders)`, HTTP/2 through the
 * compatibility API), waits for `'drain'` when `write` returns false (NODE-5), and turns a
 * connection (HTTP/1) or stream (HTTP/2) that closes before the response ended into a client
 * disconnect (HOST-22, HOST-24).
 *
 * HTTP/1 disconnects are watched with one `'close'` listener per connection rather than one
 * per response; responses in flight on a connection form a linked list, as do all the
 * responses in flight of a host, so that the hot path allocates nothing to track them.
 */
export class NodeResponseSink implements ResponseSink {
  readonly owner: SinkOwner;
  readonly req: SinkRequest;
  readonly res: NodeResponse;
  /** When the request arrived (`performance.now()`), for `onResponse`. */
  readonly startedAt: number;
  exchange!: Exchange;
  environ: Environ | undefined = undefined;
  body: NodeBodySource | undefined = undefined;
  status: Status | '' = '';
  bytesSent = 0;
  /** The host refused the request itself (400, 413, 414, 431): the connection closes after (HOST-15). */
  refused = false;
  deadline: NodeJS.Timeout | undefined = undefined;
  /** Neighbours in the owner's list of responses in flight. */
  prev: NodeResponseSink | null = null;
  next: NodeResponseSink | null = null;
  /** Neighbours in the connection's list of responses in flight (HTTP/1). */
  socketPrev: NodeResponseSink | null = null;
  socketNext: NodeResponseSink | null = null;
  #state = ACTIVE;
  readonly #socket: TrackedSocket | null;
  readonly #h2: boolean;
  readonly #fresh: boolean;
  #drainWaiter: (() => void) | undefined = undefined;
  #drainListening = false;

  constructor(owner: SinkOwner, req: SinkRequest, res: NodeResponse, fresh: boolean, startedAt: number) {
    this.owner = owner;
    this.req = req;
    this.res = res;
    this.#fresh = fresh;
    this.startedAt = startedAt;
    this.#h2 = req.httpVersionMajor === 2;
    const socket = this.#h2 ? null : (req.socket as TrackedSocket | null);
    this.#socket = socket;
    if (socket !== null) {
      const head = socket[kActive];
      if (head === undefined) socket.on('close', onSocketClose);
      else if (head !== null) {
        this.socketNext = head;
        head.socketPrev = this;
      }
      socket[kActive] = this;
    } else {
      (res as unknown as TrackedResponse)[kSink] = this;
      res.on('close', onResponseClose);
    }
  }

  /** True once the response has ended or been aborted. */
  get settled(): boolean {
    return this.#state !== ACTIVE;
  }

  /** True when the response ended normally. */
  get finished(): boolean {
    return this.#state === FINISHED;
  }

  start(status: Status, headers: HeaderList): void {
    this.status = status;
    const res = this.res;
    const code = statusCode(status);
    if (this.#h2) {
      // The compatibility API takes [name, value] pairs and keeps repeated names.
      (res as unknown as { writeHead(code: number, headers: HeaderList): void }).writeHead(code, headers);
      return;
    }
    const http1 = res as ServerResponse;
    // HOST-15: after refusing a request, or a body that was too large, the rest of that body
    // is not worth reading; during a graceful shutdown the connection must not be reused.
    if (this.refused || code === 413 || code === 431 || this.owner.closing) http1.shouldKeepAlive = false;
    if (this.#fresh) {
      // Only this host has touched `res`: writeHead hands the list straight to Node's header
      // writer, which takes [name, value] pairs as well as a flat list (Node 18 and later).
      http1.writeHead(code, reasonOf(status), headers as unknown as string[]);
      return;
    }
    if (http1.getHeaderNames().length === 0) {
      http1.writeHead(code, reasonOf(status), flatten(headers));
      return;
    }
    // Headers set on `res` before the app ran (middleware of an enclosing stack): the app's
    // fields replace those of the same name, and its repeated fields all stay.
    for (const [name] of headers) http1.removeHeader(name);
    for (const [name, value] of headers) http1.appendHeader(name, value);
    http1.writeHead(code, reasonOf(status));
  }

  write(chunk: Uint8Array): boolean {
    this.bytesSent += chunk.length;
    return (this.res as ServerResponse).write(chunk);
  }

  drain(): Promise<void> {
    if (this.#state !== ACTIVE) return RESOLVED;
    if (!this.#drainListening) {
      this.#drainListening = true;
      (this.res as unknown as TrackedResponse)[kSink] = this;
      this.res.on('drain', onResponseDrain);
    }
    return new Promise((resolve) => {
      this.#drainWaiter = resolve;
    });
  }

  end(chunk?: Uint8Array, close?: boolean): void {
    const res = this.res as ServerResponse;
    if (chunk === undefined) res.end();
    else {
      this.bytesSent += chunk.length;
      // A small body sent whole goes as a latin1 string, which Node joins to the head in one
      // string write instead of a writev of head and buffer; latin1 maps bytes 1:1, so the
      // wire is the same. (`bytesSent` counts this chunk alone: nothing was written before.)
      if (chunk.length <= SMALL_BODY && this.bytesSent === chunk.length && !this.#h2) res.end(latin1Slice.call(chunk, 0, chunk.length), 'latin1');
      else res.end(chunk);
    }
    // BODY-15: the body overran its Content-Length; this connection carries nothing more.
    if (close === true && !this.#h2) res.socket?.destroySoon();
    this.#settle(FINISHED);
  }

  destroy(_error: unknown): void {
    // HOST-14: a broken response must look broken: reset the HTTP/2 stream, close the HTTP/1
    // connection (a chunked body then lacks its last chunk, a sized one its last bytes). The
    // bytes already written go out first, so the client sees where the response broke.
    if (this.#h2) (this.res as Http2ServerResponse).stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
    else {
      const socket = (this.res as ServerResponse).socket;
      if (socket) socket.destroySoon();
      else this.res.destroy();
    }
    this.#settle(ABORTED);
  }

  /** `'drain'` on the response. */
  drained(): void {
    const resolve = this.#drainWaiter;
    this.#drainWaiter = undefined;
    resolve?.();
  }

  /** The connection or stream closed: if the response had not ended, the client is gone. */
  connectionClosed(): void {
    if (this.#state !== ACTIVE) return;
    this.exchange.abort(new RequestAbortedError('the client disconnected before the response was complete'));
    this.#settle(ABORTED);
  }

  #settle(state: number): void {
    if (this.#state !== ACTIVE) return;
    this.#state = state;
    const socket = this.#socket;
    if (socket !== null) {
      const prev = this.socketPrev;
      const next = this.socketNext;
      if (prev !== null) prev.socketNext = next;
      else if (socket[kActive] === this) socket[kActive] = next;
      if (next !== null) next.socketPrev = prev;
      this.socketPrev = this.socketNext = null;
    }
    if (this.deadline !== undefined) clearTimeout(this.deadline);
    this.drained();
    // After a normal end the unread rest of the body is drained for the next request; after an
    // abort Node destroys the request itself, and a pending read learns it is cut off (INP-10).
    if (state === FINISHED) this.body?.discard();
    this.owner.settled(this);
  }
}
