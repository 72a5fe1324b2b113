import fc from 'fast-check';
import { MemoryErrorStream, callApp, isHopByHop, percentEncodePath, readBody, type App, type Environ, type HeaderList, type Status } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { fromNodeHandler } from './from-node-handler.js';
import { nodeUrlFromEnviron } from './node-request-from-environ.js';
import { toNodeHandler } from './to-node-handler.js';

const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,16}$/);
const value = fc.stringMatching(/^(?:[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]{0,20}[\x21-\x7e\x80-\xff])?)?$/);
const byteString = fc.stringMatching(/^[\x00-\xff]{0,12}$/);
const path = fc.array(byteString, { maxLength: 4 }).map((segments) => percentEncodePath('/' + segments.join('/')));
const query = fc.oneof(fc.constant(''), fc.stringMatching(/^[A-Za-z0-9=&%._~-]{1,20}$/));
const requestHeaders = fc.array(fc.tuple(token, value), { maxLength: 6 }).map((h) => h.filter(([name]) => !/^(host|content-length|transfer-encoding|expect|connection|upgrade|te|trailer|keep-alive)$/i.test(name)));
const responseHeaders: fc.Arbitrary<HeaderList> = fc
  .array(fc.tuple(token, value), { maxLength: 6 })
  .map((h) => h.filter(([name]) => !isHopByHop(name) && !/^(content-length|date)$/i.test(name)) as HeaderList);
const status = fc.tuple(fc.constantFrom(200, 201, 202, 299, 400, 404, 418, 500, 503), fc.stringMatching(/^[\x20-\x7e]{1,16}$/)).map(([code, reason]) => `${code} ${reason.trim() || 'X'}` as Status);
const chunks = fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { maxLength: 5 });

const CGI = ['REQUEST_METHOD', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING', 'SERVER_NAME', 'SERVER_PORT', 'SERVER_PROTOCOL', 'REQUEST_URI', 'REMOTE_ADDR', 'CONTENT_LENGTH'] as const;

describe('toNodeHandler and fromNodeHandler are a pair', () => {
  it('NODE-2, NODE-7: an app behind fromNodeHandler(toNodeHandler(app)) sees the same request and gives the same response', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'get'),
        path,
        query,
        requestHeaders,
        chunks,
        status,
        responseHeaders,
        chunks,
        async (method, target, q, headers, requestBody, s, h, responseBody) => {
          let inner: Environ | undefined;
          let received: Uint8Array | undefined;
          const app: App = async (environ, startResponse) => {
            inner = environ;
            received = await readBody(environ);
            startResponse(s, h);
            return responseBody;
          };
          const bodyLength = requestBody.reduce((n, c) => n + c.length, 0);
          const response = await callApp(fromNodeHandler(toNodeHandler(app, { errors: new MemoryErrorStream() })), {
            method,
            target: q === '' ? target : `${target}?${q}`,
            headers: [['host', 'example.com:8080'], ...headers, ['content-length', String(bodyLength)]],
            body: requestBody,
          });
          const outer = response.environ!;
          for (const key of CGI) expect(inner![key], key).toBe(outer[key]);
          for (const key of Object.keys(outer).filter((k) => k.startsWith('HTTP_'))) expect(inner![key as keyof Environ], key).toBe(outer[key as keyof Environ]);
          expect(inner!['tsgi.headers']).toEqual(outer['tsgi.headers']);
          expect(received).toEqual(Uint8Array.from(requestBody.flatMap((c) => [...c])));
          expect(response.status).toBe(s);
          expect(response.headers.filter(([name]) => name.toLowerCase() !== 'content-length')).toEqual(h);
          expect(response.body).toEqual(Uint8Array.from(responseBody.flatMap((c) => [...c])));
          expect(response.destroyed).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('nodeUrlFromEnviron', () => {
  it('gives req.url below SCRIPT_NAME, still encoded as received, for any prefix the path starts with', () => {
    fc.assert(
      fc.property(fc.array(byteString, { minLength: 1, maxLength: 5 }), fc.nat(), query, (segments, cut, q) => {
        const raw = percentEncodePath('/' + segments.join('/'));
        const decodedSegments = segments;
        const split = (cut % segments.length) + 1;
        const script = '/' + decodedSegments.slice(0, split).join('/');
        const pathInfo = decodedSegments.length > split ? '/' + decodedSegments.slice(split).join('/') : '';
        if (script.endsWith('/')) return;
        const target = q === '' ? raw : `${raw}?${q}`;
        const { url, originalUrl } = nodeUrlFromEnviron({ REQUEST_URI: target, SCRIPT_NAME: script, PATH_INFO: pathInfo, QUERY_STRING: q } as Environ);
        expect(originalUrl).toBe(target);
        expect(target.endsWith(url) || url.startsWith('/')).toBe(true);
        const urlPath = url.split('?')[0]!;
        expect(decodeURIComponentBytes(urlPath)).toBe(pathInfo === '' ? '/' : pathInfo);
      }),
    );
  });

  it('rebuilds the URL from PATH_INFO when a middleware rewrote the path', () => {
    expect(nodeUrlFromEnviron({ REQUEST_URI: '/old?x=1', SCRIPT_NAME: '', PATH_INFO: '/new path', QUERY_STRING: 'x=1' } as Environ)).toEqual({ url: '/new%20path?x=1', originalUrl: '/new%20path?x=1' });
    expect(nodeUrlFromEnviron({ REQUEST_URI: '*', SCRIPT_NAME: '', PATH_INFO: '', QUERY_STRING: '' } as Environ).url).toBe('*');
  });
});

function decodeURIComponentBytes(text: string): string {
  return text.replace(/%([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
