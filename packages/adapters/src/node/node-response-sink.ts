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

const RESOLVED: Promise<void> = Promise.resolve();
const kSink = Symbol('tsgi.sink');
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

type Listening = ServerResponse & { [kSink]?: NodeResponseSink };

function onResponseClose(this: Listening): void {
  this[kSink]?.closed();
}

function onResponseDrain(this: Listening): void {
  this[kSink]?.drained();
}

/**
 * One request's glue between an Exchange and a Node response: puts the status, headers and
 * chunks on `res` (HTTP/1 via `writeHead(code, reason, flatHeaders)`, HTTP/2 through the
 * compatibility API), waits for `'drain'` when `write` returns false (NODE-5), and turns the
 * response's `'close'` before it finished into a client disconnect (HOST-22, HOST-24).
 */
export class NodeResponseSink implements ResponseSink {
  readonly owner: SinkOwner;
  readonly req: { readonly httpVersionMajor: number };
  readonly res: NodeResponse;
  /** When the request arrived (`performance.now()`), for `onResponse` and deadlines. */
  readonly startedAt: number;
  exchange!: Exchange;
  environ: Environ | undefined = undefined;
  body: NodeBodySource | undefined = undefined;
  status: Status | '' = '';
  bytesSent = 0;
  /** The host refused the request itself (400, 413, 414, 431): the connection closes after (HOST-15). */
  refused = false;
  /** The response was closed; whether it finished or was cut off is `finished`. */
  isClosed = false;
  finished = false;
  deadline: NodeJS.Timeout | undefined = undefined;
  #drainWaiter: (() => void) | undefined = undefined;
  #drainListening = false;
  readonly #fresh: boolean;

  constructor(owner: SinkOwner, req: { readonly httpVersionMajor: number }, res: NodeResponse, fresh: boolean, startedAt: number) {
    this.owner = owner;
    this.req = req;
    this.res = res;
    this.#fresh = fresh;
    this.startedAt = startedAt;
    (res as Listening)[kSink] = this;
    res.on('close', onResponseClose);
  }

  start(status: Status, headers: HeaderList): void {
    this.status = status;
    const res = this.res;
    const code = statusCode(status);
    if (this.req.httpVersionMajor === 2) {
      // The compatibility API takes [name, value] pairs and keeps repeated names (Node 18.15+).
      (res as unknown as { writeHead(code: number, headers: HeaderList): void }).writeHead(code, headers);
      return;
    }
    const http1 = res as ServerResponse;
    // HOST-15: after refusing a request, or a body that was too large, the rest of that body
    // is not worth reading; during a graceful shutdown the connection must not be reused.
    if (this.refused || code === 413 || code === 431 || this.owner.closing) http1.shouldKeepAlive = false;
    if (this.#fresh || http1.getHeaderNames().length === 0) {
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
    if (this.isClosed) return RESOLVED;
    if (!this.#drainListening) {
      this.#drainListening = true;
      this.res.on('drain', onResponseDrain);
    }
    return new Promise((resolve) => {
      this.#drainWaiter = resolve;
    });
  }

  end(chunk?: Uint8Array): void {
    const res = this.res as ServerResponse;
    if (chunk === undefined) {
      res.end();
      return;
    }
    this.bytesSent += chunk.length;
    res.end(chunk);
  }

  destroy(_error: unknown): void {
    const res = this.res;
    // HOST-14: a broken response must look broken: reset the HTTP/2 stream, close the HTTP/1
    // connection (a chunked body then lacks its last chunk, a sized one its last bytes).
    if (this.req.httpVersionMajor === 2) (res as Http2ServerResponse).stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
    else res.destroy();
  }

  /** `'drain'` on the response. */
  drained(): void {
    const resolve = this.#drainWaiter;
    this.#drainWaiter = undefined;
    resolve?.();
  }

  /** `'close'` on the response: it finished, or the connection went away before it did. */
  closed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.finished = this.res.writableFinished;
    if (this.deadline !== undefined) clearTimeout(this.deadline);
    if (!this.finished) this.exchange.abort(new RequestAbortedError('the client disconnected before the response was complete'));
    this.drained();
    this.body?.discard();
    this.owner.settled(this);
  }
}
