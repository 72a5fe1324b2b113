import { IncompleteBodyError, InputBusyError, PayloadTooLargeError, ProtocolError, RequestError } from './errors.js';
import type { InputStream } from './types.js';

/** Where a host's request body comes from: anything that yields byte chunks on demand. */
export type ByteSource = AsyncIterable<Uint8Array>;

export interface InputStreamOptions {
  /** The request's Content-Length; undefined for chunked or unframed bodies. */
  contentLength?: number | undefined;
  /** Most bytes the host accepts; past it, reads reject with PayloadTooLargeError (INP-11). */
  limit?: number | undefined;
  /** Called once, before the first pull: where a host sends `100 Continue`. */
  onFirstRead?: (() => void) | undefined;
}

const EMPTY = new Uint8Array(0);
const RESOLVED_EMPTY = Promise.resolve(EMPTY);

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function checkSize(value: number | undefined, what: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
    throw new ProtocolError('INP-5', `${what} must be a positive safe integer; got ${String(value)}`);
  }
}

/**
 * `tsgi.input` over any async byte source: pull-based, nothing read before the app asks
 * (INP-14); never more than Content-Length (INP-9); end of input always signalled (INP-3);
 * a truncated body is an error, never a silent end (INP-10); one read at a time (INP-12).
 */
export class SourceInputStream implements InputStream {
  #source: ByteSource | null;
  #iterator: AsyncIterator<Uint8Array> | null = null;
  #leftover: Uint8Array | null = null;
  #received = 0;
  #ended = false;
  #busy = false;
  #error: unknown = undefined;
  readonly #contentLength: number | undefined;
  readonly #limit: number;
  #onFirstRead: (() => void) | undefined;

  constructor(source: ByteSource, options: InputStreamOptions = {}) {
    this.#source = source;
    this.#contentLength = options.contentLength;
    this.#limit = options.limit ?? Number.POSITIVE_INFINITY;
    this.#onFirstRead = options.onFirstRead;
    if (this.#contentLength === 0) this.#ended = true;
    else if (this.#contentLength !== undefined && this.#contentLength > this.#limit) {
      this.#error = new PayloadTooLargeError(this.#limit);
    }
  }

  /** Bytes delivered to the app so far. */
  get bytesRead(): number {
    return this.#received - (this.#leftover?.length ?? 0);
  }

  read(size?: number): Promise<Uint8Array> {
    checkSize(size, 'read(size)');
    return this.#exclusive(() => this.#read(size ?? Number.POSITIVE_INFINITY));
  }

  readLine(limit?: number): Promise<Uint8Array> {
    checkSize(limit, 'readLine(limit)');
    return this.#exclusive(() => this.#readLine(limit ?? Number.POSITIVE_INFINITY));
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: async () => {
        const chunk = await this.read();
        return chunk.length === 0 ? { done: true, value: undefined } : { done: false, value: chunk };
      },
      return: async () => ({ done: true, value: undefined }),
    };
  }

  async #exclusive(op: () => Promise<Uint8Array>): Promise<Uint8Array> {
    if (this.#busy) throw new InputBusyError();
    this.#busy = true;
    try {
      return await op();
    } finally {
      this.#busy = false;
    }
  }

  async #read(size: number): Promise<Uint8Array> {
    const chunk = this.#leftover ?? (await this.#pull());
    this.#leftover = null;
    if (chunk.length <= size) return chunk;
    this.#leftover = chunk.subarray(size);
    return chunk.subarray(0, size);
  }

  async #readLine(limit: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let total = 0;
    while (total < limit) {
      const chunk = this.#leftover ?? (await this.#pull());
      this.#leftover = null;
      if (chunk.length === 0) break;
      const room = limit - total;
      const lf = chunk.indexOf(10);
      const take = Math.min(lf === -1 ? chunk.length : lf + 1, room);
      parts.push(take === chunk.length ? chunk : chunk.subarray(0, take));
      total += take;
      if (take < chunk.length) this.#leftover = chunk.subarray(take);
      if (lf !== -1 && lf < take) break;
    }
    return total === 0 ? EMPTY : concat(parts, total);
  }

  /** Next non-empty chunk from the source, or EMPTY at the end of the body. */
  async #pull(): Promise<Uint8Array> {
    if (this.#error !== undefined) throw this.#error;
    if (this.#ended) return EMPTY;
    if (this.#onFirstRead) {
      const start = this.#onFirstRead;
      this.#onFirstRead = undefined;
      start();
    }
    this.#iterator ??= this.#source![Symbol.asyncIterator]();
    const expected = this.#contentLength;
    for (;;) {
      let step: IteratorResult<Uint8Array>;
      try {
        step = await this.#iterator.next();
      } catch (error) {
        throw this.#fail(error instanceof RequestError ? error : new IncompleteBodyError(expected, this.#received));
      }
      if (step.done) {
        if (expected !== undefined && this.#received < expected) {
          throw this.#fail(new IncompleteBodyError(expected, this.#received));
        }
        this.#finish();
        return EMPTY;
      }
      let chunk = step.value;
      if (chunk.length === 0) continue;
      if (expected !== undefined && this.#received + chunk.length >= expected) {
        // Never more than CONTENT_LENGTH (INP-9): whatever follows belongs to nobody.
        chunk = chunk.subarray(0, expected - this.#received);
        this.#received = expected;
        this.#finish();
        return chunk;
      }
      this.#received += chunk.length;
      if (this.#received > this.#limit) throw this.#fail(new PayloadTooLargeError(this.#limit));
      return chunk;
    }
  }

  #finish(): void {
    this.#ended = true;
    this.#source = null;
    // Not iterator.return(): on a Node stream that would destroy the socket under the response.
    this.#iterator = null;
  }

  #fail(error: unknown): unknown {
    this.#error = error;
    this.#ended = true;
    return error;
  }
}

/** The input of a request that has no body: always at its end. Shared, stateless. */
export const EMPTY_INPUT: InputStream = Object.freeze({
  read: (size?: number) => (checkSize(size, 'read(size)'), RESOLVED_EMPTY),
  readLine: (limit?: number) => (checkSize(limit, 'readLine(limit)'), RESOLVED_EMPTY),
  [Symbol.asyncIterator]: (): AsyncIterator<Uint8Array> => ({
    next: () => Promise.resolve({ done: true, value: undefined }),
  }),
});
