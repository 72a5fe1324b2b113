import { MemoryErrorStream, sendText, type App, type Environ } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import type { ResponseInfo } from './node-options.js';
import { serve } from './serve.js';
import { serversClosedAfterEach } from './testing/servers.js';
import { RawConnection, rawRequest } from './testing/raw-client.js';

const start = serversClosedAfterEach();

function recorder(): { app: App; seen: Environ[] } {
  const seen: Environ[] = [];
  return { seen, app: (environ, startResponse) => (seen.push(environ), sendText(startResponse, '200 OK', 'ok')) };
}

const FORWARDED = 'GET / HTTP/1.1\r\nHost: app.internal\r\nX-Forwarded-For: 203.0.113.7, 10.0.0.2\r\nX-Forwarded-Proto: https\r\n\r\n';

describe('trustedProxies', () => {
  it('HOST-33, HOST-35: by default nobody is trusted; the headers change nothing and stay visible', async () => {
    const { app, seen } = recorder();
    const handle = await start(app);
    await rawRequest(handle.url, FORWARDED);
    expect(seen[0]!.REMOTE_ADDR).toBe('127.0.0.1');
    expect(seen[0]!['tsgi.url_scheme']).toBe('http');
    expect(seen[0]!.HTTP_X_FORWARDED_FOR).toBe('203.0.113.7, 10.0.0.2');
  });

  it('HOST-34: from a trusted peer, REMOTE_ADDR is the right-most address that is not a trusted proxy, and the scheme is believed', async () => {
    const { app, seen } = recorder();
    const handle = await start(app, { trustedProxies: ['127.0.0.1', '10.0.0.0/8'] });
    await rawRequest(handle.url, FORWARDED);
    expect(seen[0]!.REMOTE_ADDR).toBe('203.0.113.7');
    expect(seen[0]!['tsgi.url_scheme']).toBe('https');
    expect(seen[0]!.HTTP_X_FORWARDED_FOR).toBe('203.0.113.7, 10.0.0.2');
    expect(seen[0]!['tsgi.headers']).toContainEqual(['x-forwarded-proto', 'https']);
  });

  it('HOST-33: a peer outside the list is not believed; a predicate works as a list does', async () => {
    const { app, seen } = recorder();
    const listed = await start(app, { trustedProxies: ['10.0.0.0/8'] });
    await rawRequest(listed.url, FORWARDED);
    const predicate = await start(app, { trustedProxies: (address) => address === '127.0.0.1' });
    await rawRequest(predicate.url, FORWARDED);
    expect(seen.map((e) => e.REMOTE_ADDR)).toEqual(['127.0.0.1', '10.0.0.2']);
  });

  it('refuses a malformed trusted address at start-up', async () => {
    await expect(serve(recorder().app, { port: 0, trustedProxies: ['10.0.0.0/33'] })).rejects.toThrow(/prefix length/);
  });
});

describe('onResponse', () => {
  it('reports each response once it has ended: status, body bytes, duration, and whether it was aborted', async () => {
    const infos: ResponseInfo[] = [];
    const handle = await start(
      (environ, startResponse) => {
        if (environ.PATH_INFO === '/stream') {
          startResponse('200 OK', []);
          return (async function* () {
            for (;;) {
              yield new Uint8Array(1024);
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
          })();
        }
        return sendText(startResponse, '201 Created', 'made');
      },
      { onResponse: (info) => infos.push(info) },
    );
    await (await fetch(`${handle.url}/make`, { method: 'POST' })).text();
    const connection = await RawConnection.open(handle.url);
    connection.write('GET /stream HTTP/1.1\r\nHost: h\r\n\r\n');
    await connection.until(() => connection.received.length > 2048);
    connection.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(infos.map((i) => [i.environ.PATH_INFO, i.status, i.aborted])).toEqual([
      ['/make', '201 Created', false],
      ['/stream', '200 OK', true],
    ]);
    expect(infos[0]!.bytesSent).toBe(4);
    expect(infos[1]!.bytesSent).toBeGreaterThan(1024);
    expect(infos[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('an onResponse that throws is reported to tsgi.errors and harms nothing', async () => {
    const errors = new MemoryErrorStream();
    const handle = await start(recorder().app, {
      errors,
      onResponse: () => {
        throw new Error('logger broke');
      },
    });
    expect(await (await fetch(handle.url)).text()).toBe('ok');
    expect(await (await fetch(handle.url)).text()).toBe('ok');
    expect(errors.text).toContain('logger broke');
  });

  it('refuses limits that are not positive integers', async () => {
    await expect(serve(recorder().app, { port: 0, limits: { maxBodySize: -1 } })).rejects.toThrow(/limits\.maxBodySize must be a positive integer/);
  });
});
