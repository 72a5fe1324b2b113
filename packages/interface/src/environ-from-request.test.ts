import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteStringFromBytes, percentDecodeByteString } from './bytestring.js';
import { environFromRequest, type RequestDescription } from './environ-from-request.js';
import { RequestError } from './errors.js';
import { MemoryErrorStream } from './error-stream.js';
import { environKeyForHeader } from './helpers.js';
import { EMPTY_INPUT } from './input-stream.js';

function describeRequest(overrides: Partial<RequestDescription> = {}): RequestDescription {
  return {
    method: 'GET',
    target: '/',
    rawHeaders: ['Host', 'example.test'],
    protocol: 'HTTP/1.1',
    scheme: 'http',
    serverName: 'example.test',
    serverPort: '80',
    input: EMPTY_INPUT,
    errors: new MemoryErrorStream(),
    lifecycle: { signal: new AbortController().signal },
    waitUntil: () => {},
    multithread: true,
    multiprocess: false,
    runOnce: false,
    ...overrides,
  };
}

/** Encodes bytes as a request path the way a client might: each byte raw or %XX, at random. */
const encodedPath = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.boolean(), fc.boolean()), { maxLength: 40 })
  .map((parts) => {
    const bytes = parts.map(([b]) => b);
    const wire = parts
      .map(([b, encode, upper]) => {
        // Only bytes a request line may carry raw are sent raw; '%' and '?' always encoded.
        const raw = b > 0x20 && b !== 0x7f && b !== 0x25 && b !== 0x3f && b !== 0x23;
        if (raw && !encode) return String.fromCharCode(b);
        const hex = b.toString(16).padStart(2, '0');
        return '%' + (upper ? hex.toUpperCase() : hex);
      })
      .join('');
    return { bytes, wire: '/' + wire };
  });

const trimmed = (value: string) => value.replace(/^[ \t]+|[ \t]+$/g, '');

const mappableName = fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/);
const anyTokenName = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,20}$/);

describe('environFromRequest', () => {
  it('ENV-8, ENV-12, ENV-13: PATH_INFO is the byte-exact percent-decoding of any encoded path; REQUEST_URI keeps the wire form', () => {
    fc.assert(
      fc.property(encodedPath, fc.string({ maxLength: 10 }).map((q) => q.replace(/[^\x21-\x7e]/g, 'x').replace(/#/g, '')), ({ bytes, wire }, query) => {
        const target = query ? `${wire}?${query}` : wire;
        const environ = environFromRequest(describeRequest({ target }));
        expect(environ.PATH_INFO).toBe('/' + byteStringFromBytes(Uint8Array.from(bytes)));
        expect(environ.REQUEST_URI).toBe(target);
        expect(environ.QUERY_STRING).toBe(query);
      }),
      { examples: [[{ bytes: [0x2f], wire: '/%2F' }, ''], [{ bytes: [0x25, 0x32, 0x46], wire: '/%252F' }, 'a=%2F']] },
    );
  });

  it('ENV-8: a "%" not followed by two hex digits stays literal', () => {
    expect(percentDecodeByteString('/a%zz%4')).toBe('/a%zz%4');
    expect(percentDecodeByteString('/%41%4a%4A')).toBe('/AJJ');
  });

  it('ENV-20, ENV-22: every mappable header name maps to HTTP_ + upper case with "-" as "_"; values are joined with ", "', () => {
    fc.assert(
      fc.property(mappableName, fc.array(fc.stringMatching(/^[\x20-\x7e]{0,12}$/), { minLength: 1, maxLength: 3 }), (name, values) => {
        fc.pre(!/^(content-type|content-length|cookie)$/i.test(name));
        const raw = values.flatMap((v) => [name, v]);
        const environ = environFromRequest(describeRequest({ rawHeaders: raw })) as unknown as Record<string, unknown>;
        const key = 'HTTP_' + name.toUpperCase().replaceAll('-', '_');
        expect(environ[key]).toBe(values.map(trimmed).join(', '));
      }),
      { examples: [['-', [' ', '']]] },
    );
  });

  it('ENV-21, ENV-28: a header name with "_" or any character outside [A-Za-z0-9-] is never mapped, and stays in tsgi.headers', () => {
    fc.assert(
      fc.property(anyTokenName, fc.stringMatching(/^[\x20-\x7e]{0,12}$/), (name, value) => {
        fc.pre(/[^A-Za-z0-9-]/.test(name));
        const environ = environFromRequest(describeRequest({ rawHeaders: [name, value] }));
        const keys = Object.keys(environ).filter((k) => k.startsWith('HTTP_') || k.startsWith('CONTENT_'));
        expect(keys).toEqual([]);
        expect(environ['tsgi.headers']).toEqual([[name.toLowerCase(), trimmed(value)]]);
      }),
      { examples: [['X_Foo', 'spoof'], ['X.Foo', 'dot'], ['|A', ' ']] },
    );
  });

  it('ENV-20, ENV-21: two header names that differ other than by case never map to the same key', () => {
    fc.assert(
      fc.property(anyTokenName, anyTokenName, (a, b) => {
        fc.pre(a.toLowerCase() !== b.toLowerCase());
        const ka = environKeyForHeader(a);
        const kb = environKeyForHeader(b);
        if (ka !== undefined && kb !== undefined) expect(ka).not.toBe(kb);
        const environ = environFromRequest(describeRequest({ rawHeaders: [a, '1', b, '2'] })) as unknown as Record<string, unknown>;
        if (ka) expect(environ[ka]).toBe('1');
        if (kb) expect(environ[kb]).toBe('2');
      }),
      { examples: [['X-Foo', 'X_Foo'], ['a-b', 'A_B']] },
    );
  });

  it('ENV-22: repeated Cookie fields are joined with "; "', () => {
    const environ = environFromRequest(describeRequest({ rawHeaders: ['Cookie', 'a=1', 'cookie', 'b=2'] }));
    expect(environ.HTTP_COOKIE).toBe('a=1; b=2');
  });

  it('ENV-18: CONTENT_TYPE and CONTENT_LENGTH appear only when sent, never as HTTP_ keys', () => {
    const none = environFromRequest(describeRequest());
    expect('CONTENT_TYPE' in none).toBe(false);
    expect('CONTENT_LENGTH' in none).toBe(false);
    const some = environFromRequest(describeRequest({ rawHeaders: ['Content-Type', 'text/plain', 'Content-Length', '3'] })) as unknown as Record<string, unknown>;
    expect(some.CONTENT_TYPE).toBe('text/plain');
    expect(some.CONTENT_LENGTH).toBe('3');
    expect(some.HTTP_CONTENT_TYPE).toBeUndefined();
    expect(some.HTTP_CONTENT_LENGTH).toBeUndefined();
  });

  it('HOST-6: conflicting or non-numeric Content-Length is a 400', () => {
    const conflict = () => environFromRequest(describeRequest({ rawHeaders: ['Content-Length', '3', 'Content-Length', '4'] }));
    expect(conflict).toThrow(RequestError);
    expect(() => environFromRequest(describeRequest({ rawHeaders: ['Content-Length', '-1'] }))).toThrow(/Content-Length/);
    const same = environFromRequest(describeRequest({ rawHeaders: ['Content-Length', '3', 'Content-Length', '3'] }));
    expect(same.CONTENT_LENGTH).toBe('3');
  });

  it('HOST-6: targets with controls, spaces or no usable form are a 400', () => {
    for (const target of ['', 'foo', '/a b', '/a\u0000', '/\u0100', 'example.com:443']) {
      expect(() => environFromRequest(describeRequest({ target })), target).toThrow(RequestError);
    }
  });

  it('ENV-10, ENV-11: absolute-form and asterisk-form targets', () => {
    const absolute = environFromRequest(describeRequest({ target: 'http://example.test/a%20b?x=1' }));
    expect([absolute.PATH_INFO, absolute.QUERY_STRING, absolute.REQUEST_URI]).toEqual(['/a b', 'x=1', 'http://example.test/a%20b?x=1']);
    const bare = environFromRequest(describeRequest({ target: 'http://example.test?x' }));
    expect([bare.PATH_INFO, bare.QUERY_STRING]).toEqual(['/', 'x']);
    const star = environFromRequest(describeRequest({ method: 'OPTIONS', target: '*' }));
    expect([star.PATH_INFO, star.REQUEST_URI]).toEqual(['', '*']);
  });

  it('ENV-7: a host scriptName moves from PATH_INFO to SCRIPT_NAME on a segment boundary only', () => {
    const staged = environFromRequest(describeRequest({ target: '/prod/items/1', scriptName: '/prod' }));
    expect([staged.SCRIPT_NAME, staged.PATH_INFO]).toEqual(['/prod', '/items/1']);
    const other = environFromRequest(describeRequest({ target: '/production', scriptName: '/prod' }));
    expect([other.SCRIPT_NAME, other.PATH_INFO]).toEqual(['', '/production']);
  });

  it('ENV-1, ENV-24: the environ is a fresh plain object with every required key', () => {
    const a = environFromRequest(describeRequest({ remoteAddress: '::1', remotePort: 5555 }));
    const b = environFromRequest(describeRequest());
    expect(a).not.toBe(b);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    for (const key of ['REQUEST_METHOD', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING', 'SERVER_NAME', 'SERVER_PORT', 'SERVER_PROTOCOL', 'REQUEST_URI']) {
      expect(typeof (a as unknown as Record<string, unknown>)[key], key).toBe('string');
    }
    expect(a['tsgi.version']).toEqual([1, 0]);
    expect(a['tsgi.input_terminated']).toBe(true);
    expect(a.REMOTE_ADDR).toBe('::1');
    expect(a.REMOTE_PORT).toBe('5555');
    expect(a['tsgi.signal']).toBeInstanceOf(AbortSignal);
    // A derived environ copies the signal itself, not a getter (MW-4).
    expect({ ...a }['tsgi.signal']).toBe(a['tsgi.signal']);
  });

  it('ENV-22, ENV-28: header values lose leading and trailing spaces and tabs', () => {
    const environ = environFromRequest(describeRequest({ rawHeaders: ['X-A', ' \tpadded value\t ', 'X-A', 'b'] }));
    expect(environ.HTTP_X_A).toBe('padded value, b');
    expect(environ['tsgi.headers']).toEqual([['x-a', 'padded value'], ['x-a', 'b']]);
  });

  it('ENV-15, ENV-16: SERVER_NAME and SERVER_PORT come from the authority the request names', () => {
    const cases: Array<[string[], string, string, string]> = [
      [['Host', 'example.test:8080'], '/', 'example.test', '8080'],
      [['Host', 'example.test'], '/', 'example.test', '80'],
      [['Host', '[::1]:9000'], '/', '[::1]', '9000'],
      [['Host', '[::1]'], '/', '[::1]', '80'],
      [[], '/', 'bound.name', '1234'],
      [['Host', 'ignored'], 'http://abs.test:81/x', 'abs.test', '81'],
    ];
    for (const [rawHeaders, target, name, port] of cases) {
      const environ = environFromRequest(describeRequest({ rawHeaders, target, serverName: 'bound.name', serverPort: '1234' }));
      expect([environ.SERVER_NAME, environ.SERVER_PORT], JSON.stringify(rawHeaders)).toEqual([name, port]);
    }
    expect(() => environFromRequest(describeRequest({ rawHeaders: ['Host', 'a:b'] }))).toThrow(RequestError);
  });

  it('HOST-6: several Host fields, or a Host that is not host[:port], are a 400 (RFC 9112 section 3.2)', () => {
    for (const rawHeaders of [['Host', 'a', 'host', 'b'], ['Host', 'a b'], ['Host', 'a:99999'], ['Host', '[::1'], ['Host', 'a/b'], ['Host', 'x@y']]) {
      expect(() => environFromRequest(describeRequest({ rawHeaders })), JSON.stringify(rawHeaders)).toThrow(/\[HOST-6\]/);
    }
    expect(environFromRequest(describeRequest({ rawHeaders: ['Host', 'example.test:'] })).SERVER_PORT).toBe('80');
  });

  it('ENV-23: pseudo-headers never become header fields; :authority stands in for a missing Host', () => {
    const environ = environFromRequest(describeRequest({ rawHeaders: [':method', 'GET', ':authority', 'h2.test:8443', ':path', '/', 'accept', '*/*'] }));
    expect(environ.HTTP_HOST).toBe('h2.test:8443');
    expect([environ.SERVER_NAME, environ.SERVER_PORT]).toEqual(['h2.test', '8443']);
    expect(environ['tsgi.headers']).toEqual([['accept', '*/*']]);
  });
});
