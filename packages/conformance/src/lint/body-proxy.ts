import type { RequestMonitor } from './request-monitor.js';

/** True for any Uint8Array, Buffers and other realms included (BODY-2). */
export function isChunk(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || Object.prototype.toString.call(value) === '[object Uint8Array]';
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/**
 * What the host has done with one body: the iterator it obtained, the `next()` calls in
 * flight, `return()` and `close()` and their order. Shared by every proxy of one body.
 */

/** The most chunk bytes the lint copies per body to watch for changes (APP-5). */
const HELD_BYTES = 1 << 20;
export class BodyState {
  iteratorObtained = false;
  hasReturn = false;
  nextPending = false;
  done = false;
  threw = false;
  returnCalls = 0;
  returnSettled = false;
  closeCalls = 0;
  chunks = 0;
  lastNonEmpty = false;
  #held: Array<[live: Uint8Array, copy: Uint8Array]> = [];
  #heldBytes = 0;

  constructor(
    readonly monitor: RequestMonitor,
    readonly hasClose: boolean,
  ) {}

  /** The host has released this body as far as it can be observed (BODY-9). */
  get released(): boolean {
    if (this.hasClose) return this.closeCalls > 0;
    if (this.iteratorObtained && !this.done && !this.threw && this.hasReturn) return this.returnCalls > 0;
    return true;
  }

  /**
   * Remembers a chunk the host may still hold, to check that nobody changes it before the
   * body is released (APP-5). Copies are kept up to HELD_BYTES in all; past that only the
   * newest chunk is watched, so a long body costs the lint bounded memory.
   */
  hold(chunk: Uint8Array): void {
    if (this.#heldBytes + chunk.length > HELD_BYTES) this.checkHeld(true);
    this.#held.push([chunk, chunk.slice()]);
    this.#heldBytes += chunk.length;
  }

  /** Every watched chunk must be unchanged; `forget` stops watching them. */
  checkHeld(forget = false): void {
    for (const [live, copy] of this.#held) {
      if (!sameBytes(live, copy)) {
        this.monitor.fail('app', 'APP-5', `body chunk ${this.chunks}`, 'must not change after it was yielded, until the host releases the body');
        forget = true;
        break;
      }
    }
    if (forget) {
      this.#held = [];
      this.#heldBytes = 0;
    }
  }

  beforeNext(): void {
    const fail = this.monitor.fail;
    if (this.monitor.releasing) fail('host', 'BODY-10', 'body iterator next()', 'must not be called once the host began to release the body');
    if (this.nextPending) fail('host', 'BODY-7', 'body iterator next()', 'must not be called while an earlier next() is pending');
    this.checkHeld();
    if (this.lastNonEmpty) {
      this.monitor.committed = true;
      const m = this.monitor;
      if (m.head || m.statusForbidsBody) {
        fail('host', 'BODY-22', 'body iterator next()', `must not be called once the headers are committed (${m.head ? 'HEAD request' : m.status})`);
      } else if (m.declaredLength !== undefined && m.bytes > m.declaredLength) {
        fail('host', 'BODY-15', 'body iterator next()', `must not be called once the body exceeded its Content-Length ${m.declaredLength}`, m.bytes);
      }
    }
    this.nextPending = true;
  }

  afterStep(step: unknown): void {
    this.nextPending = false;
    const m = this.monitor;
    if (step === null || typeof step !== 'object') {
      m.fail('app', 'APP-3', 'body iterator next()', 'must return an iterator result object', step);
      return;
    }
    const { done, value } = step as IteratorResult<unknown>;
    if (done) {
      this.done = true;
      this.lastNonEmpty = false;
      m.bodyDone();
      return;
    }
    this.chunks++;
    const subject = `body chunk ${this.chunks}`;
    if (!isChunk(value)) {
      m.fail('app', 'APP-4', subject, 'must be a Uint8Array (strings are not chunks)', value);
      this.lastNonEmpty = false;
      return;
    }
    m.countBytes(value.length, subject);
    this.lastNonEmpty = value.length > 0;
    if (value.length > 0) {
      m.nonEmptyHanded = true;
      this.hold(value);
    }
  }

  afterThrow(): void {
    this.nextPending = false;
    this.threw = true;
    this.monitor.bodyEnded = true;
  }

  beforeReturn(): void {
    const fail = this.monitor.fail;
    if (this.done || this.threw) {
      fail('host', 'BODY-10', 'body iterator return()', `must not be called after the iterator ${this.done ? 'reported done' : 'threw'}`);
    }
    if (this.returnCalls > 0) fail('host', 'BODY-10', 'body iterator return()', 'must be called at most once', this.returnCalls + 1);
    if (this.closeCalls > 0) fail('host', 'BODY-11', 'body close()', 'must come after return(), not before');
    this.returnCalls++;
    this.monitor.releasing = true;
    this.checkHeld(true);
  }

  beforeClose(): void {
    const fail = this.monitor.fail;
    if (this.closeCalls > 0) fail('host', 'BODY-11', 'body close()', 'must be called exactly once', this.closeCalls + 1);
    if (this.iteratorObtained && this.hasReturn && !this.done && !this.threw && this.returnCalls === 0) {
      fail('host', 'BODY-10', 'body iterator return()', 'must be called before close() when iteration stopped early');
    } else if (this.returnCalls > 0 && !this.returnSettled) {
      fail('host', 'BODY-11', 'body close()', 'must wait until return() has settled');
    }
    this.closeCalls++;
    this.monitor.releasing = true;
    this.checkHeld(true);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** Wraps an iterator so that every host call goes through the body state. */
function lintIterator(iterator: AnyIterator, state: BodyState, isAsync: boolean): AnyIterator {
  state.iteratorObtained = true;
  state.hasReturn = typeof iterator.return === 'function';
  const wrapped: AnyIterator = {
    next(...args: [] | [unknown]) {
      state.beforeNext();
      let step: unknown;
      try {
        step = (iterator.next as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        state.afterThrow();
        throw error;
      }
      if (isAsync || isThenable(step)) {
        return Promise.resolve(step).then(
          (result) => {
            state.afterStep(result);
            return result as IteratorResult<unknown>;
          },
          (error: unknown) => {
            state.afterThrow();
            throw error;
          },
        );
      }
      state.afterStep(step);
      return step as IteratorResult<unknown>;
    },
  } as AnyIterator;
  if (state.hasReturn) {
    wrapped.return = (value?: unknown) => {
      state.beforeReturn();
      const result = (iterator.return as (v?: unknown) => unknown)(value);
      if (isThenable(result)) {
        return Promise.resolve(result).finally(() => {
          state.returnSettled = true;
        }) as never;
      }
      state.returnSettled = true;
      return result as never;
    };
  }
  if (typeof iterator.throw === 'function') wrapped.throw = iterator.throw.bind(iterator) as never;
  return wrapped;
}

function lintClose(close: () => unknown, body: object, state: BodyState): () => unknown {
  return function closeProxy() {
    state.beforeClose();
    return close.call(body);
  };
}

/**
 * Checks the body an app returns and gives the host a transparent proxy of it, so that the
 * lint sees every `next()`, `return()` and `close()` the host makes. Arrays stay arrays
 * (a Proxy), so that hosts that treat them specially (BODY-17) behave as without lint.
 */
export function lintBody(body: unknown, monitor: RequestMonitor, onState: (state: BodyState) => void): unknown {
  const fail = monitor.fail;
  if (typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    fail('app', 'APP-3', 'body', 'must not be a string, an ArrayBuffer or a view such as Uint8Array', body);
    return body;
  }
  const object = body as Record<PropertyKey, unknown> | null;
  const hasAsync = object !== null && typeof object === 'object' && typeof object[Symbol.asyncIterator] === 'function';
  const hasSync = object !== null && typeof object === 'object' && typeof object[Symbol.iterator] === 'function';
  if (!hasAsync && !hasSync) {
    fail('app', 'APP-3', 'body', 'must be an iterable or async iterable of Uint8Array chunks', body);
    return body;
  }
  const source = object!;
  const close = source.close;
  if (close !== undefined && typeof close !== 'function') fail('app', 'APP-6', 'body.close', 'must be a function when present', close);
  const state = new BodyState(monitor, typeof close === 'function');
  monitor.hasBody = true;
  onState(state);
  if (Array.isArray(source)) return lintArray(source, state);
  const wrapper: Record<PropertyKey, unknown> = {};
  if (hasAsync) {
    wrapper[Symbol.asyncIterator] = () => lintIterator((source[Symbol.asyncIterator] as () => AsyncIterator<unknown>).call(source), state, true);
  }
  if (hasSync) {
    wrapper[Symbol.iterator] = () => {
      if (hasAsync) fail('host', 'BODY-1', 'body', 'must be iterated through Symbol.asyncIterator when it has one');
      return lintIterator((source[Symbol.iterator] as () => Iterator<unknown>).call(source), state, false);
    };
  }
  if (typeof close === 'function') wrapper.close = lintClose(close as () => unknown, source, state);
  return wrapper;
}

/** An array body: its chunks are known at once; the host may index it or iterate it. */
function lintArray(chunks: unknown[], state: BodyState): unknown {
  const monitor = state.monitor;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i];
    if (!isChunk(chunk)) monitor.fail('app', 'APP-4', `body chunk ${i + 1}`, 'must be a Uint8Array (strings are not chunks)', chunk);
    else monitor.countBytes(chunk.length, `body chunk ${i + 1}`);
  }
  state.done = true;
  monitor.bodyDone();
  const close = (chunks as unknown as Record<string, unknown>).close;
  const closeProxy = typeof close === 'function' ? lintClose(close as () => unknown, chunks, state) : undefined;
  return new Proxy(chunks, {
    get(target, key, receiver) {
      if (key === 'close' && closeProxy) return closeProxy;
      return Reflect.get(target, key, receiver);
    },
  });
}
