import fc from 'fast-check';

/** One ByteString character from a list of byte ranges `[from, to]`, inclusive. */
export function byteCharArbitrary(...ranges: ReadonlyArray<readonly [number, number]>): fc.Arbitrary<string> {
  return fc.oneof(...ranges.map(([from, to]) => fc.integer({ min: from, max: to }).map((code) => String.fromCharCode(code))));
}

/** A ByteString of characters drawn from `char`. */
export function byteStringArbitrary(char: fc.Arbitrary<string>, minLength = 0, maxLength = 16): fc.Arbitrary<string> {
  return fc.string({ unit: char, minLength, maxLength });
}

/** The UTF-8 bytes of some Unicode text, as a ByteString (what a client sends for `é`). */
export function utf8ByteStringArbitrary(maxLength = 4): fc.Arbitrary<string> {
  const encoder = new TextEncoder();
  return fc.string({ unit: 'grapheme', minLength: 1, maxLength }).map((text) => String.fromCharCode(...encoder.encode(text)));
}
