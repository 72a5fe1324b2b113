import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressMatcher } from './address-matcher.js';
import { formatIp, isIpv4, parseIp, unmapIpv4 } from './ip-address.js';

const addressBytes = fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.constantFrom(new Uint8Array(16), Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3])));

describe('parseIp / formatIp', () => {
  it('round-trips every address: parseIp(formatIp(bytes)) is bytes', () => {
    fc.assert(
      fc.property(addressBytes, (bytes) => {
        expect(parseIp(formatIp(bytes))).toEqual(bytes);
      }),
    );
  });

  it('writes canonical text (RFC 5952) that parses to itself', () => {
    fc.assert(
      fc.property(addressBytes, (bytes) => {
        const text = formatIp(bytes);
        expect(formatIp(parseIp(text)!)).toBe(text);
      }),
    );
  });

  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::1', '::1'],
    ['::', '::'],
    ['2001:DB8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::ffff:c000:0201', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
  ])('parses %s as %s', (text, canonical) => {
    expect(formatIp(parseIp(text)!)).toBe(canonical);
  });

  it('tells IPv4 text as parseIp does', () => {
    const dotted = fc.oneof(
      fc.uint8Array({ minLength: 4, maxLength: 4 }).map(formatIp),
      fc.string({ unit: fc.constantFrom(...'0123456789.'), maxLength: 16 }),
      fc.string({ maxLength: 16 }).filter((text) => !text.includes(':')),
    );
    fc.assert(
      fc.property(dotted, (text) => {
        expect(isIpv4(text)).toBe(parseIp(text) !== undefined);
      }),
    );
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4 ', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', 'fe80::1%eth0', 'g::1', '12345::', '::1.2.3', 'localhost', '[::1]'])(
    'refuses %j',
    (text) => {
      expect(parseIp(text)).toBeUndefined();
    },
  );

  it('unmaps IPv4-mapped IPv6 addresses only', () => {
    expect(formatIp(unmapIpv4(parseIp('::ffff:10.0.0.1')!))).toBe('10.0.0.1');
    expect(formatIp(unmapIpv4(parseIp('::10.0.0.1')!))).toBe('::a00:1');
  });
});

describe('addressMatcher', () => {
  it('matches addresses, CIDR blocks and keywords', () => {
    const match = addressMatcher(['10.0.0.0/8', '2001:db8::/32', '192.0.2.7', 'loopback']);
    expect(match('10.200.3.4')).toBe(true);
    expect(match('11.0.0.1')).toBe(false);
    expect(match('2001:db8:1::5')).toBe(true);
    expect(match('2001:db9::5')).toBe(false);
    expect(match('192.0.2.7')).toBe(true);
    expect(match('192.0.2.8')).toBe(false);
    expect(match('127.0.0.1')).toBe(true);
    expect(match('::1')).toBe(true);
    expect(match('::ffff:10.1.1.1')).toBe(true);
    expect(match('not an address')).toBe(false);
    expect(match('')).toBe(false);
  });

  it('matches exactly the addresses whose leading bits equal the block', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 32 }), (net, addr, bits) => {
        const match = addressMatcher([`${formatIp(net)}/${bits}`]);
        const toNumber = (b: Uint8Array) => ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        expect(match(formatIp(addr))).toBe(((toNumber(net) & mask) >>> 0) === ((toNumber(addr) & mask) >>> 0));
      }),
    );
  });

  it('trusts anything under "*"', () => {
    expect(addressMatcher(['*'])('203.0.113.9')).toBe(true);
  });

  it.each(['10.0.0.0/33', 'example.com', '10.0.0.0/x', '::/129', ''])('refuses the pattern %j with a TypeError', (pattern) => {
    expect(() => addressMatcher([pattern])).toThrow(TypeError);
  });
});
