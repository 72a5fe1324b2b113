import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRange, MAX_RANGES, parseRange, resolveRanges, type RangeSpec } from './byte-ranges.js';
import { resolveStaticPath } from './resolve-static-path.js';
import { contentTypeFor } from './content-type.js';

const spec: fc.Arbitrary<RangeSpec> = fc.oneof(
  fc.record({ suffix: fc.nat(1e6) }),
  fc.nat(1e6).map((first) => ({ first })),
  fc.tuple(fc.nat(1e6), fc.nat(1e6)).map(([a, b]) => ({ first: Math.min(a, b), last: Math.max(a, b) })),
);

describe('parseRange / formatRange', () => {
  it('round-trips', () => {
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 5 }), (specs) => {
        expect(parseRange(formatRange(specs))).toEqual(specs);
      }),
    );
  });

  it.each(['', 'bytes=', 'bytes=a-b', 'bytes=5-1', 'items=0-1', 'bytes=--1', 'bytes=1-2-3', 'bytes=0x1-2'])('refuses %j', (value) => {
    expect(parseRange(value)).toBeUndefined();
  });
});

describe('resolveRanges', () => {
  it('keeps every satisfiable byte inside the representation, sorted and disjoint (property)', () => {
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: MAX_RANGES }), fc.nat(2e6), (specs, size) => {
        const ranges = resolveRanges(specs, size)!;
        for (const [i, range] of ranges.entries()) {
          expect(range.start).toBeGreaterThanOrEqual(0);
          expect(range.end).toBeLessThan(size);
          expect(range.start).toBeLessThanOrEqual(range.end);
          if (i > 0) expect(range.start).toBeGreaterThan(ranges[i - 1]!.end + 1);
        }
      }),
    );
  });

  it('merges overlaps, clamps ends, refuses too many ranges', () => {
    expect(resolveRanges([{ first: 0, last: 10 }, { first: 5, last: 20 }, { suffix: 5 }], 100)).toEqual([{ start: 0, end: 20 }, { start: 95, end: 99 }]);
    expect(resolveRanges([{ first: 50 }], 10)).toEqual([]);
    expect(resolveRanges([{ suffix: 0 }], 10)).toEqual([]);
    expect(resolveRanges(Array.from({ length: MAX_RANGES + 1 }, (_, i) => ({ first: i * 10, last: i * 10 + 1 })), 1000)).toBeUndefined();
  });
});

describe('resolveStaticPath', () => {
  it('accepts plain paths and marks folders', () => {
    expect(resolveStaticPath('/a/b.txt')).toEqual({ ok: true, segments: ['a', 'b.txt'], directory: false });
    expect(resolveStaticPath('/a/')).toEqual({ ok: true, segments: ['a'], directory: true });
    expect(resolveStaticPath('')).toEqual({ ok: true, segments: [], directory: true });
  });

  it.each(['/../x', '/a/../../x', '/./x', '/a\\..\\x', '/a\x00b', '/\xc0\xae\xc0\xae/x', 'relative', '/a\x1fb'])('refuses %j', (path) => {
    expect(resolveStaticPath(path).ok).toBe(false);
  });

  it('refuses drive letters, streams and trailing dots on Windows only', () => {
    expect(resolveStaticPath('/C:/x', 'ignore', true).ok).toBe(false);
    expect(resolveStaticPath('/file.txt::$DATA', 'ignore', true).ok).toBe(false);
    expect(resolveStaticPath('/secret.txt.', 'ignore', true).ok).toBe(false);
    expect(resolveStaticPath('/2024-01-01T10:00.json').ok).toBe(true);
  });

  it('applies the dotfile policy to every segment', () => {
    expect(resolveStaticPath('/.well-known/x')).toEqual({ ok: false, reason: 'not-found' });
    expect(resolveStaticPath('/a/.git/config', 'deny')).toEqual({ ok: false, reason: 'forbidden' });
    expect(resolveStaticPath('/.env', 'allow').ok).toBe(true);
  });
});

describe('contentTypeFor', () => {
  it('names common types, with a charset for text', () => {
    expect(contentTypeFor('a/b.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('x.png')).toBe('image/png');
    expect(contentTypeFor('x.json')).toBe('application/json; charset=utf-8');
    expect(contentTypeFor('.bashrc')).toBe('application/octet-stream');
    expect(contentTypeFor('x.unknown')).toBe('application/octet-stream');
    expect(contentTypeFor('x.gltf', { gltf: 'model/gltf+json' })).toBe('model/gltf+json');
  });
});
