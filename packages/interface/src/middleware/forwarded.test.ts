import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatForwarded, parseForwarded, type ForwardedElement } from './forwarded.js';

const name = fc.constantFrom('for', 'by', 'host', 'proto', 'x-ext');
const value = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9.\-_]{1,12}$/),
  fc.constantFrom('[2001:db8::1]:4711', '192.0.2.1:80', 'unknown', 'a "quoted" \\ value', 'semi;colon,comma', ' '),
);
const element: fc.Arbitrary<ForwardedElement> = fc.dictionary(name, value, { minKeys: 1, maxKeys: 4 });

describe('parseForwarded / formatForwarded', () => {
  it('round-trips: parseForwarded(formatForwarded(elements)) is elements', () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 5 }), (elements) => {
        expect(parseForwarded(formatForwarded(elements))).toEqual(elements);
      }),
    );
  });

  it('parses the examples of RFC 7239 section 4', () => {
    expect(parseForwarded('for="_gazonk"')).toEqual([{ for: '_gazonk' }]);
    expect(parseForwarded('For="[2001:db8:cafe::17]:4711"')).toEqual([{ for: '[2001:db8:cafe::17]:4711' }]);
    expect(parseForwarded('for=192.0.2.60;proto=http;by=203.0.113.43')).toEqual([{ for: '192.0.2.60', proto: 'http', by: '203.0.113.43' }]);
    expect(parseForwarded('for=192.0.2.43, for=198.51.100.17')).toEqual([{ for: '192.0.2.43' }, { for: '198.51.100.17' }]);
  });

  it('marks malformed elements as null in their place, keeping the others', () => {
    expect(parseForwarded('for=1.2.3.4;for=5.6.7.8, for=9.9.9.9')).toEqual([null, { for: '9.9.9.9' }]);
    expect(parseForwarded('garbage, for=9.9.9.9')).toEqual([null, { for: '9.9.9.9' }]);
    expect(parseForwarded('for="unterminated, for=9.9.9.9')).toEqual([null]);
    expect(parseForwarded('for=, for=9.9.9.9')).toEqual([null, { for: '9.9.9.9' }]);
    expect(parseForwarded('for=a b, for=9.9.9.9')).toEqual([null, { for: '9.9.9.9' }]);
  });

  it('skips empty list elements', () => {
    expect(parseForwarded(' , for=1.2.3.4 ,, ')).toEqual([{ for: '1.2.3.4' }]);
  });
});
