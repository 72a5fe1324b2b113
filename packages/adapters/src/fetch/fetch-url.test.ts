import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitFetchUrl } from './fetch-url.js';

/** Arbitrary http(s) URLs, serialised by the WHATWG parser the way a runtime hands them over. */
const fetchUrl = fc
  .record({
    scheme: fc.constantFrom('http', 'https'),
    host: fc.constantFrom('example.test', 'EXAMPLE.test', '127.0.0.1', '[::1]', 'xn--caf-dma.test', 'a-b.c'),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    path: fc.string({ unit: 'binary', maxLength: 20 }),
    query: fc.option(fc.string({ unit: 'binary', maxLength: 12 }), { nil: undefined }),
    hash: fc.option(fc.string({ maxLength: 5 }), { nil: undefined }),
  })
  .map(({ scheme, host, port, path, query, hash }) => {
    const text = `${scheme}://${host}${port === undefined ? '' : ':' + port}/${path.replace(/[?#]/g, '')}${query === undefined ? '' : '?' + query.replace(/#/g, '')}${hash === undefined ? '' : '#' + hash}`;
    return new Request(text).url;
  });

describe('splitFetchUrl', () => {
  it('FETCH-2: agrees with the WHATWG URL parser on every part of any serialised http(s) URL', () => {
    fc.assert(
      fc.property(fetchUrl, (url) => {
        const parsed = new URL(url);
        const split = splitFetchUrl(url);
        expect(split.scheme + ':').toBe(parsed.protocol);
        expect(split.authority).toBe(parsed.host);
        expect(split.hostname).toBe(parsed.hostname);
        expect(split.port).toBe(parsed.port || (parsed.protocol === 'https:' ? '443' : '80'));
        expect(split.path).toBe(parsed.pathname);
        // URL.search is "" both for no query and for a bare "?"; the split tells them apart.
        expect(split.query === undefined || split.query === '' ? '' : '?' + split.query).toBe(parsed.search);
      }),
      { examples: [['http://[::1]:8080/x?y#z'], ['https://h/?#'], ['http://h/a?b?c#d?e']] },
    );
  });

  it('FETCH-2: keeps a bare "?" apart from no query, and drops the fragment', () => {
    expect(splitFetchUrl('http://h/p?').query).toBe('');
    expect(splitFetchUrl('http://h/p').query).toBeUndefined();
    expect(splitFetchUrl('http://h/p#f?x')).toMatchObject({ path: '/p', query: undefined });
  });

  it('FETCH-2: refuses a URL that is not http or https with a 400 RequestError', () => {
    for (const url of ['file:///etc/passwd', 'ftp://h/x', 'data:text/plain,hi', 'httpx://h/']) {
      expect(() => splitFetchUrl(url)).toThrow(expect.objectContaining({ status: 400, clause: 'FETCH-2' }));
    }
  });
});
