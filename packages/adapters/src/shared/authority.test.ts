import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorityOfTarget, formatAuthority, parseAuthority, type Authority } from './authority.js';

const regName = fc.stringMatching(/^[A-Za-z0-9\-._~!$&'()*+,;=]{1,30}$/);
const ipv6 = fc.ipV6().map((address) => `[${address}]`);
const port = fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 65535 }).map(String));
const authority: fc.Arbitrary<Authority> = fc.record({ name: fc.oneof(regName, fc.ipV4(), ipv6), port });

describe('parseAuthority and formatAuthority', () => {
  it('ENV-15, ENV-16: are a pair: parsing what formatAuthority wrote gives the same name and port', () => {
    fc.assert(
      fc.property(authority, (a) => {
        expect(parseAuthority(formatAuthority(a))).toEqual(a);
      }),
    );
  });

  it('HOST-6: refuse what is not host[:port]', () => {
    for (const bad of ['', ':80', 'a b', 'a:b', 'a:1:2', '[::1', '[::1]x', '[zz]:80', 'a:99999', 'a/b', 'a@b', 'a, b']) {
      expect(parseAuthority(bad), bad).toBeUndefined();
    }
    expect(parseAuthority('example.com:')).toEqual({ name: 'example.com', port: '' });
    expect(parseAuthority('[::1]:8080')).toEqual({ name: '[::1]', port: '8080' });
  });

  it('authorityOfTarget: the authority of an absolute-form target, userinfo dropped; none for other forms', () => {
    expect(authorityOfTarget('http://user@h.example:81/p?q')).toBe('h.example:81');
    expect(authorityOfTarget('https://h?x')).toBe('h');
    expect(authorityOfTarget('/p')).toBeUndefined();
    expect(authorityOfTarget('*')).toBeUndefined();
  });
});
