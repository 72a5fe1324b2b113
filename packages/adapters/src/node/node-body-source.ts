import type { Readable } from 'node:stream';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The request body of a Node request (`IncomingMessage` or `Http2ServerRequest`) as the byte
 * source of `tsgi.input`: pulled with `read()`, so Node reads from the socket only what its
 * bounded buffer holds ahead of the app (INP-14), and a body cut short is an error, never an
 * early end (INP-10).
 *
 * Not the stream's own async iterator: that one destroys the request when iteration stops,
 * and leaves a `'readable'` listener behind that keeps `discard()` from draining the rest.
 */
export class NodeBodySource implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array> {
  readonly #req: Readable;
  #listening = false;
  #ended = false;
  #error: unknown = undefined;
  #resolve: ((result: IteratorResult<Uint8Array>) => void) | undefined = undefined;
  #reject: ((error: unknown) => void) | undefined = undefined;

  constructor(req: Readable) {
    this.#req = req;
  }

  /** True once the whole body has been read. */
  get ended(): boolean {
    return this.#ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (!this.#listening) {
      this.#listening = true;
      const req = this.#req;
      req.on('readable', this.#onReadable);
      req.on('end', this.#onEnd);
      req.on('error', this.#onError);
      req.on('close', this.#onClose);
    }
    return this;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve(DONE);
    const chunk = this.#req.read() as Uint8Array | null;
    if (chunk !== null) return Promise.resolve({ done: false, value: chunk });
    return new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /**
   * Stops reading for the app: whatever of the body is left is read and thrown away, so that
   * a keep-alive connection can carry the next request (what Node does itself for a body
   * nobody started to read).
   */
  discard(): void {
    if (this.#ended || this.#error !== undefined) return;
    this.#fail(new Error('the response has ended; the rest of the request body was discarded'));
    const req = this.#req;
    if (this.#listening) {
      req.off('readable', this.#onReadable);
      req.off('end', this.#onEnd);
      req.off('error', this.#onError);
      req.off('close', this.#onClose);
    }
    // Once discarded, an error on the stream (the client leaving) has no reader to tell.
    req.on('error', ignore);
    req.resume();
  }

  readonly #onReadable = (): void => {
    const resolve = this.#resolve;
    if (resolve === undefined) return;
    const chunk = this.#req.read() as Uint8Array | null;
    if (chunk === null) return;
    this.#resolve = this.#reject = undefined;
    resolve({ done: false, value: chunk });
  };

  readonly #onEnd = (): void => {
    this.#ended = true;
    const resolve = this.#resolve;
    this.#resolve = this.#reject = undefined;
    resolve?.(DONE);
  };

  readonly #onError = (error: unknown): void => {
    this.#fail(error);
  };

  readonly #onClose = (): void => {
    if (!this.#ended) this.#fail(new Error('the request body ended before it was complete'));
  };

  #fail(error: unknown): void {
    if (this.#error !== undefined || this.#ended) return;
    this.#error = error;
    const reject = this.#reject;
    this.#resolve = this.#reject = undefined;
    reject?.(error);
  }
}

function ignore(): void {}

