import type { RequestMonitor } from './request-monitor.js';

/** Prefixes of the hosts' escape hatches (ENV-29): an app must not change them either. */
const HOST_PREFIXES = ['tsgi.', 'node.', 'lambda.', 'fetch.'];

function isProtected(key: PropertyKey): key is string {
  if (typeof key !== 'string') return false;
  if (!key.includes('.')) return true;
  return HOST_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/**
 * The environ the wrapped app receives: a copy of the host's (getters kept, so lazy keys
 * such as `tsgi.signal` stay lazy) with the linted input and error streams, behind a Proxy
 * that reports every change to a key the app does not own (ENV-4). The change
 * still happens, on the copy, so the lint changes no behaviour; an app that mutates and
 * restores is caught at the mutation.
 */
export function guardEnviron(environ: object, replacements: Record<string, unknown>, monitor: RequestMonitor): Record<string, unknown> {
  const copy = Object.create(Object.getPrototypeOf(environ), Object.getOwnPropertyDescriptors(environ)) as Record<string, unknown>;
  for (const [key, value] of Object.entries(replacements)) {
    Object.defineProperty(copy, key, { value, writable: true, enumerable: true, configurable: true });
  }
  const report = (key: string, what: string, value?: unknown): void => {
    monitor.fail('app', 'ENV-4', `environ.${key}`, `must not be ${what} in a received environ; pass the wrapped app a new object`, value);
  };
  return new Proxy(copy, {
    set(target, key, value) {
      if (isProtected(key) && !Object.is(target[key], value)) report(key, key in target ? 'changed' : 'added', value);
      return Reflect.set(target, key, value);
    },
    defineProperty(target, key, descriptor) {
      if (isProtected(key)) report(key, key in target ? 'redefined' : 'added', descriptor.value);
      return Reflect.defineProperty(target, key, descriptor);
    },
    deleteProperty(target, key) {
      if (isProtected(key) && key in target) report(key, 'deleted');
      return Reflect.deleteProperty(target, key);
    },
  });
}
