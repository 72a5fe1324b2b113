import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bindFromString, stringFromBind, urlFromBind, type Bind } from './bind.js';
import { SettingsError } from './settings-error.js';

const hostName = fc.stringMatching(/^[a-z0-9](?:[a-z0-9.-]{0,20}[a-z0-9])?$/);
const ipv6 = fc.ipV6();
const bind: fc.Arbitrary<Bind> = fc.oneof(
  fc.record({ kind: fc.constant('tcp' as const), host: fc.oneof(hostName, fc.ipV4(), ipv6), port: fc.integer({ min: 0, max: 65535 }) }),
  fc.record({ kind: fc.constant('unix' as const), path: fc.string({ minLength: 1 }).filter((p) => !p.includes('\0')) }),
  fc.record({ kind: fc.constant('fd' as const), fd: fc.integer({ min: 0, max: 999_999_999 }) }),
);

describe('bindFromString / stringFromBind', () => {
  it.each([
    ['127.0.0.1:8000', { kind: 'tcp', host: '127.0.0.1', port: 8000 }],
    ['localhost', { kind: 'tcp', host: 'localhost', port: 8000 }],
    ['0.0.0.0:0', { kind: 'tcp', host: '0.0.0.0', port: 0 }],
    ['[::1]:8443', { kind: 'tcp', host: '::1', port: 8443 }],
    ['[::]', { kind: 'tcp', host: '::', port: 8000 }],
    ['[fe80::1%eth0]:80', { kind: 'tcp', host: 'fe80::1%eth0', port: 80 }],
    ['unix:/run/app.sock', { kind: 'unix', path: '/run/app.sock' }],
    ['unix:///run/app.sock', { kind: 'unix', path: '/run/app.sock' }],
    ['unix:relative.sock', { kind: 'unix', path: 'relative.sock' }],
    ['fd://3', { kind: 'fd', fd: 3 }],
  ])('PF-1: reads %s as gunicorn does', (text, expected) => {
    expect(bindFromString(text)).toEqual(expected);
  });

  it.each(['', ':8000', '127.0.0.1:', '127.0.0.1:65536', '127.0.0.1:http', '::1:80', '[::1', '[::1]80', 'unix:', 'fd://', 'fd://x', 'a b:80', 'http://x:80'])(
    'PF-1: rejects %j with a message naming the accepted forms',
    (text) => {
      expect(() => bindFromString(text)).toThrow(SettingsError);
      expect(() => bindFromString(text)).toThrow(/^\[PF-1\] --bind must be HOST:PORT/);
    },
  );

  it('PF-1: round-trips every bind', () => {
    fc.assert(
      fc.property(bind, (b) => {
        expect(bindFromString(stringFromBind(b))).toEqual(b);
      }),
      { examples: [[{ kind: 'unix', path: '//x' }], [{ kind: 'unix', path: ':' }]] },
    );
  });

  it('gives a client URL for TCP binds, with loopback for wildcard hosts', () => {
    expect(urlFromBind({ kind: 'tcp', host: '0.0.0.0', port: 8000 }, 8000)).toBe('http://127.0.0.1:8000');
    expect(urlFromBind({ kind: 'tcp', host: '::', port: 0 }, 4000, 'https')).toBe('https://[::1]:4000');
    expect(urlFromBind({ kind: 'unix', path: '/x' }, 0)).toBeUndefined();
  });
});
