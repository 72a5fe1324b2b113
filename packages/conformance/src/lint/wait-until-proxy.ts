import type { RequestMonitor } from './request-monitor.js';

function isThenable(value: unknown): boolean {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** `tsgi.wait_until` under the lint: thenables in (HOST-26), undefined out and no throw (HOST-25). */
export function lintWaitUntil(waitUntil: (promise: unknown) => unknown, monitor: RequestMonitor): (promise: PromiseLike<unknown>) => void {
  const fail = monitor.fail;
  return function waitUntilProxy(promise: PromiseLike<unknown>): void {
    if (!isThenable(promise)) fail('app', 'HOST-26', 'tsgi.wait_until', 'must be given a Promise or another thenable', promise);
    let result: unknown;
    try {
      result = waitUntil(promise);
    } catch (error) {
      fail('host', 'HOST-25', 'tsgi.wait_until', 'must not throw', error);
      throw error;
    }
    if (result !== undefined) fail('host', 'HOST-25', 'tsgi.wait_until', 'must return undefined', result);
  };
}
