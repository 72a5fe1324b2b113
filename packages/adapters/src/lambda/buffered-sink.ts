import type { HeaderList, ResponseSink, Status } from '@tsgi/interface';
import type { LambdaResponse } from './lambda-response.js';

const EMPTY = new Uint8Array(0);

/**
 * The response sink of a buffered invocation: collects the whole response for a result
 * (BODY-8). Chunks are copied as they come, since an app may reuse a chunk's bytes once the
 * next one is asked for (APP-5); a response that is one chunk is taken as it is, because the
 * result is built from it before the body is released.
 */
export class BufferedSink implements ResponseSink {
  #status: Status = '500 Internal Server Error';
  #headers: HeaderList = [];
  #parts: Uint8Array[] = [];
  #size = 0;
  #settle: (() => void) | undefined;
  #onEnd: (response: LambdaResponse) => void;
  /** Set when the response could not complete after the commit (LAMBDA-18). */
  failure: { error: unknown } | undefined = undefined;
  finished = false;

  /** `onEnd` runs synchronously at the end of the body, before the exchange releases it. */
  constructor(onEnd: (response: LambdaResponse) => void) {
    this.#onEnd = onEnd;
  }

  /** Resolves when the response ended or failed; check `finished` first to stay synchronous. */
  done(): Promise<void> {
    return this.finished ? Promise.resolve() : new Promise((resolve) => (this.#settle = resolve));
  }

  start(status: Status, headers: HeaderList): void {
    this.#status = status;
    this.#headers = headers;
  }

  write(chunk: Uint8Array): boolean {
    this.#parts.push(chunk.slice());
    this.#size += chunk.length;
    return true;
  }

  drain(): Promise<void> {
    return Promise.resolve();
  }

  end(chunk?: Uint8Array): void {
    let body: Uint8Array;
    if (this.#parts.length === 0) body = chunk ?? EMPTY;
    else {
      if (chunk) {
        this.#parts.push(chunk);
        this.#size += chunk.length;
      }
      body = this.#parts.length === 1 ? this.#parts[0]! : concat(this.#parts, this.#size);
    }
    this.#parts = [];
    this.#finish();
    this.#onEnd({ status: this.#status, headers: this.#headers, body });
  }

  destroy(error: unknown): void {
    this.failure = { error };
    this.#parts = [];
    this.#finish();
  }

  #finish(): void {
    this.finished = true;
    this.#settle?.();
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
