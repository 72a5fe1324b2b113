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
