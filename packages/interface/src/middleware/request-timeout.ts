import { utf8 } from '../helpers.js';
import type { Body, ErrorStream, HeaderList, Middleware, StartResponse, Status } from '../types.js';
import { deriveEnviron } from './derive-environ.js';
import { isPromise, releaseBody } from './release-body.js';

export interface RequestTimeoutOptions {
  /** Milliseconds from the call of the app to the end of its body. */
  timeout: number;
  /** The answer when nothing was sent yet: 503 (default) or 504 (behind a gateway). */
  status?: 503 | 504;
}

const STATUS: Record<503 | 504, Status> = { 503: '503 Service Unavailable', 504: '504 Gateway Timeout' };
const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
const TIMEOUT = Symbol('timeout');

/** The reason `tsgi.signal` aborts with when the deadline passes. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(readonly timeout: number) {
    super(`the request did not finish within ${timeout} ms`);
  }
}

/**
 * A deadline for each request. The app below gets a `tsgi.signal` of its own that aborts
 * at the deadline and whenever the host's signal aborts (MW-8). At the deadline, if nothing
 * was committed, the answer is 503 (or 504) and the app's body is released unread; once a
 * chunk went up, the response is broken off instead (the error goes up and the host aborts
 * the connection), never completed with a second status.
 */
export function requestTimeout(options: RequestTimeoutOptions): Middleware {
  const timeout = options?.timeout;
  if (!(Number.isFinite(timeout) && timeout > 0)) throw new TypeError(`requestTimeout: timeout must be a positive number of ms; got ${String(timeout)}`);
  const status = STATUS[options.status ?? 503];
  if (!status) throw new TypeError(`requestTimeout: status must be 503 or 504; got ${String(options.status)}`);
  const page = utf8(`${status.slice(4)}\n`);
  const pageHeaders: HeaderList = [
    ['content-type', 'text/plain; charset=utf-8'],
    ['content-length', String(page.length)],
  ];

  return (app) => (environ, startResponse) => {
    // The app's signal and the deadline's promise are made only when something needs them:
    // most requests finish in time, and an AbortController costs microseconds.
    let controller: AbortController | undefined;
    let outer: AbortSignal | undefined;
    let reason: RequestTimeoutError | undefined;
    let wake: (() => void) | undefined;
    let deadlinePromise: Promise<typeof TIMEOUT> | undefined;
    const onOuterAbort = () => {
      clearTimeout(timer);
      controller!.abort(outer!.reason);
    };
    const settle = () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    };
    const signal = (): AbortSignal => {
      if (!controller) {
        controller = new AbortController();
        if (reason) controller.abort(reason);
        else {
          // MW-8: the app's signal follows the one the middleware received.
          outer = environ['tsgi.signal'];
          if (outer.aborted) controller.abort(outer.reason);
          else outer.addEventListener('abort', onOuterAbort, { once: true });
        }
      }
      return controller.signal;
    };
    const deadline = (): Promise<typeof TIMEOUT> =>
      (deadlinePromise ??= reason ? Promise.resolve(TIMEOUT) : new Promise((resolve) => (wake = () => resolve(TIMEOUT))));
    const timer = setTimeout(() => {
      reason = new RequestTimeoutError(timeout);
      outer?.removeEventListener('abort', onOuterAbort);
      if (controller && !controller.signal.aborted) controller.abort(reason);
      environ['tsgi.errors'].write(`requestTimeout: ${environ.REQUEST_METHOD} ${environ.REQUEST_URI} passed its deadline of ${timeout} ms\n`);
      wake?.();
    }, timeout);

    const state = { started: false, committed: false };
    const start: StartResponse = (s, h, excInfo) => {
      if (reason) throw new RequestTimeoutError(timeout);
      const write = startResponse(s, h, excInfo);
      state.started = true;
      return (chunk) => {
        if (chunk instanceof Uint8Array && chunk.length > 0) state.committed = true;
        return write(chunk);
      };
    };
    /** The deadline's answer in place of the app's, when nothing went up yet. */
    const replace = (): Uint8Array[] | undefined => {
      if (state.committed) return undefined;
      startResponse(status, pageHeaders, state.started ? new RequestTimeoutError(timeout) : undefined);
      return [page];
    };
    const derived = deriveEnviron(environ, {}, signal);
    let result: Body | Promise<Body>;
    try {
      result = app(derived, start);
    } catch (error) {
      settle();
      throw error;
    }
    const wrap = (body: Body): Body => {
      if (Array.isArray(body)) {
        // The whole answer is ready: the deadline is met.
        settle();
        return body;
      }
      return new DeadlineBody(body, deadline(), state, replace, settle, environ['tsgi.errors'], timeout);
    };
    if (!isPromise(result)) return wrap(result);
    return Promise.race([result, deadline()]).then(
      (outcome) => {
        if (outcome !== TIMEOUT) return wrap(outcome as Body);
        // The app's body, should it still come, is released unread and its error only logged.
        result.then(
          (late) => releaseLate(late, environ['tsgi.errors']),
          () => {},
        );
        const body = replace();
        if (!body) throw new RequestTimeoutError(timeout);
        return body;
      },
      (error: unknown) => {
        settle();
        throw error;
      },
    );
  };
}

function releaseLate(body: Body, errors: ErrorStream): void {
  try {
    const released = releaseBody(body, undefined, false);
    if (isPromise(released)) released.catch((error: unknown) => errors.write(`requestTimeout: releasing a late body failed: ${String(error)}\n`));
  } catch (error) {
    errors.write(`requestTimeout: releasing a late body failed: ${String(error)}\n`);
  }
}

/** The app's body, raced against the deadline chunk by chunk. */
class DeadlineBody implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array> {
  #iterator: Iterator<Uint8Array> | AsyncIterator<Uint8Array> | undefined;
  #innerFinished = false;
  #replacement: Uint8Array[] | undefined;
  #releasing: Promise<void> | undefined;

  constructor(
    readonly inner: Body,
    readonly deadline: Promise<typeof TIMEOUT>,
    readonly state: { committed: boolean },
    readonly replace: () => Uint8Array[] | undefined,
    readonly settle: () => void,
    readonly errors: ErrorStream,
    readonly timeout: number,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#replacement) {
      const chunk = this.#replacement.shift();
      return chunk ? { done: false, value: chunk } : DONE;
    }
    if (this.#releasing || this.#innerFinished) return DONE;
    let step: IteratorResult<Uint8Array> | typeof TIMEOUT;
    try {
      this.#iterator ??= iteratorOf(this.inner);
      step = await Promise.race([this.#iterator.next(), this.deadline]);
    } catch (error) {
      this.#innerFinished = true;
      this.settle();
      throw error;
    }
    if (step === TIMEOUT) {
      // Stop the app's body now, even though its next() is still pending (BODY-9).
      void this.#release().catch((error: unknown) => this.errors.write(`requestTimeout: releasing the body failed: ${String(error)}\n`));
      const replacement = this.replace();
      if (!replacement) throw new RequestTimeoutError(this.timeout);
      this.#replacement = replacement;
      return this.next();
    }
    if (step.done) {
      this.#innerFinished = true;
      this.settle();
    } else if (step.value instanceof Uint8Array && step.value.length > 0) this.state.committed = true;
    return step;
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    await this.#release().catch(() => {});
    return DONE;
  }

  close(): Promise<void> {
    return this.#release();
  }

  #release(): Promise<void> {
    this.settle();
    this.#releasing ??= (async () => releaseBody(this.inner, this.#iterator, this.#iterator !== undefined && !this.#innerFinished))();
    return this.#releasing;
  }
}

function iteratorOf(body: Body): Iterator<Uint8Array> | AsyncIterator<Uint8Array> {
  const asyncIterator = (body as Partial<AsyncIterable<Uint8Array>>)[Symbol.asyncIterator];
  if (typeof asyncIterator === 'function') return asyncIterator.call(body);
  return (body as Iterable<Uint8Array>)[Symbol.iterator]();
}
