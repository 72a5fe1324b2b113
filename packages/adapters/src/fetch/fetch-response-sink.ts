import { RequestAbortedError, statusCode, type Exchange, type HeaderList, type ResponseSink, type Status } from '@tsgi/interface';
import { reasonPhrase } from '../shared/reason-phrase.js';
import { responseInitFromHead } from './response-head.js';

const RESOLVED: Promise<void> = Promise.resolve();

/** Statuses whose Response must have a null body (Fetch standard, "null body status"). */
function isNullBodyStatus(code: number): boolean {
  return code === 204 || code === 205 || code === 304;
}

/**
 * The fetch host's transport: turns what the exchange sends into one `Response`.
 *
 * A response that is complete when the exchange first touches the sink (an array body, an
 * error page) becomes a `Response` over its one chunk, with no stream at all. Anything else
 * becomes a `ReadableStream` with a high-water mark of zero: the runtime's `pull()` is the
 * only thing that lets the exchange ask the body for its next chunk (FETCH-6), so a slow
 * client slows the app down instead of filling memory, and `cancel()` is a client
 * disconnect (FETCH-7).
 */
export class FetchResponseSink implements ResponseSink {
  #exchange: Exchange | undefined;
  #head: boolean;
  #status: Status = '200 OK';
  #headers: HeaderList = [];
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #drain: (() => void) | undefined;
  #pulled = false;
  #finished = false;
  #response: Response | undefined;
  #resolve: ((response: Response) => void) | undefined;
  #reject: ((reason: unknown) => void) | undefined;
  /** Called once the response is complete, broken or cancelled. */
  onFinish: (() => void) | undefined;

  constructor(head: boolean) {
    this.#head = head;
  }

  /** The exchange to abort when the runtime cancels the stream. */
  attach(exchange: Exchange): void {
    this.#exchange = exchange;
  }

  /** The Response, when the exchange produced it synchronously. */
  get response(): Response | undefined {
    return this.#response;
  }

  /** True once the response is complete, broken or cancelled. */
  get finished(): boolean {
    return this.#finished;
  }

  /** The Response, once the headers are committed (FETCH-1). */
  promise(): Promise<Response> {
    if (this.#response) return Promise.resolve(this.#response);
    return new Promise<Response>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** The exchange ended without committing (the client left first): settle with `reason`. */
  fail(reason: unknown): void {
    if (this.#response) return;
    this.#finish();
    this.#reject?.(reason);
  }

  start(status: Status, headers: HeaderList): void {
    this.#status = status;
    this.#headers = headers;
    // HEAD and the null-body statuses get no body at all (FETCH-8); the exchange sends them
    // no bytes, and a byte that came anyway would have nowhere to go.
    if (this.#head || isNullBodyStatus(statusCode(status))) this.#deliver(null);
  }

  write(chunk: Uint8Array): boolean {
    if (this.#response === undefined) {
      this.#deliver(this.#open(chunk));
      return false;
    }
    const controller = this.#controller;
    if (controller === undefined || this.#finished) return true;
    // This chunk answers the demand of the last pull; a pull made during enqueue (a
    // second pending read) sets the flag again.
    this.#pulled = false;
    controller.enqueue(chunk);
    return false;
  }

  drain(): Promise<void> {
    if (this.#pulled || this.#finished) {
      this.#pulled = false;
      return RESOLVED;
    }
    return new Promise<void>((resolve) => (this.#drain = resolve));
  }

  end(chunk?: Uint8Array): void {
    if (this.#response === undefined) {
      // Any Uint8Array is a BodyInit at run time; the DOM typings admit only ArrayBuffer-backed ones.
      this.#deliver((chunk ?? null) as Uint8Array<ArrayBuffer> | null);
    } else if (this.#controller !== undefined && !this.#finished) {
      if (chunk) this.#controller.enqueue(chunk);
      this.#controller.close();
    }
    this.#finish();
  }

  destroy(error: unknown): void {
    if (this.#response === undefined) this.#deliver(this.#open(undefined));
    if (this.#controller !== undefined && !this.#finished) this.#controller.error(error);
    this.#finish();
  }

  #open(first: Uint8Array | undefined): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
          if (first) controller.enqueue(first);
        },
        pull: () => {
          const drain = this.#drain;
          if (drain) {
            this.#drain = undefined;
            drain();
          } else this.#pulled = true;
        },
        cancel: (reason) => {
          if (this.#finished) return;
          this.#finish();
          this.#exchange?.abort(reason ?? new RequestAbortedError('the runtime cancelled the response stream'));
        },
      },
      { highWaterMark: 0 },
    );
  }

  #deliver(body: BodyInit | null): void {
    const init = responseInitFromHead(this.#status, this.#headers);
    let response: Response;
    try {
      response = new Response(body, init);
    } catch (error) {
      // Some runtimes refuse reason phrases that Fetch allows (workerd: a tab): the standard
      // phrase goes instead (FETCH-9). Any other refusal throws again, as before.
      if (!(error instanceof TypeError) || init.statusText === reasonPhrase(init.status!)) throw error;
      response = new Response(body, { ...init, statusText: reasonPhrase(init.status!) });
    }
    this.#response = response;
    this.#resolve?.(response);
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const drain = this.#drain;
    this.#drain = undefined;
    drain?.();
    this.onFinish?.();
  }
}
