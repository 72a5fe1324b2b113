import { Duplex } from 'node:stream';
import { isHopByHop, ProtocolError, type HeaderList } from '@tsgi/interface';
import { ChunkedDecoder } from './chunked-decoder.js';
import { parseResponseHead, type ResponseHead } from './response-head.js';

/** The connection facts a Node handler may read from `req.socket`. */
export interface CapturedPeer {
  remoteAddress?: string | undefined;
  remotePort?: number | undefined;
  localAddress?: string | undefined;
  localPort?: number | undefined;
  encrypted?: boolean | undefined;
}

const HEAD_LIMIT = 1024 * 1024;

function closedError(): Error {
  return new Error('the Node handler closed the connection after its response');
}
const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The socket a `fromNodeHandler` response writes to. Node's own `ServerResponse` produces
 * HTTP/1.1 bytes on it; this socket reads the head block back into a status and headers,
 * strips the framing Node chose (chunked or none), and hands the body on chunk by chunk.
 *
 * A write's callback runs only when the tsgi host has taken its bytes, so `res.write()`
 * returns false and `'drain'` comes exactly as the host's transport lets it (BODY-7).
 */
export class ResponseCaptureSocket extends Duplex {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;
  readonly encrypted: boolean | undefined;
  /** Resolves when the final head has been written; rejects if the response fails first. */
  readonly head: Promise<ResponseHead>;
  #resolveHead!: (head: ResponseHead) => void;
  #rejectHead!: (error: unknown) => void;
  #headDone = false;
  #partialHead: Buffer | undefined = undefined;
  #decoder: ChunkedDecoder | undefined = undefined;
  #parts: Uint8Array[] = [];
  /** Bytes of the write whose callback waits for the host. */
  #heldLength = 0;
  #callback: ((error?: Error | null) => void) | undefined = undefined;
  #ended = false;
  #failure: unknown = undefined;
  #waiter: { resolve: (r: IteratorResult<Uint8Array>) => void; reject: (e: unknown) => void } | undefined;

  constructor(peer: CapturedPeer) {
    super({ allowHalfOpen: true, decodeStrings: true, writableHighWaterMark: 64 * 1024 });
    this.remoteAddress = peer.remoteAddress;
    this.remotePort = peer.remotePort;
    this.localAddress = peer.localAddress;
    this.localPort = peer.localPort;
    if (peer.encrypted) this.encrypted = true;
    this.head = new Promise((resolve, reject) => {
      this.#resolveHead = resolve;
      this.#rejectHead = reject;
    });
    this.head.catch(() => {});
    this.on('error', (error) => this.fail(error));
    this.on('close', () => this.fail(new Error('the response was closed before it was complete')));
  }

  // Methods a net.Socket has and handlers call; none of them means anything here.
  setTimeout(_ms: number, callback?: () => void): this {
    if (callback) this.once('timeout', callback);
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  address(): { address?: string | undefined; port?: number | undefined } {
    return { address: this.localAddress, port: this.localPort };
  }

  /**
   * As `net.Socket.destroySoon`: end after what was written, then close. A handler (or a
   * Node host inside it) that ends the connection gets its response delivered, and then the
   * body fails, so that the tsgi host closes its own connection too instead of reusing it
   * (BODY-15).
   */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }

  override _read(): void {}


  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    let body: Uint8Array | undefined = chunk;
    try {
      if (!this.#headDone) body = this.#takeHead(chunk);
      const parts = body === undefined || body.length === 0 ? [] : this.#decoder ? this.#decoder.push(body) : [body];
      const kept = parts.filter((part) => part.length > 0);
      if (kept.length === 0) {
        callback();
        return;
      }
      this.#parts = kept;
      this.#heldLength = chunk.length;
      this.#callback = callback;
      this.#wake();
    } catch (error) {
      callback(error as Error);
    }
  }

  /** The body bytes after the head, or undefined while the head is incomplete. */
  #takeHead(chunk: Buffer): Uint8Array | undefined {
    let buffer = this.#partialHead ? Buffer.concat([this.#partialHead, chunk]) : chunk;
    this.#partialHead = undefined;
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n', 0, 'latin1');
      if (end === -1) {
        if (buffer.length > HEAD_LIMIT) throw new ProtocolError('NODE-7', 'the Node handler wrote a response head larger than 1 MiB');
        this.#partialHead = buffer;
        return undefined;
      }
      const text = buffer.toString('latin1', 0, end);
      buffer = buffer.subarray(end + 4);
      const head = parseResponseHead(text);
      if (!head) throw new ProtocolError('NODE-7', `the Node handler wrote a response head that is not HTTP/1.1: ${JSON.stringify(text.slice(0, 80))}`);
      // 100 Continue, 102, 103: informational; the tsgi host answers Expect itself (INP-15).
      if (head.status.charCodeAt(0) === 49 /* 1 */) continue;
      const headers: HeaderList = [];
      for (const pair of head.headers) {
        const name = pair[0];
        if (!isHopByHop(name)) headers.push(pair);
        else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding' && /(?:^|,)\s*chunked\s*$/i.test(pair[1])) {
          this.#decoder = new ChunkedDecoder();
        }
      }
      this.#headDone = true;
      this.#resolveHead({ status: head.status, headers });
      return buffer;
    }
  }

  /**
   * When the whole body is already here (the handler ended the response in the same tick as
   * it wrote the head), takes it: the host can then frame it with Content-Length.
   */
  takeWholeBody(ended: boolean): Uint8Array[] | undefined {
    if (!ended || this.#decoder || this.writableEnded) return undefined;
    if (this.#parts.length > 0 ? this.writableLength !== this.#heldLength : this.writableLength !== 0) return undefined;
    const parts = this.#parts;
    this.#parts = [];
    this.#release();
    return parts;
  }

  /** The response finished: the body ends once its last bytes are taken. */
  responseFinished(): void {
    this.#ended = true;
    this.#wake();
  }

  /** The response failed or was cut off. */
  fail(error: unknown): void {
    if (this.#ended || this.#failure !== undefined) return;
    this.#failure = error;
    if (!this.#headDone) this.#rejectHead(error);
    this.#wake();
  }

  /** The body as the app returns it. */
  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#parts.length > 0) return Promise.resolve({ done: false, value: this.#take() });
    if (this.#ended) return this.writableEnded ? Promise.reject(closedError()) : Promise.resolve(DONE);
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  #take(): Uint8Array {
    const chunk = this.#parts.shift()!;
    if (this.#parts.length === 0) this.#release();
    return chunk;
  }

  #release(): void {
    const callback = this.#callback;
    this.#callback = undefined;
    this.#heldLength = 0;
    callback?.();
  }

  #wake(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    if (this.#parts.length > 0) waiter.resolve({ done: false, value: this.#take() });
    else if (this.#ended) {
      if (this.writableEnded) waiter.reject(closedError());
      else waiter.resolve(DONE);
    }
    else if (this.#failure !== undefined) waiter.reject(this.#failure);
    else this.#waiter = waiter;
  }
}
