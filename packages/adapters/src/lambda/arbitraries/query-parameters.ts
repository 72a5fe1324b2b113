import fc from 'fast-check';
import type { QueryParameter } from '../query-string.js';

/** Decoded query parameters: any Unicode names and values, repeats and empty values included. */
export function queryParameters(): fc.Arbitrary<QueryParameter[]> {
  const name = fc.oneof(fc.constantFrom('a', 'b', 'tag', 'q'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }));
  const value = fc.oneof(fc.constantFrom('', '1', 'a b', 'x+y', '100%', 'é', '&='), fc.string({ unit: 'grapheme', maxLength: 8 }));
  return fc.array(fc.tuple(name, value), { maxLength: 6 });
}
