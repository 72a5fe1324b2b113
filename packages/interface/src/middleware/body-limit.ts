import { PayloadTooLargeError } from '../errors.js';
import { utf8 } from '../helpers.js';
import { parseContentLength } from '../response-rules.js';
import type { InputStream, Middleware } from '../types.js';
import { catchErrors, type Replacement } from './catch-errors.js';
import { deriveEnviron } from './derive-environ.js';

export interface BodyLimitOptions {
  /** Most request body bytes the app may read. */
  maxBytes: number;
}

const TOO_LARGE = utf8('Content Too Large\n');

/** The errors this middleware raised: it answers 413 for its own, not for others'. */
const raised = new WeakSet<object>();

/** A PayloadTooLargeError that carries the `code` of INP-11, which hosts answer with 413 (HOST-10). */
function tooLarge(limit: number): PayloadTooLargeError {
  const error = new PayloadTooLargeError(limit);
  if ((error as { code?: unknown }).code === undefined) Object.defineProperty(error, 'code', { value: 'TSGI_INPUT_TOO_LARGE', enumerable: true });
  raised.add(error);
  return error;
}

function tooLargeResponse(): Replacement {
  return {
    status: '413 Content Too Large',
    headers: [
      ['content-type', 'text/plain; charset=utf-8'],
      ['content-length', String(TOO_LARGE.length)],
    ],
    body: [TOO_LARGE],
  };
}

/**
 * Limits the request body: a declared Content-Length over the limit is answered 413 at
 * once, without calling the app or reading a byte; a body without one (chunked) is counted
 * as the app reads it, and the read that passes the limit rejects with an error whose
 * `code` is `TSGI_INPUT_TOO_LARGE` (INP-11), as will every later read. If the app lets that
 * error escape before its response is committed, the answer is 413.
 */
export function bodyLimit(options: BodyLimitOptions): Middleware {
  const limit = options?.maxBytes;
  if (!(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new TypeError(`bodyLimit: maxBytes must be a non-negative integer; got ${String(limit)}`);
  }
  return (app) => {
    const guarded = catchErrors(app, (error) => (error !== null && typeof error === 'object' && raised.has(error) ? tooLargeResponse() : undefined));
    return (environ, startResponse) => {
      const declared = environ.CONTENT_LENGTH;
      if (declared !== undefined && parseContentLength(declared) > limit) {
        const { status, headers, body } = tooLargeResponse();
        startResponse(status, headers);
        return body;
      }
      // A declared length within the limit needs no counting: the host never delivers more (INP-9).
      if (declared !== undefined) return app(environ, startResponse);
      return guarded(deriveEnviron(environ, { 'tsgi.input': new LimitedInput(environ['tsgi.input'], limit) }), startResponse);
    };
  };
}

/**
 * `tsgi.input` that counts the bytes it delivers (MW-8: it keeps every INP clause, as it
 * delegates each call to the host's stream and only adds the count).
 */
export class LimitedInput implements InputStream {
  readonly #inner: InputStream;
  readonly #limit: number;
  #count = 0;
  #error: PayloadTooLargeError | undefined;

  constructor(inner: InputStream, limit: number) {
    this.#inner = inner;
    this.#limit = limit;
  }

  #check(chunk: Uint8Array): Uint8Array {
    this.#count += chunk.length;
    if (this.#count > this.#limit) {
      this.#error = tooLarge(this.#limit);
      throw this.#error;
    }
    return chunk;
  }

  async read(size?: number): Promise<Uint8Array> {
    if (this.#error) throw this.#error;
    return this.#check(await this.#inner.read(size));
  }

  async readLine(limit?: number): Promise<Uint8Array> {
    if (this.#error) throw this.#error;
    return this.#check(await this.#inner.readLine(limit));
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: async () => {
        const chunk = await this.read();
        return chunk.length === 0 ? { done: true, value: undefined } : { done: false, value: chunk };
      },
      // Stopping early keeps the unread bytes for a later read (INP-8).
      return: async () => ({ done: true, value: undefined }),
    };
  }
}
