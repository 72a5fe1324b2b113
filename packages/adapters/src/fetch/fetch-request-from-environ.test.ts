import fc from 'fast-check';
import { byteStringFromBytes, callApp, MemoryErrorStream, sendText, type App, type Environ } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { fetchRequestFromEnviron, fetchUrlFromEnviron } from './fetch-request-from-environ.js';
import { toFetchHandler } from './to-fetch-handler.js';

/** Runs `app` on the in-memory host and returns the environ it saw. */
async function memoryEnviron(request: Parameters<typeof callApp>[1]): Promise<Environ> {
  let seen: Environ | undefined;
  await callApp((environ, startResponse) => {
    seen = environ;
    return sendText(startResponse, '200 OK', '');
  }, request);
  return seen!;
}

/** Runs `request` through toFetchHandler and returns the environ the app saw. */
async function fetchEnviron(request: Request): Promise<Environ> {
  let seen: Environ | undefined;
  const app: App = (environ, startResponse) => {
    seen = environ;
    return sendText(startResponse, '200 OK', '');
  };
  await (await toFetchHandler(app, { errors: new MemoryErrorStream() })(request)).arrayBuffer();
  return seen!;
}

/** A path as a client might send it: each byte raw (where a request line allows) or %XX. */
const wirePath = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.boolean()), { maxLength: 24 })
  .map((parts) =>
    '/' +
    parts
      .map(([byte, encode]) => {
        const raw = byte > 0x20 && byte < 0x7f && byte !== 0x25 && byte !== 0x3f && byte !== 0x23;
        return raw && !encode ? String.fromCharCode(byte) : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
      })
      .join(''),
  )
  // Dot segments are the one thing the URL parser removes from a path (FETCH-2's list).
  .filter((path) => !/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(path.replaceAll('%2F', '/').replaceAll('%2f', '/').replaceAll('%5C', '/').replaceAll('\\', '/')));

const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/).filter((name) => !['host', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade', 'transfer-encoding', 'content-length'].includes(name) && !name.startsWith('proxy-'));
const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,10}[!-~])?$/);

describe('fetchRequestFromEnviron', () => {
  it('FETCH-12: PATH_INFO survives environ → Request → environ byte for byte, for any path without dot segments', async () => {
    await fc.assert(
      fc.asyncProperty(wirePath, async (target) => {
        const original = await memoryEnviron({ target, headers: [['host', 'example.test']] });
        const again = await fetchEnviron(fetchRequestFromEnviron(original));
        expect(again.PATH_INFO).toBe(original.PATH_INFO);
      }),
      { numRuns: 80, examples: [['/a%2Fb'], ['/%5C..%5C'], ['/caf%C3%A9'], ['/%FF%00%20']] },
    );
  });

  it('FETCH-12: Request → environ → Request keeps the URL, the method and every header', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND'),
        fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true }),
        fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
        async (method, url, headers) => {
          const request = new Request(url.replace(/#.*/, ''), { method, headers });
          const environ = await fetchEnviron(request);
          const again = fetchRequestFromEnviron(environ);
          // A bare "?" is the one thing lost: REQUEST_URI leaves it out (ENV-14).
          const bare = new URL(request.url).search === '' && request.url.endsWith('?');
          expect(again.url).toBe(bare ? request.url.slice(0, -1) : request.url);
          expect(again.method).toBe(request.method);
          expect([...again.headers]).toEqual([...new Headers([['host', new URL(request.url).host], ...request.headers])]);
        },
      ),
      { numRuns: 60, examples: [['GET', 'http://a.aa??', []], ['GET', 'http://a.aa?', []]] },
    );
  });

  it('FETCH-12: the URL is the part below SCRIPT_NAME, raw, so %2F stays %2F under a mount', async () => {
    const environ = await memoryEnviron({ target: '/hono/a%2Fb/c?x=%2F', headers: [['host', 'example.test:8080']] });
    const mounted: Environ = { ...environ, SCRIPT_NAME: '/hono', PATH_INFO: '/a/b/c' };
    expect(fetchUrlFromEnviron(mounted)).toBe('http://example.test:8080/a%2Fb/c?x=%2F');
    const encodedPrefix = await memoryEnviron({ target: '/h%6Fno/x', headers: [['host', 'example.test']] });
    expect(fetchUrlFromEnviron({ ...encodedPrefix, SCRIPT_NAME: '/hono', PATH_INFO: '/x' })).toBe('http://example.test/x');
    expect(fetchUrlFromEnviron({ ...encodedPrefix, SCRIPT_NAME: '/hono', PATH_INFO: '' })).toBe('http://example.test/');
  });

  it('FETCH-12: a PATH_INFO rewritten by a middleware is encoded afresh', async () => {
    const environ = await memoryEnviron({ target: '/old', headers: [['host', 'example.test']] });
    expect(fetchUrlFromEnviron({ ...environ, PATH_INFO: '/new path/\xC3\xA9' })).toBe('http://example.test/new%20path/%C3%A9');
  });

  it('FETCH-12, ENV-15: without a usable Host header the URL uses SERVER_NAME and SERVER_PORT; with neither it is a 400', async () => {
    const environ = await memoryEnviron({ target: '/x', headers: [['host', 'example.test']] });
    const badHost = { ...environ, HTTP_HOST: 'bad host/', SERVER_NAME: 'internal.test', SERVER_PORT: '8081' };
    expect(fetchUrlFromEnviron(badHost)).toBe('http://internal.test:8081/x');
    const noHost: Environ = { ...environ, 'tsgi.url_scheme': 'https', SERVER_NAME: 'secure.test', SERVER_PORT: '443' };
    delete noHost.HTTP_HOST;
    expect(fetchUrlFromEnviron(noHost)).toBe('https://secure.test/x');
    const hopeless = { ...environ, HTTP_HOST: 'a b', SERVER_NAME: 'a b' };
    expect(() => fetchUrlFromEnviron(hopeless)).toThrow(expect.objectContaining({ status: 400, clause: 'FETCH-12' }));
  });

  it('FETCH-12: hop-by-hop request headers of the client connection do not reach the Request', async () => {
    const environ = await memoryEnviron({
      target: '/',
      headers: [['host', 'example.test'], ['connection', 'keep-alive'], ['keep-alive', '5'], ['te', 'trailers'], ['x-kept', 'yes']],
    });
    expect([...fetchRequestFromEnviron(environ).headers]).toEqual([['host', 'example.test'], ['x-kept', 'yes']]);
  });

  it('ENV-2: header bytes above 0x7F travel unchanged', async () => {
    const value = byteStringFromBytes(Uint8Array.of(0x5a, 0x6f, 0xc3, 0xab));
    const environ = await memoryEnviron({ target: '/', headers: [['host', 'example.test'], ['x-name', value]] });
    expect(fetchRequestFromEnviron(environ).headers.get('x-name')).toBe(value);
  });

  it('FETCH-12: the Request gets a body exactly when the request has one, framed or not', async () => {
    const base = await memoryEnviron({ method: 'POST', target: '/', headers: [['host', 'example.test']] });
    const bodyOf = (environ: Environ) => fetchRequestFromEnviron(environ).body;
    // HTTP/1.1 without Content-Length or Transfer-Encoding has no body (RFC 9112 section 6.3).
    expect(bodyOf(base)).toBeNull();
    expect(bodyOf({ ...base, CONTENT_LENGTH: '0' })).toBeNull();
    expect(bodyOf({ ...base, CONTENT_LENGTH: '3' })).not.toBeNull();
    expect(bodyOf({ ...base, 'tsgi.headers': [['host', 'example.test'], ['transfer-encoding', 'chunked']] })).not.toBeNull();
    // HTTP/2 frames bodies itself; a fetch runtime's Request says it has one.
    expect(bodyOf({ ...base, SERVER_PROTOCOL: 'HTTP/2' })).not.toBeNull();
    const streamed = new Request('http://example.test/', { method: 'POST', body: new ReadableStream(), duplex: 'half' } as RequestInit);
    expect(bodyOf({ ...base, 'fetch.request': streamed })).not.toBeNull();
    expect(bodyOf({ ...base, 'fetch.request': new Request('http://example.test/', { method: 'POST' }) })).toBeNull();
    expect(bodyOf({ ...base, REQUEST_METHOD: 'GET', CONTENT_LENGTH: '3' })).toBeNull();
  });
});
