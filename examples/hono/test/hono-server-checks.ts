import { describe, expect, it } from 'vitest';
import { send } from '@tsgi-examples/testing';

/** Where a test started the Hono app, and how to stop it. */
export interface Served {
  port: number;
  stop(): Promise<void>;
}

const setCookies = (headers: Array<[string, string]>) =>
  headers.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => value);

/**
 * The requests every host of the Hono example must answer alike: the Hono app's own routes,
 * and the tsgi app it mounts, so that each request crosses the fetch bridge both ways.
 */
export function checkHonoServer(name: string, server: () => Served): void {
  describe(name, () => {
    it('FETCH-12: Hono answers its own routes', async () => {
      expect((await send(server().port, '/')).body).toBe('Hello from Hono\n');
      expect(JSON.parse((await send(server().port, '/hello/tsgi')).body)).toEqual({ hello: 'tsgi' });
    });

    it('FETCH-12: each Set-Cookie of the Hono response is its own field line', async () => {
      expect(setCookies((await send(server().port, '/cookies')).headers)).toEqual(['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/']);
    });

    it('FETCH-12: the request body streams into Hono, the response body streams out', async () => {
      async function* parts() {
        for (let i = 0; i < 64; i++) yield 'x'.repeat(1024);
      }
      const upload = await send(server().port, '/upload', { method: 'POST', body: parts() });
      expect(JSON.parse(upload.body)).toEqual({ bytes: 65536 });
      const ticks = await send(server().port, '/ticks');
      expect(ticks.body).toBe('tick 0\ntick 1\ntick 2\ntick 3\ntick 4\n');
      expect(ticks.headers.some(([name, value]) => name.toLowerCase() === 'transfer-encoding' && value === 'chunked')).toBe(true);
    });

    it('FETCH-1, FETCH-12: the tsgi app mounted in Hono answers through both bridges', async () => {
      expect((await send(server().port, '/legacy/hello')).body).toBe('Hello from the tsgi app\n');
      expect((await send(server().port, '/legacy/countdown')).body).toBe('3\n2\n1\nliftoff\n');
      const count = await send(server().port, '/legacy/count', { method: 'POST', body: 'y'.repeat(5000) });
      expect(JSON.parse(count.body)).toEqual({ bytes: 5000 });
      expect((await send(server().port, '/legacy/nothing')).status).toBe(404);
    });

    it('ENV-7: hono.mount strips the prefix; left in the URL, the fetch host moves it to SCRIPT_NAME', async () => {
      expect(JSON.parse((await send(server().port, '/legacy/where?x=1')).body)).toEqual({
        SCRIPT_NAME: '',
        PATH_INFO: '/where',
        REQUEST_URI: '/where?x=1',
        QUERY_STRING: 'x=1',
      });
      expect(JSON.parse((await send(server().port, '/scoped/where?x=%2F')).body)).toEqual({
        SCRIPT_NAME: '/scoped',
        PATH_INFO: '/where',
        REQUEST_URI: '/scoped/where?x=%2F',
        QUERY_STRING: 'x=%2F',
      });
    });

    it('FETCH-8: HEAD through both bridges: headers only', async () => {
      const head = await send(server().port, '/legacy/hello', { method: 'HEAD' });
      expect([head.status, head.body]).toEqual([200, '']);
    });
  });
}
