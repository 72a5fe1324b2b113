import type { Body } from '../types.js';
import { isPromise, releaseBody } from './release-body.js';

/** What a middleware learns about a body it passes on unchanged. */
export interface BodyObserver {
  /** Each non-empty chunk, as the caller takes it (for an array body: all of them, at release). */
  chunk?(chunk: Uint8Array): void;
  /** The inner body ended; called before the caller learns it (not for array bodies). */
  end?(): void;
  /** Asked after each inner step: true ends the body here, and the inner one is stopped early. */
  stop?(): boolean;
  /**
   * The inner body threw while iterated. Return chunks to go on with instead (an error
   * page, after replacing the headers with `excInfo`), or undefined to let the error through.
   */
  error?(error: unknown): Uint8Array[] | undefined;
  /** Once, after the inner body was released; `completed` when the caller read to the end. */
  release?(completed: boolean): void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Passes a body on unchanged while observing it, and keeps its kind: an array stays an
 * array (so the host may still add Content-Length, BODY-17), a sync iterable stays sync
 * (no promise per chunk), an async one stays async. Releasing the returned body releases the
 * inner one exactly once (MW-6), whatever the path.
 */
export function observeBody(body: Body, observer: BodyObserver): Body {
  if (Array.isArray(body)) return observeArray(body as Uint8Array[] & Body, observer);
  if (body !== null && typeof body === 'object') {
    if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
      return new ObservedAsyncBody(body, observer);
    }
    if (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function') return new ObservedSyncBody(body, observer);
  }
  // Not a body: hand it up unchanged, so the host above reports it (APP-3).
  return body;
}

function observeArray(chunks: Uint8Array[] & Body, observer: BodyObserver): Body {
  let released = false;
  const copy = chunks.slice() as Uint8Array[] & Body;
  copy.close = () => {
    if (released) return;
    released = true;
    if (observer.chunk) for (const chunk of chunks) if (chunk?.length) observer.chunk(chunk);
    return finish(releaseBody(chunks, undefined, false), observer, true);
  };
  return copy;
}

/** Runs the observer's release hook after the inner release, whether or not that failed. */
function finish(released: void | Promise<void>, observer: BodyObserver, completed: boolean): void | Promise<void> {
  if (isPromise(released)) {
    return released.finally(() => observer.release?.(completed));
  }
  observer.release?.(completed);
}

abstract class ObservedBody {
  protected readonly inner: Body;
  protected readonly observer: BodyObserver;
  protected iterator: Iterator<Uint8Array> | AsyncIterator<Uint8Array> | undefined;
  /** The inner iterator reported done or threw: it must not get `return()`. */
  protected finished = false;
  protected replacement: Uint8Array[] | undefined;
  protected completed = false;
  /** The observer ended the body early. */
  protected stopped = false;
  #released = false;
  #releasing: Promise<void> | undefined;

  constructor(inner: Body, observer: BodyObserver) {
    this.inner = inner;
    this.observer = observer;
  }

  protected failed(error: unknown): IteratorResult<Uint8Array> {
    this.finished = true;
    const replacement = this.observer.error?.(error);
    if (!replacement) throw error;
    this.replacement = replacement;
    return this.fromReplacement();
  }

  protected fromReplacement(): IteratorResult<Uint8Array> {
    const chunk = this.replacement!.shift();
    if (chunk === undefined) {
      this.completed = true;
      return DONE;
    }
    return { done: false, value: chunk };
  }

  protected passed(step: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> {
    if (step.done) this.finished = true;
    if (this.observer.stop?.()) {
      this.stopped = true;
      return DONE;
    }
    if (step.done) {
      this.completed = true;
      this.observer.end?.();
    } else if (this.observer.chunk && step.value?.length) this.observer.chunk(step.value);
    return step;
  }

  protected get released(): boolean {
    return this.#released;
  }

  release(): void | Promise<void> {
    if (this.#released) return this.#releasing;
    this.#released = true;
    let released: void | Promise<void>;
    try {
      released = releaseBody(this.inner, this.iterator, this.iterator !== undefined && !this.finished);
    } catch (error) {
      this.observer.release?.(this.completed);
      throw error;
    }
    const finished = finish(released, this.observer, this.completed);
    if (isPromise(finished)) this.#releasing = finished;
    return finished;
  }

  close(): void | Promise<void> {
    return this.release();
  }
}

class ObservedSyncBody extends ObservedBody implements Iterable<Uint8Array>, Iterator<Uint8Array> {
  [Symbol.iterator](): Iterator<Uint8Array> {
    return this;
  }

  next(): IteratorResult<Uint8Array> {
    if (this.released) return DONE;
    if (this.replacement) return this.fromReplacement();
    if (this.finished || this.stopped) return DONE;
    try {
      this.iterator ??= (this.inner as Iterable<Uint8Array>)[Symbol.iterator]();
      return this.passed((this.iterator as Iterator<Uint8Array>).next());
    } catch (error) {
      return this.failed(error);
    }
  }

  return(): IteratorResult<Uint8Array> {
    // An asynchronous failure surfaces from close(), which the host awaits and reports.
    const released = this.release();
    if (isPromise(released)) released.catch(() => {});
    return DONE;
  }
}

class ObservedAsyncBody extends ObservedBody implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array> {
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.released) return DONE;
    if (this.replacement) return this.fromReplacement();
    if (this.finished || this.stopped) return DONE;
    try {
      this.iterator ??= (this.inner as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
      const step = await this.iterator.next();
      // Released while the inner body was producing: the chunk reaches nobody (BODY-10).
      if (this.released) return DONE;
      return this.passed(step);
    } catch (error) {
      return this.failed(error);
    }
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    // An asynchronous failure surfaces from close(), which the host awaits and reports.
    const released = this.release();
    if (isPromise(released)) await released.catch(() => {});
    return DONE;
  }
}
