import fc from 'fast-check';
import { byteStringFromUtf8, percentDecodeByteString, percentEncodePath } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { encodedPathFromDecoded } from './encoded-path.js';

describe('encodedPathFromDecoded', () => {
  const decodedPath = fc.oneof(
    fc.string({ unit: 'binary-ascii' }),
    fc.string({ unit: 'grapheme' }).map(byteStringFromUtf8),
    fc.constantFrom('/100%', '/a b/?x#y', '/%2F', '/caf\xC3\xA9'),
  );

  it('LAMBDA-6: percent-decoding the encoded path gives the decoded path back', () => {
    fc.assert(
      fc.property(decodedPath, (path) => {
        expect(percentDecodeByteString(encodedPathFromDecoded(path))).toBe(path);
      }),
    );
  });

  it('LAMBDA-6: encodes exactly as percentEncodePath does, and leaves a clean path untouched', () => {
    fc.assert(
      fc.property(decodedPath, (path) => {
        expect(encodedPathFromDecoded(path)).toBe(percentEncodePath(path));
      }),
    );
    const clean = "/a-b_c.d~e/f!$&'()*+,;=:@";
    expect(encodedPathFromDecoded(clean)).toBe(clean);
  });
});
