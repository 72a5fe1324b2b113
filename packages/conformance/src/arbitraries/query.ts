import fc from 'fast-check';
import { byteCharArbitrary } from './bytes.js';

/** Characters a query may carry literally (RFC 3986 query, without `%`). */
const QUERY_CHARS = "-._~!$&'()*+,;=:@/?";

/**
 * Raw query strings (the bytes after the first `?`, which QUERY_STRING keeps undecoded,
 * ENV-12): pairs, bare keys, empty values, `+`, further `?`, escapes of any byte,
 * and malformed escapes.
 */
export function queryArbitrary(): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 6, arbitrary: byteCharArbitrary([0x61, 0x7a], [0x30, 0x39], [0x41, 0x5a]) },
    { weight: 3, arbitrary: fc.constantFrom(...QUERY_CHARS) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => '%' + b.toString(16).padStart(2, '0').toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom('%zz', '%', '%2', '%2F', '%25', '%00', '%C3%A9', '&&', '==') },
  );
  return fc.array(piece, { maxLength: 24 }).map((list) => list.join(''));
}
