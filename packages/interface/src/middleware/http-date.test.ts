import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEntityTags, parseEntityTags, strongMatch, weakMatch } from './entity-tag.js';
import { formatHttpDate, parseHttpDate } from './http-date.js';

describe('formatHttpDate / parseHttpDate', () => {
  it('round-trips to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799000 }), (time) => {
        expect(parseHttpDate(formatHttpDate(time))).toBe(Math.floor(time / 1000) * 1000);
      }),
    );
  });

  it('reads the three forms of RFC 9110 section 5.6.7', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(expected);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(expected);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(expected);
  });

  it.each(['', 'yesterday', '2024-01-01', 'Sun, 31 Feb 2021 00:00:00 GMT', 'Sun, 06 Nov 1994 25:00:00 GMT', 'Sun, 06 Nov 1994 08:49:37 UTC', 'Sun, 6 Nov 1994 08:49:37 GMT'])(
    'refuses %j',
    (text) => {
      expect(parseHttpDate(text)).toBeUndefined();
    },
  );
});

describe('parseEntityTags / formatEntityTags', () => {
  const tag = fc.tuple(fc.boolean(), fc.stringMatching(/^[!#-~]{0,10}$/)).map(([weak, text]) => `${weak ? 'W/' : ''}"${text}"`);
  it('round-trips', () => {
    fc.assert(
      fc.property(fc.array(tag, { minLength: 1, maxLength: 5 }), (tags) => {
        expect(parseEntityTags(formatEntityTags(tags))).toEqual(tags);
      }),
    );
  });

  it('reads * and tags holding commas', () => {
    expect(parseEntityTags(' * ')).toBe('*');
    expect(parseEntityTags('"a,b", W/"c"')).toEqual(['"a,b"', 'W/"c"']);
  });

  it('compares weakly and strongly as RFC 9110 section 8.8.3.2 shows', () => {
    expect(weakMatch('W/"1"', 'W/"1"')).toBe(true);
    expect(strongMatch('W/"1"', 'W/"1"')).toBe(false);
    expect(weakMatch('W/"1"', '"1"')).toBe(true);
    expect(strongMatch('"1"', '"1"')).toBe(true);
    expect(weakMatch('"1"', '"2"')).toBe(false);
  });
});
