import type { Body } from '../types.js';

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/**
 * Releases the body of a wrapped app as a host must (BODY-10, BODY-11, MW-6):
 * `return()` on its iterator when iteration stopped before the end and before a throw, then
 * `close()` once that settled. An error from either is rethrown after both ran, so the host
 * above reports it (BODY-12). Synchronous when the body's own calls are.
 */
export function releaseBody(body: Body, iterator: AnyIterator | undefined, stoppedEarly: boolean): void | Promise<void> {
  let returned: unknown;
  let failure: { error: unknown } | undefined;
  if (stoppedEarly && iterator && typeof iterator.return === 'function') {
    try {
      returned = iterator.return();
    } catch (error) {
      failure = { error };
    }
  }
  if (isPromise(returned)) {
    return returned.then(
      () => closeBody(body, undefined),
      (error: unknown) => closeBody(body, { error }),
    );
  }
  return closeBody(body, failure);
}

function closeBody(body: Body, failure: { error: unknown } | undefined): void | Promise<void> {
  let closed: unknown;
  if (typeof body.close === 'function') {
    try {
      closed = body.close();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (isPromise(closed)) {
    return closed.then(
      () => {
        if (failure) throw failure.error;
      },
      (error: unknown) => {
        throw failure ? failure.error : error;
      },
    );
  }
  if (failure) throw failure.error;
}

export function isPromise(value: unknown): value is Promise<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as Promise<unknown>).then === 'function';
}
