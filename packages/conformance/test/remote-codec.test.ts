import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode, RemoteError } from '../src/remote/codec.js';

/** What a probe case holds: JSON values, bytes, undefined (in arrays too), nested. */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.integer(),
    fc.double().filter((n) => !Object.is(n, -0)),
    fc.string(),
    fc.uint8Array({ maxLength: 64 }),
  ),
  tree: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('tree'), { maxKeys: 4 })),
})).tree;

describe('the remote probe codec', () => {
  it('round-trips bytes, undefined, non-finite numbers and nested values unchanged', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(decode(encode(v))).toEqual(v);
      }),
    );
  });

  it('keeps objects whose keys look like its tags, and __proto__ keys, as plain keys', () => {
    const tricky = JSON.parse('{"$":"bytes","v":"AAEC","__proto__":{"x":1}}') as unknown;
    const back = decode(encode(tricky)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['$', 'v', '__proto__']);
    expect(back.v).toBe('AAEC');
  });

  it('carries an error as its name, message and code; describes what JSON cannot carry', () => {
    const error = Object.assign(new RangeError('too far'), { code: 'TSGI_INPUT_TRUNCATED' });
    const back = decode(encode({ error, fn: () => 1, date: new Date(0) })) as { error: RemoteError; fn: string; date: string };
    expect([back.error instanceof RemoteError, back.error.name, back.error.message, back.error.code]).toEqual([true, 'RangeError', 'too far', 'TSGI_INPUT_TRUNCATED']);
    expect(back.fn).toMatch(/described by the remote probe app/);
    expect(back.date).toMatch(/described by the remote probe app/);
  });
});
