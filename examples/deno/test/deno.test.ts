import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, firstChunkThenHangUp, send, startServer, type RuntimeServer } from '@tsgi-examples/testing';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const example = fileURLToPath(new URL('..', import.meta.url));

let server: RuntimeServer;
let dir: string;

beforeAll(async () => {
  // One bundled file: Deno then needs no npm registry and no node_modules resolution.
  dir = await mkdtemp(join(tmpdir(), 'tsgi-deno-'));
  const outfile = join(dir, 'main.mjs');
  await build({ entryPoints: [join(example, 'src/main.ts')], bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], outfile, logLevel: 'error' });
  server = await startServer(`${root}node_modules/deno/deno`, ['run', '--allow-net=127.0.0.1', '--allow-env=HOST,PORT', outfile], {
    env: { PORT: '0', DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(dir, 'deno-dir') },
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});
const stats = async () => JSON.parse((await send(server.port, '/stats')).body) as { released: number; waited: number; abortedAfterEnd: number };

describe('examples/deno on Deno.serve', () => {
  it('ENV-19: serves the app; the client address reaches REMOTE_ADDR', async () => {
    const response = await send(server.port, '/');
    expect([response.status, response.body]).toEqual([200, 'Hello from tsgi on Deno, 127.0.0.1\n']);
  });

  it('FETCH-2: Deno hands over the target as sent; only raw non-ASCII bytes are refused', async () => {
    // [sent, REQUEST_URI, PATH_INFO, QUERY_STRING]; null: Deno answers 400 itself.
    const rows: Array<[string, string, string, string] | [string, null]> = [
      ['/inspect/a%2Fb/./c/../d//e%7e?q=%2F&r=a+b', '/inspect/a%2Fb/./c/../d//e%7e?q=%2F&r=a+b', '/inspect/a/b/./c/../d//e~', 'q=%2F&r=a+b'],
      ['/inspect/%2e%2E/z', '/inspect/%2e%2E/z', '/inspect/../z', ''],
      ['/inspect/x\\y', '/inspect/x\\y', '/inspect/x\\y', ''],
      ['/inspect/q"<>`{}|^', '/inspect/q"<>`{}|^', '/inspect/q"<>`{}|^', ''],
      ['/inspect/p?', '/inspect/p', '/inspect/p', ''],
      ["/inspect/p?a'b\"c", "/inspect/p?a'b\"c", '/inspect/p', "a'b\"c"],
      ['/inspect/%zz', '/inspect/%zz', '/inspect/%zz', ''],
      ['http://other.test/inspect/abs?x', '/inspect/abs?x', '/inspect/abs', 'x'],
      ['/inspect/caf\u00e9', null],
    ];
    for (const [sent, uri, pathInfo, query] of rows) {
      const response = await send(server.port, sent);
      if (uri === null) {
        expect([sent, response.status]).toEqual([sent, 400]);
        continue;
      }
      const environ = JSON.parse(response.body);
      expect([sent, environ.REQUEST_URI, environ.PATH_INFO, environ.QUERY_STRING]).toEqual([sent, uri, pathInfo, query]);
      expect([environ.SERVER_NAME, environ.SERVER_PORT, environ.SERVER_PROTOCOL, environ.REMOTE_ADDR]).toEqual(['127.0.0.1', String(server.port), 'HTTP/1.1', '127.0.0.1']);
    }
  });

  it('FETCH-4, ENV-20: repeated fields arrive joined (Cookie with "; "); underscore names stay in tsgi.headers only', async () => {
    const response = await send(server.port, '/inspect', { headers: { 'X-A': ['1', '2'], Cookie: ['a=1', 'b=2'], X_U: 'u' } });
    const environ = JSON.parse(response.body);
    expect(environ.headers).toEqual(expect.arrayContaining([['x-a', '1, 2'], ['cookie', 'a=1; b=2'], ['x_u', 'u']]));
  });

  it('FETCH-9: each Set-Cookie reaches the client as its own field line', async () => {
    const response = await send(server.port, '/cookies');
    expect(response.headers.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => value)).toEqual([
      'session=abc; Path=/; HttpOnly',
      'theme=dark; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT',
    ]);
  });

  it('INP-14, BODY-6: a chunked request body streams through the app and back', async () => {
    async function* parts() {
      for (let i = 0; i < 20; i++) yield `part ${i};`;
    }
    const response = await send(server.port, '/echo', { method: 'POST', body: parts(), headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(200);
    expect(response.body).toBe(Array.from({ length: 20 }, (_, i) => `part ${i};`).join(''));
  });

  it('FETCH-6, FETCH-7: an endless body streams, and a client that hangs up gets it released', async () => {
    const before = (await stats()).released;
    expect(await firstChunkThenHangUp(server.port, '/ticker')).toMatch(/^tick 0\n/);
    expect(await eventually(async () => (await stats()).released > before)).toBe(true);
  });

  it('HOST-27: tsgi.wait_until work finishes after the response', async () => {
    const before = (await stats()).waited;
    expect((await send(server.port, '/later')).status).toBe(202);
    expect(await eventually(async () => (await stats()).waited > before)).toBe(true);
  });

  it('HOST-21: a response that completed never has its tsgi.signal aborted, then or later', async () => {
    expect((await send(server.port, '/countdown')).body).toBe('3\n2\n1\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await stats()).abortedAfterEnd).toBe(0);
  });

  it('FETCH-8, BODY-23: HEAD gets the headers and the Content-Length, no body', async () => {
    const get = await send(server.port, '/');
    const response = await send(server.port, '/', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1]).toBe(String(get.body.length));
    expect(response.body).toBe('');
  });

  it('HOST-11, HOST-12: an app error is a generic 500, its message stays in the logs', async () => {
    const response = await send(server.port, '/fail');
    expect(response.status).toBe(500);
    expect(response.body).not.toContain('this message');
    expect(await eventually(async () => server.output().includes('this message stays in the logs'))).toBe(true);
  });
});
