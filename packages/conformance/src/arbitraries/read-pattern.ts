import fc from 'fast-check';
import type { ReadPattern } from '../probes/registry.js';

/** Ways to read a request body: read(size) in varied sizes, readLine, iteration with an early break. */
export function readPatternArbitrary(): fc.Arbitrary<ReadPattern> {
  return fc.oneof(
    fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 17 }), fc.integer({ min: 1, max: 5000 })), { minLength: 1, maxLength: 4 }).map((sizes): ReadPattern => ({ kind: 'read', sizes })),
    fc.option(fc.integer({ min: 1, max: 80 }), { nil: undefined }).map((limit): ReadPattern => ({ kind: 'readLine', limit })),
    fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }).map((breakAfter): ReadPattern => ({ kind: 'iterate', breakAfter })),
  );
}
