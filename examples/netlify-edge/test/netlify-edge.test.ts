import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, firstChunkThenHangUp, send, startServer, type RuntimeServer } from '@tsgi-examples/testing';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const example = fileURLToPath(new URL('..', import.meta.url));

/**
 * Netlify Edge Functions run on Deno. The test serves the function with Deno.serve and calls
 * it the way Netlify does: `handler(request, context)`, with the client address in
 * `context.ip` and a `context.waitUntil`.
 */
const entry = `
import edge from ${JSON.stringify(join(example, 'netlify/edge-functions/tsgi.ts'))};
Deno.serve(
  { hostname: '127.0.0.1', port: 0, onListen: ({ hostname, port }) => console.log(\`listening on http://\${hostname}:\${port}/\`) },
  (request, info) => edge(request, { ip: info.remoteAddr.hostname, waitUntil: (promise) => void promise.catch(() => {}) }),
);
`;

let server: RuntimeServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsgi-netlify-'));
  const outfile = join(dir, 'edge.mjs');
  await build({ stdin: { contents: entry, resolveDir: example, loader: 'ts' }, bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], outfile, logLevel: 'error' });
  server = await startServer(`${root}node_modules/deno/deno`, ['run', '--allow-net=127.0.0.1', outfile], {
    env: { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(dir, 'deno-dir') },
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const stats = async () => JSON.parse((await send(server.port, '/stats')).body) as { released: number; waited: number; abortedAfterEnd: number };

describe('examples/netlify-edge on Deno', () => {
  it('ENV-19: serves the app; context.ip becomes REMOTE_ADDR', async () => {
    const response = await send(server.port, '/');
    expect([response.status, response.body]).toEqual([200, 'Hello from tsgi on Netlify Edge Functions, 127.0.0.1\n']);
  });

  it('FETCH-2: the path and query of request.url reach the app', async () => {
    const environ = JSON.parse((await send(server.port, '/inspect/x%2Fy')).body);
    expect([environ.REQUEST_URI, environ.PATH_INFO]).toEqual(['/inspect/x%2Fy', '/inspect/x/y']);
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

  it('FETCH-10: tsgi.wait_until work finishes after the response, through context.waitUntil', async () => {
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
