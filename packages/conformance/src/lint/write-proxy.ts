import type { Write } from '@tsgi/interface';
import type { RequestMonitor } from './request-monitor.js';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

function isTypeError(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof Error && error.name === 'TypeError');
}

/**
 * The `write` the app receives: checks the chunk and the timing of each call (app side)
 * and that the host answers with a Promise that rejects where it must (host side).
 */
export function lintWrite(write: Write, monitor: RequestMonitor): Write {
  const fail = monitor.fail;
  let pending = 0;
  let calls = 0;
  return function writeProxy(chunk: Uint8Array): Promise<void> {
    const n = ++calls;
    const subject = `write chunk ${n}`;
    const isChunk = chunk instanceof Uint8Array;
    const late = monitor.appSettled;
    const signal = monitor.environ['tsgi.signal'] as AbortSignal | undefined;
    const gone = signal?.aborted === true;
    if (!isChunk) fail('app', 'SR-16', subject, 'must be a Uint8Array', chunk);
    if (late) fail('app', 'SR-21', subject, 'must not be written after the app returned its body or its Promise settled');
    if (pending > 0) fail('app', 'SR-19', subject, 'should wait for the previous write to resolve', undefined, 'should');
    if (isChunk && !late) monitor.countBytes(chunk.length, subject);
    let result: Promise<void>;
    try {
      result = write(chunk);
    } catch (error) {
      if (!isChunk) fail('host', 'SR-17', subject, 'must return a Promise rejected with a TypeError, not throw', error);
      else fail('host', 'SR-18', subject, 'must return a Promise, not throw', error);
      throw error;
    }
    if (!isThenable(result)) {
      fail('host', 'SR-18', `the value write(${subject}) returns`, 'must be a Promise', result);
      return result;
    }
    pending++;
    if (isChunk && chunk.length > 0) monitor.nonEmptyHanded = true;
    return Promise.resolve(result).then(
      (value) => {
        pending--;
        if (!isChunk) fail('host', 'SR-17', subject, 'must reject with a TypeError when the chunk is not a Uint8Array');
        else if (late) fail('host', 'SR-22', subject, 'must reject: the app already returned its body');
        else if (gone) fail('host', 'SR-23', subject, 'must reject: the client had gone away (tsgi.signal aborted)');
        else if (chunk.length > 0) monitor.committed = true;
        return value;
      },
      (error: unknown) => {
        pending--;
        if (!isChunk && !isTypeError(error)) fail('host', 'SR-17', subject, 'must reject with a TypeError', error);
        throw error;
      },
    );
  };
}
