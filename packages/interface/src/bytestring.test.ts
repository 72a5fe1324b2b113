import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  byteStringFromBytes,
  byteStringFromUtf8,
  bytesFromByteString,
  decodeByteStringUtf8,
  isByteString,
  percentDecodeByteString,
  percentEncodePath,
} from './bytestring.js';

describe('ByteStrings', () => {
  it('ENV-2: bytes and ByteStrings convert both ways without loss', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = byteStringFromBytes(bytes);
        expect(isByteString(text)).toBe(true);
        expect(bytesFromByteString(text)).toEqual(bytes);
      }),
    );
  });

  it('ENV-8: percentEncodePath and percentDecodeByteString are inverse on any ByteString path', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        const path = '/' + byteStringFromBytes(bytes);
        expect(percentDecodeByteString(percentEncodePath(path))).toBe(path);
      }),
    );
  });

  it('decodeByteStringUtf8 reads UTF-8 paths and refuses invalid bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (text) => {
        expect(decodeByteStringUtf8(byteStringFromUtf8(text))).toBe(text);
      }),
    );
    expect(decodeByteStringUtf8('/caf\xc3\xa9')).toBe('/café');
    expect(decodeByteStringUtf8('/\xff')).toBeUndefined();
  });
});
