import type { ErrorStream } from '@tsgi/interface';
import type { RequestMonitor } from './request-monitor.js';

function isThenable(value: unknown): boolean {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** `tsgi.errors` under the lint: strings in (ERR-2), no throw out (ERR-1, ERR-1). */
export function lintErrors(errors: ErrorStream, monitor: RequestMonitor): ErrorStream {
  const fail = monitor.fail;
  return {
    write(text: string): void {
      if (typeof text !== 'string') fail('app', 'ERR-2', 'tsgi.errors.write', 'must be given a string', text);
      try {
        errors.write(text);
      } catch (error) {
        fail('host', 'ERR-1', 'tsgi.errors.write', 'must accept any string and return without throwing', error);
        throw error;
      }
    },
    flush(): void | Promise<void> {
      const result = errors.flush();
      if (result !== undefined && !isThenable(result)) fail('host', 'ERR-1', 'tsgi.errors.flush()', 'must return undefined or a Promise', result);
      return result;
    },
  };
}
