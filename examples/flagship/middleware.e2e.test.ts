/**
 * Every standard middleware, stacked, on two real hosts: the Node host over a socket and
 * the fetch host as a handler. The same requests go through both and must get the same
 * answers; what differs between hosts (how the peer address is known) is set up per host.
 */
import { compose, MemoryErrorStream, notFoundApp, readBody, requestUrl, sendJson, sendText, type App } from '@tsgi/interface';
import {
  accessLog,
  bodyLimit,
  compression,
  conditionalGet,
  cors,
  errorPages,
  proxyHeaders,
  requestTimeout,
  urlMap,
} from '@tsgi/interface/middleware';
import { staticFiles } from '@tsgi/interface/static';
import { serve, type NodeServerHandle } from '@tsgi/adapters/node';
import { toFetchHandler } from '@tsgi/adapters/fetch';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, type HostRequest, type HostResponse, type Send } from './host-checks.js';
import { httpSend } from './http-send.js';

const SECRET = 'outside the static root';
const page = 'static page '.repeat(500);
let base: string;
const logLines: string[] = [];

const api = (): App =>
  ((environ, startResponse) => {
    const path = environ.PATH_INFO;
    if (path === '/whoami') {
      return sendJson(startResponse, '200 OK', { remote: environ.REMOTE_ADDR ?? null, url: requestUrl(environ).href, script: environ.SCRIPT_NAME });
    }
    if (path === '/boom') throw new Error('stack detail that must not leak');
    if (path === '/slow') return new Promise<never>(() => {});
    if (path === '/upload') return readBody(environ, Number.MAX_SAFE_INTEGER).then((body) => sendText(startResponse, '200 OK', `got ${body.length}`));
    return sendText(startResponse, '404 Not Found', 'no such api\n');
  }) as App;

function stack(): App {
  return compose(
    proxyHeaders({ trust: 'loopback' }),
    accessLog({ format: '%(h)s "%(r)s" %(s)s', write: (line) => logLines.push(line) }),
    errorPages(),
    requestTimeout({ timeout: 300 }),
    bodyLimit({ maxBytes: 5000 }),
    cors({ origin: 'https://web.example', credentials: true }),
    compression({ threshold: 100 }),
    conditionalGet({ etag: true }),
  )(
    urlMap({
      '/static': staticFiles({ root: join(base, 'public') })(notFoundApp),
      '/api': api(),
      '//admin.example/': (_e, s) => sendText(s, '200 OK', 'admin area'),
    })(notFoundApp),
  );
}

const text = (response: HostResponse) => new TextDecoder().decode(response.body);

async function checkStack(send: Send): Promise<void> {
  // Static files, compressed by Accept-Encoding, with ranges and conditional GET.
  const gz = await send({ target: '/static/page.html', headers: [['accept-encoding', 'gzip']] });
  expect(gz.status).toBe(200);
  expect(header(gz, 'content-encoding')).toBe('gzip');
  expect(header(gz, 'etag')).toMatch(/^W\/"/);
  expect(gunzipSync(gz.body).toString()).toBe(page);
  const br = await send({ target: '/static/page.html', headers: [['accept-encoding', 'gzip;q=0.5, br']] });
  expect(brotliDecompressSync(br.body).toString()).toBe(page);
  const range = await send({ target: '/static/page.html', headers: [['range', 'bytes=0-5']] });
  expect(range.status).toBe(206);
  expect(text(range)).toBe('static');
  const plain = await send({ target: '/static/page.html' });
  const notModified = await send({ target: '/static/page.html', headers: [['if-none-match', header(plain, 'etag')!]] });
  expect(notModified.status).toBe(304);
  for (const target of ['/static/..%2fsecret.txt', '/static/%2e%2e/secret.txt', '/static/.hidden']) {
    const refused = await send({ target });
    expect(refused.status).toBe(404);
    expect(text(refused)).not.toContain(SECRET);
  }

  // Proxy headers from a trusted peer; spoofed ones are ignored elsewhere (unit tests).
  const who = JSON.parse(text(await send({ target: '/api/whoami', headers: [['x-forwarded-for', '203.0.113.7'], ['x-forwarded-proto', 'https'], ['x-forwarded-host', 'shop.example']] })));
  expect(who).toEqual({ remote: '203.0.113.7', url: 'https://shop.example/api/whoami', script: '/api' });

  // CORS: preflight and the actual request.
  const preflight = await send({ method: 'OPTIONS', target: '/api/upload', headers: [['origin', 'https://web.example'], ['access-control-request-method', 'POST']] });
  expect(preflight.status).toBe(204);
  expect(header(preflight, 'access-control-allow-credentials')).toBe('true');
  const crossOrigin = await send({ target: '/api/whoami', headers: [['origin', 'https://web.example']] });
  expect(header(crossOrigin, 'access-control-allow-origin')).toBe('https://web.example');

  // Error pages: no detail to the client.
  const boom = await send({ target: '/api/boom' });
  expect(boom.status).toBe(500);
  expect(text(boom)).not.toContain('stack detail');

  // Body limit, declared and chunked; and the deadline.
  expect((await send({ method: 'POST', target: '/api/upload', body: new Uint8Array(4000) })).status).toBe(200);
  expect((await send({ method: 'POST', target: '/api/upload', body: new Uint8Array(6000) })).status).toBe(413);
  expect((await send({ method: 'POST', target: '/api/upload', body: new Uint8Array(6000), chunked: true })).status).toBe(413);
  expect((await send({ target: '/api/slow' })).status).toBe(503);

  // URL map by host.
  expect(text(await send({ target: '/anything', headers: [['host', 'admin.example']] }))).toBe('admin area');
  expect((await send({ target: '/anything' })).status).toBe(404);
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'tsgi-e2e-'));
  mkdirSync(join(base, 'public'));
  writeFileSync(join(base, 'public', 'page.html'), page);
  writeFileSync(join(base, 'public', '.hidden'), SECRET);
  writeFileSync(join(base, 'secret.txt'), SECRET);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('the standard middleware, end to end', () => {
  let server: NodeServerHandle | undefined;
  afterAll(() => server?.close({ timeout: 1000 }));

  it('MW-3: every middleware works on the Node host', async () => {
    logLines.length = 0;
    server = await serve(stack(), { host: '127.0.0.1', port: 0, errors: new MemoryErrorStream() });
    await checkStack(httpSend(server.url));
    expect(logLines).toContain('203.0.113.7 "GET /api/whoami HTTP/1.1" 200');
  });

  it('MW-3: every middleware works on the fetch host', async () => {
    logLines.length = 0;
    // A fetch runtime names the peer through its own API; here, as Deno or Bun would, loopback.
    const handler = toFetchHandler(stack(), { errors: new MemoryErrorStream(), clientAddress: () => ({ address: '127.0.0.1' }) });
    await checkStack(async ({ method = 'GET', target, headers = [], body, chunked }: HostRequest) => {
      const init: RequestInit & { duplex?: 'half' } = { method, headers };
      if (body) {
        init.body = chunked ? new Blob([body as Uint8Array<ArrayBuffer>]).stream() : (body as Uint8Array<ArrayBuffer>);
        if (chunked) init.duplex = 'half';
      }
      const host = headers.find(([name]) => name === 'host')?.[1] ?? 'flagship.example';
      const response = await handler(new Request(new URL(target, `http://${host}`), init));
      const pairs: Array<[string, string]> = [];
      response.headers.forEach((value, name) => pairs.push([name, value]));
      return { status: response.status, headers: pairs, body: new Uint8Array(await response.arrayBuffer()) };
    });
    expect(logLines).toContain('203.0.113.7 "GET /api/whoami HTTP/1.1" 200');
  });
});
