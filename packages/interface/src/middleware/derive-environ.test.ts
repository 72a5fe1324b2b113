import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Environ } from '../types.js';
import { deriveEnviron } from './derive-environ.js';

describe('deriveEnviron', () => {
  it('MW-5: copies every key, applies the changes, leaves the received environ as it was (property)', () => {
    const key = fc.constantFrom('A', 'B', 'PATH_INFO', 'x.y', 'tsgi.z');
    fc.assert(
      fc.property(fc.dictionary(key, fc.string()), fc.dictionary(key, fc.option(fc.string(), { nil: undefined })), (base, changes) => {
        const environ = { ...base } as unknown as Environ;
        const snapshot = { ...base };
        const derived = deriveEnviron(environ, changes) as unknown as Record<string, unknown>;
        const expected: Record<string, unknown> = { ...base, ...changes };
        for (const [k, v] of Object.entries(changes)) if (v === undefined) delete expected[k];
        expect(Object.fromEntries(Object.keys(derived).map((k) => [k, derived[k]]))).toEqual(expected);
        expect(environ).toEqual(snapshot);
        expect(derived).not.toBe(environ);
        expect(Object.getPrototypeOf(derived)).toBe(Object.prototype);
      }),
    );
  });

  it('MW-5: the same for an environ whose keys start as a host writes them, in any later order (property)', () => {
    const leading = ['REQUEST_METHOD', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING', 'SERVER_NAME', 'SERVER_PORT', 'SERVER_PROTOCOL', 'REQUEST_URI'];
    const tsgi = ['version', 'url_scheme', 'input', 'errors', 'multithread', 'multiprocess', 'run_once', 'input_terminated', 'headers'].map((k) => `tsgi.${k}`);
    const later = fc.constantFrom('tsgi.wait_until', 'REMOTE_ADDR', 'HTTP_HOST', 'HTTP_X', 'host.x', 'PATH_INFO', 'tsgi.headers');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: leading.length + tsgi.length }),
        fc.dictionary(later, fc.string()),
        fc.dictionary(fc.constantFrom(...leading, 'HTTP_HOST', 'REMOTE_ADDR', 'x.y'), fc.option(fc.string(), { nil: undefined })),
        (prefix, rest, changes) => {
          const base: Record<string, unknown> = {};
          for (const k of [...leading, ...tsgi].slice(0, prefix)) base[k] = `${k}!`;
          Object.assign(base, rest);
          const snapshot = { ...base };
          const derived = deriveEnviron(base as unknown as Environ, changes) as unknown as Record<string, unknown>;
          const expected: Record<string, unknown> = { ...base, ...changes };
          for (const [k, v] of Object.entries(changes)) if (v === undefined) delete expected[k];
          expect(Object.fromEntries(Object.keys(derived).map((k) => [k, derived[k]]))).toEqual(expected);
          expect(base).toEqual(snapshot);
        },
      ),
    );
  });

  it('reads a lazy tsgi.signal only when the derived environ is asked for it', () => {
    let created = 0;
    const environ = {
      PATH_INFO: '/',
      get 'tsgi.signal'() {
        created++;
        return AbortSignal.abort('x');
      },
    } as unknown as Environ;
    const derived = deriveEnviron(environ, { PATH_INFO: '/y' });
    expect(created).toBe(0);
    expect(derived['tsgi.signal'].aborted).toBe(true);
    expect(created).toBe(1);
    expect(Object.keys(derived).sort()).toEqual(['PATH_INFO', 'tsgi.signal']);
  });

  it('takes a plain tsgi.signal value as it is, and a change of it', () => {
    const signal = new AbortController().signal;
    const other = new AbortController().signal;
    const environ = { 'tsgi.signal': signal } as unknown as Environ;
    expect(deriveEnviron(environ, {})['tsgi.signal']).toBe(signal);
    expect(deriveEnviron(environ, { 'tsgi.signal': other })['tsgi.signal']).toBe(other);
  });
});
