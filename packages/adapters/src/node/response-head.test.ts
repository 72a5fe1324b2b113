import fc from 'fast-check';
import type { HeaderList, Status } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { encodeChunked, ChunkedDecoder } from './chunked-decoder.js';
import { formatResponseHead, parseResponseHead } from './response-head.js';

const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,20}$/);
// Field values as ByteStrings; no leading or trailing whitespace, which a head cannot keep.
const value = fc.stringMatching(/^(?:[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]{0,30}[\x21-\x7e\x80-\xff])?)?$/);
const status = fc.tuple(fc.integer({ min: 200, max: 599 }), fc.stringMatching(/^[\x20-\x7e]{0,20}$/)).map(([code, reason]) => `${code} ${reason}` as Status);
const headers: fc.Arbitrary<HeaderList> = fc.array(fc.tuple(token, value), { maxLength: 12 });

describe('parseResponseHead and formatResponseHead', () => {
  it('NODE-7: are a pair: order, duplicates and bytes kept', () => {
    fc.assert(
      fc.property(status, headers, (s, h) => {
        expect(parseResponseHead(formatResponseHead({ status: s, headers: h }))).toEqual({ status: s, headers: h });
      }),
    );
  });

  it('refuse what is not a response head', () => {
    expect(parseResponseHead('GET / HTTP/1.1')).toBeUndefined();
    expect(parseResponseHead('HTTP/1.1 200 OK\r\nno colon')).toBeUndefined();
    expect(parseResponseHead('HTTP/1.1 200 OK\r\nbad name: x')).toBeUndefined();
    expect(parseResponseHead('HTTP/1.1 100 Continue')).toEqual({ status: '100 Continue', headers: [] });
  });
});

describe('ChunkedDecoder and encodeChunked', () => {
  it('NODE-7: are a pair, however the framed bytes are split', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }), (pieces, cuts) => {
        const framed = encodeChunked(pieces);
        const decoder = new ChunkedDecoder();
        const out: number[] = [];
        let at = 0;
        for (let i = 0; at < framed.length; i++) {
          const size = cuts[i % cuts.length]!;
          for (const part of decoder.push(framed.subarray(at, at + size))) out.push(...part);
          at += size;
        }
        expect(decoder.done).toBe(true);
        expect(Uint8Array.from(out)).toEqual(Uint8Array.from(pieces.flatMap((p) => [...p])));
      }),
    );
  });

  it('reads chunk extensions and trailers, and refuses framing that is not chunked', () => {
    const decoder = new ChunkedDecoder();
    const parts = decoder.push(new TextEncoder().encode('3;ext=1\r\nabc\r\n0\r\nTrailer: x\r\n\r\n'));
    expect(new TextDecoder().decode(parts[0])).toBe('abc');
    expect(decoder.done).toBe(true);
    expect(() => new ChunkedDecoder().push(new TextEncoder().encode('zz\r\n'))).toThrow(/bad chunk size/);
    expect(() => new ChunkedDecoder().push(new TextEncoder().encode('1\r\nabc\r\n'))).toThrow(/longer than its size/);
  });
});
