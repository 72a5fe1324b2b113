import fc from 'fast-check';
import {
  MemoryErrorStream,
  byteStringFromUtf8,
  isByteString,
  percentDecodeByteString,
  sendText,
  utf8,
  type App,
  type Environ,
} from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { toFetchHandler } from './to-fetch-handler.js';

/** An app that keeps the environ it was given and answers 200 "ok". */
function recorder(): { app: App; environ: () => Environ } {
  let seen: Environ | undefined;
  return {
    app: (environ, startResponse) => {
      seen = environ;
      return sendText(startResponse, '200 OK', 'ok');
    },
    environ: () => {
      if (!seen) throw new Error('the app was not called');
      return seen;
    },
  };
}

async function environFor(request: Request, env?: unknown, ctx?: { waitUntil(p: Promise<unknown>): void }): Promise<Environ> {
  const { app, environ } = recorder();
  const response = await toFetchHandler(app, { errors: new MemoryErrorStream() })(request, env, ctx);
  await response.arrayBuffer();
  return environ();
}

const CGI_KEYS = ['REQUEST_METHOD', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING', 'SERVER_NAME', 'SERVER_PORT', 'SERVER_PROTOCOL', 'REQUEST_URI'] as const;

describe('toFetchHandler: the environ', () => {
  it('FETCH-2: what a normalised fetch URL keeps and what it has already lost', async () => {
    // Each row: what the client might have sent, and what reaches the app through request.url.
    const rows: Array<[sent: string, uri: string, pathInfo: string, query: string]> = [
      ['/a%2Fb', '/a%2Fb', '/a/b', ''], // %2F survives in REQUEST_URI, decodes in PATH_INFO
      ['/a%2fb', '/a%2fb', '/a/b', ''], // hex case survives
      ['/%41', '/%41', '/A', ''], // needlessly encoded octets are not re-normalised
      ['/a/../b', '/b', '/b', ''], // dot segments are gone
      ['/a/%2e%2E/b', '/b', '/b', ''], // encoded dot segments too
      ['/a/./b/.', '/a/b/', '/a/b/', ''],
      ['/a%2e/b', '/a%2e/b', '/a./b', ''], // a %2e that is not a whole segment stays
      ['//x//y', '//x//y', '//x//y', ''], // repeated slashes survive
      ['/a\\b', '/a/b', '/a/b', ''], // a backslash became a slash
      ['/caf\u00e9', '/caf%C3%A9', '/caf\xC3\xA9', ''], // non-ASCII is UTF-8, percent-encoded
      ['/a b', '/a%20b', '/a b', ''],
      ['/p?', '/p', '/p', ''], // a bare "?" is gone from REQUEST_URI (ENV-14)
      ['/p?x=%2F&y=a b&z', '/p?x=%2F&y=a%20b&z', '/p', 'x=%2F&y=a%20b&z'], // the query stays encoded
      ['/p?q=\u00e9', '/p?q=%C3%A9', '/p', 'q=%C3%A9'],
      ['/p#frag', '/p', '/p', ''],
      ['/%zz%', '/%zz%', '/%zz%', ''], // a stray % stays literal
    ];
    for (const [sent, uri, pathInfo, query] of rows) {
      const environ = await environFor(new Request('http://example.test' + sent));
      expect({ sent, uri: environ.REQUEST_URI, path: environ.PATH_INFO, query: environ.QUERY_STRING }).toEqual({ sent, uri, path: pathInfo, query });
    }
  });

  it('FETCH-2, ENV-2: every CGI value is a ByteString and PATH_INFO is the byte-exact decoding of the URL path, for any path and query', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 24 }),
        fc.option(fc.string({ unit: 'binary', maxLength: 12 }), { nil: undefined }),
        async (path, query) => {
          const request = new Request(`http://example.test/${path.replace(/[?#]/g, '')}${query === undefined ? '' : '?' + query.replace(/#/g, '')}`);
          const url = new URL(request.url);
          const environ = await environFor(request);
          for (const key of CGI_KEYS) expect(isByteString(environ[key])).toBe(true);
          expect(environ.PATH_INFO).toBe(percentDecodeByteString(url.pathname));
          expect(environ.REQUEST_URI).toBe(url.pathname + url.search);
          expect(environ.QUERY_STRING).toBe(url.search.slice(1));
        },
      ),
      { numRuns: 60, examples: [['\u00e9/%2F/../x', 'a=\u{1F600}'], ['', '']] },
    );
  });

  it('ENV-15, ENV-16: SERVER_NAME and SERVER_PORT come from the URL authority, the default port when it has none', async () => {
    const cases: Array<[string, string, string]> = [
      ['http://Example.TEST/', 'example.test', '80'],
      ['https://example.test/', 'example.test', '443'],
      ['https://example.test:8443/', 'example.test', '8443'],
      ['http://[::1]:8080/', '[::1]', '8080'],
      ['http://127.0.0.1:80/', '127.0.0.1', '80'],
    ];
    for (const [url, name, port] of cases) {
      const environ = await environFor(new Request(url));
      expect([environ.SERVER_NAME, environ.SERVER_PORT, environ['tsgi.url_scheme']]).toEqual([name, port, url.slice(0, url.indexOf(':'))]);
    }
  });

  it('FETCH-3: fetch.request, fetch.env and fetch.ctx are the arguments of the call', async () => {
    const request = new Request('http://example.test/');
    const env = { KV: 'binding' };
    const ctx = { waitUntil: () => {} };
    const environ = await environFor(request, env, ctx);
    expect(environ['fetch.request']).toBe(request);
    expect(environ['fetch.env']).toBe(env);
    expect(environ['fetch.ctx']).toBe(ctx);
    const bare = await environFor(new Request('http://example.test/'));
    expect('fetch.env' in bare).toBe(false);
    expect('fetch.ctx' in bare).toBe(false);
  });

  it('FETCH-4, ENV-28: tsgi.headers follow Headers iteration; host comes from the URL when the Request has none', async () => {
    const headers = new Headers();
    headers.append('X-B', '2');
    headers.append('x-a', '1');
    headers.append('X-A', '3');
    headers.append('X_Under', 'u');
    headers.append('Content-Type', 'text/plain');
    const environ = await environFor(new Request('http://example.test:81/', { headers }));
    expect(environ['tsgi.headers']).toEqual([
      ['host', 'example.test:81'],
      ['content-type', 'text/plain'],
      ['x-a', '1, 3'],
      ['x-b', '2'],
      ['x_under', 'u'],
    ]);
    expect(environ.HTTP_HOST).toBe('example.test:81');
    expect(environ.HTTP_X_A).toBe('1, 3');
    expect(environ.CONTENT_TYPE).toBe('text/plain');
    // ENV-21: the underscore name is kept in tsgi.headers but never mapped.
    expect(Object.keys(environ).filter((key) => key.startsWith('HTTP_X_U'))).toEqual([]);
    const withHost = await environFor(new Request('http://example.test/', { headers: { host: 'other.test' } }));
    expect(withHost['tsgi.headers']).toEqual([['host', 'other.test']]);
  });

  it('ENV-2: header values reach the app as ByteStrings, bytes above 0x7F included', async () => {
    const environ = await environFor(new Request('http://example.test/', { headers: { 'x-name': byteStringFromUtf8('Zoë') } }));
    expect(environ.HTTP_X_NAME).toBe('Zo\xC3\xAB');
  });

  it('FETCH-5: SERVER_PROTOCOL is HTTP/1.1 unless the runtime reports one (Workers request.cf.httpProtocol)', async () => {
    expect((await environFor(new Request('http://example.test/'))).SERVER_PROTOCOL).toBe('HTTP/1.1');
    const reported = Object.assign(new Request('http://example.test/'), { cf: { httpProtocol: 'HTTP/2' } });
    expect((await environFor(reported)).SERVER_PROTOCOL).toBe('HTTP/2');
    const bogus = Object.assign(new Request('http://example.test/'), { cf: { httpProtocol: 'SPDY/3' } });
    expect((await environFor(bogus)).SERVER_PROTOCOL).toBe('HTTP/1.1');
  });

  it('ENV-7: scriptName moves a matching prefix from PATH_INFO to SCRIPT_NAME', async () => {
    const { app, environ } = recorder();
    const handler = toFetchHandler(app, { scriptName: '/legacy' });
    await handler(new Request('http://example.test/legacy/a%2Fb?x'));
    expect([environ().SCRIPT_NAME, environ().PATH_INFO, environ().REQUEST_URI]).toEqual(['/legacy', '/a/b', '/legacy/a%2Fb?x']);
    await handler(new Request('http://example.test/legacyx'));
    expect([environ().SCRIPT_NAME, environ().PATH_INFO]).toEqual(['', '/legacyx']);
  });

  it('ENV-19, ENV-27: clientAddress sets REMOTE_ADDR and REMOTE_PORT; flags say many requests share the realm', async () => {
    const { app, environ } = recorder();
    await toFetchHandler(app, { clientAddress: (_request, env: { ip: string } | undefined) => ({ address: env!.ip, port: 5123 }) })(
      new Request('http://example.test/'),
      { ip: '203.0.113.9' },
    );
    expect([environ().REMOTE_ADDR, environ().REMOTE_PORT]).toEqual(['203.0.113.9', '5123']);
    expect([environ()['tsgi.multithread'], environ()['tsgi.multiprocess'], environ()['tsgi.run_once']]).toEqual([true, true, false]);
    await toFetchHandler(app)(new Request('http://example.test/'));
    expect('REMOTE_ADDR' in environ()).toBe(false);
  });

  it('HOST-6: conflicting Content-Length values are a 400 without calling the app; identical repeats are one length', async () => {
    let called = 0;
    const app: App = async (environ, startResponse) => {
      called++;
      const body = await environ['tsgi.input'].read();
      return sendText(startResponse, '200 OK', `${environ.CONTENT_LENGTH} ${body.length}`);
    };
    const handler = toFetchHandler(app, { errors: new MemoryErrorStream() });
    const conflicting = new Headers([['content-length', '5'], ['content-length', '6']]);
    const refused = await handler(new Request('http://example.test/', { method: 'POST', body: 'hello', headers: conflicting }));
    expect(refused.status).toBe(400);
    expect(called).toBe(0);
    const repeated = new Headers([['content-length', '5'], ['content-length', '5']]);
    const accepted = await handler(new Request('http://example.test/', { method: 'POST', body: 'hello', headers: repeated }));
    expect([accepted.status, await accepted.text()]).toEqual([200, '5 5']);
  });
});
