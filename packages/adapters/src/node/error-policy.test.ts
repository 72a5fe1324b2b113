import { MemoryErrorStream, sendText, type App } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import type { ServeOptions } from './serve.js';
import { serversClosedAfterEach } from './testing/servers.js';
import { RawConnection } from './testing/raw-client.js';

const startServer = serversClosedAfterEach();

async function start(app: App, options: ServeOptions = {}): Promise<{ url: string; errors: MemoryErrorStream }> {
  const errors = new MemoryErrorStream();
  const handle = await startServer(app, { errors, ...options });
  return { url: handle.url, errors };
}

/** Sends one request; returns everything received until the server closed or went quiet. */
async function exchange(url: string, request = 'GET / HTTP/1.1\r\nHost: h\r\n\r\n'): Promise<{ text: string; closed: boolean }> {
  const connection = await RawConnection.open(url);
  connection.write(request);
  await connection.until(() => connection.closed, 3000).catch(() => {});
  const result = { text: connection.received.toString('latin1'), closed: connection.closed };
  connection.close();
  return result;
}

describe('the Node host applies the shared error policy', () => {
  it('HOST-11, HOST-12, HOST-13: an app that throws before the commit gets a generic 500; details go to tsgi.errors only', async () => {
    const server = await start(() => {
      throw new Error('secret database password');
    });
    const connection = await RawConnection.open(server.url);
    connection.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    const response = await connection.response();
    connection.close();
    expect(response.status).toBe('500 Internal Server Error');
    expect(response.body.toString()).not.toContain('secret');
    expect(server.errors.text).toContain('secret database password');
    expect(server.errors.text).toMatch(/at .*error-policy\.test/);
  });

  it('HOST-11: an app whose promise rejects gets the same 500, and the connection stays usable', async () => {
    let calls = 0;
    const server = await start(async (environ, startResponse) => {
      if (calls++ === 0) throw new Error('first fails');
      return sendText(startResponse, '200 OK', 'second works');
    });
    const connection = await RawConnection.open(server.url);
    connection.write('GET / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n');
    const first = await connection.response();
    const second = await connection.response();
    connection.close();
    expect(first.status).toBe('500 Internal Server Error');
    expect(second.body.toString()).toBe('second works');
  });

  it('HOST-14: an app that fails after the commit gets its response aborted, never a second status', async () => {
    const server = await start((environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']]);
      return (async function* () {
        yield Buffer.from('partial');
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('mid-body failure');
      })();
    });
    const { text, closed } = await exchange(server.url);
    expect(closed).toBe(true);
    expect(text.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(text).toContain('partial');
    // A chunked body without its last chunk: the client can tell it is incomplete.
    expect(text.endsWith('0\r\n\r\n')).toBe(false);
    expect(server.errors.text).toContain('mid-body failure');
  });

  it('HOST-16: hop-by-hop headers from the app are dropped, each with a warning', async () => {
    const server = await start((environ, startResponse) => {
      startResponse('200 OK', [
        ['Connection', 'upgrade'],
        ['Keep-Alive', 'timeout=999'],
        ['Transfer-Encoding', 'gzip'],
        ['Upgrade', 'websocket'],
        ['Proxy-Authenticate', 'Basic'],
        ['X-Kept', 'yes'],
        ['Content-Length', '2'],
      ]);
      return [Buffer.from('ok')];
    });
    const connection = await RawConnection.open(server.url);
    connection.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    const response = await connection.response();
    connection.close();
    const names = response.headers.map(([name]) => name.toLowerCase());
    expect(names).toContain('x-kept');
    expect(names).not.toContain('upgrade');
    expect(names).not.toContain('transfer-encoding');
    expect(names).not.toContain('proxy-authenticate');
    expect(response.header('connection')).toBe('keep-alive');
    expect(response.header('keep-alive')).not.toBe('timeout=999');
    for (const name of ['Connection', 'Keep-Alive', 'Transfer-Encoding', 'Upgrade', 'Proxy-Authenticate']) {
      expect(server.errors.text).toContain(`[HOST-16] dropped hop-by-hop response header ${name}`);
    }
  });

  it('BODY-15: a body longer than its Content-Length is cut at it, and the connection closes', async () => {
    const server = await start((environ, startResponse) => {
      startResponse('200 OK', [['content-length', '5']]);
      return [Buffer.from('12345'), Buffer.from('67890')];
    });
    const { text, closed } = await exchange(server.url);
    expect(text.endsWith('\r\n\r\n12345')).toBe(true);
    expect(closed).toBe(true);
    expect(server.errors.text).toContain('BODY-15');
  });

  it('BODY-16: a body shorter than its Content-Length aborts the connection', async () => {
    const server = await start((environ, startResponse) => {
      startResponse('200 OK', [['content-length', '10']]);
      return [Buffer.from('12345')];
    });
    const { text, closed } = await exchange(server.url);
    expect(text.endsWith('12345')).toBe(true);
    expect(closed).toBe(true);
    expect(server.errors.text).toContain('BODY-16');
  });

  it('HOST-23: past requestDeadline the host answers 503 and aborts tsgi.signal; after the commit it aborts the response', async () => {
    let aborted = 0;
    const server = await start(
      (environ, startResponse) => {
        environ['tsgi.signal'].addEventListener('abort', () => aborted++);
        if (environ.PATH_INFO === '/committed') {
          startResponse('200 OK', []);
          return (async function* () {
            yield Buffer.from('started');
            await new Promise(() => {});
          })();
        }
        return new Promise(() => {});
      },
      { limits: { requestDeadline: 200 } },
    );
    const connection = await RawConnection.open(server.url);
    connection.write('GET /pending HTTP/1.1\r\nHost: h\r\n\r\n');
    const response = await connection.response();
    connection.close();
    expect(response.status).toBe('503 Service Unavailable');
    const { text, closed } = await exchange(server.url, 'GET /committed HTTP/1.1\r\nHost: h\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(text).toContain('started');
    expect(closed).toBe(true);
    expect(aborted).toBe(2);
  });

  it('HOST-28: a rejected tsgi.wait_until promise is reported to tsgi.errors, not left unhandled', async () => {
    const server = await start((environ, startResponse) => {
      environ['tsgi.wait_until'](Promise.reject(new Error('background job failed')));
      return sendText(startResponse, '200 OK', 'ok');
    });
    await fetch(server.url).then((r) => r.text());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.errors.text).toContain('[HOST-28]');
    expect(server.errors.text).toContain('background job failed');
  });
});
