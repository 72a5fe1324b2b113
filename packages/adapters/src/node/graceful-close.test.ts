import { MemoryErrorStream, sendText, type App, type Body } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { serve, type ServeOptions } from './serve.js';
import { RawConnection } from './testing/raw-client.js';

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function start(app: App, options: ServeOptions = {}) {
  return serve(app, { port: 0, errors: new MemoryErrorStream(), ...options });
}

describe('close(): the graceful shutdown of serve', () => {
  it('NODE-6, HOST-30: stops accepting, lets the request in flight finish, then resolves', async () => {
    const arrived = deferred();
    const mayAnswer = deferred();
    const handle = await start(async (environ, startResponse) => {
      arrived.resolve();
      await mayAnswer.promise;
      return sendText(startResponse, '200 OK', 'finished');
    });
    const connection = await RawConnection.open(handle.url);
    connection.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    await arrived.promise;
    expect(handle.inFlight).toBe(1);
    let closed = false;
    const closing = handle.close({ timeout: 10_000 }).then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(handle.url)).rejects.toThrow();
    expect(closed).toBe(false);
    mayAnswer.resolve();
    const response = await connection.response();
    expect(response.body.toString()).toBe('finished');
    // A response during shutdown tells the client not to reuse the connection.
    expect(response.header('connection')).toBe('close');
    await closing;
    expect(handle.inFlight).toBe(0);
    connection.close();
    expect(handle.close()).toBe(handle.close());
  });

  it('HOST-31: at the end of the grace period, 503 for what has not answered and an abort for what has; signals aborted, bodies released', async () => {
    const aborted: string[] = [];
    let released = 0;
    const handle = await start((environ, startResponse) => {
      environ['tsgi.signal'].addEventListener('abort', () => aborted.push(environ.PATH_INFO));
      if (environ.PATH_INFO === '/pending') return new Promise<Body>(() => {});
      startResponse('200 OK', []);
      let sent = false;
      // A hand-written iterator: an async generator stuck in an await could not take return().
      const body: Body = {
        [Symbol.asyncIterator]: () => ({
          next: () => (sent ? new Promise<IteratorResult<Uint8Array>>(() => {}) : ((sent = true), Promise.resolve({ done: false, value: Buffer.from('started') }))),
          return: async () => ({ done: true, value: undefined }),
        }),
        close: () => void released++,
      };
      return body;
    });
    const pending = await RawConnection.open(handle.url);
    pending.write('GET /pending HTTP/1.1\r\nHost: h\r\n\r\n');
    const streaming = await RawConnection.open(handle.url);
    streaming.write('GET /streaming HTTP/1.1\r\nHost: h\r\n\r\n');
    await streaming.until(() => streaming.received.includes('started'));
    await handle.close({ timeout: 200 });
    const answer = await pending.response();
    expect(answer.status).toBe('503 Service Unavailable');
    await streaming.untilClosed();
    expect(streaming.received.toString('latin1').endsWith('0\r\n\r\n')).toBe(false);
    expect(aborted.sort()).toEqual(['/pending', '/streaming']);
    expect(released).toBe(1);
    pending.close();
    streaming.close();
  });

  it('HOST-27, HOST-32: waits for tsgi.wait_until work within the grace period, and not beyond it', async () => {
    let finished = false;
    const handle = await start((environ, startResponse) => {
      environ['tsgi.wait_until'](new Promise((resolve) => setTimeout(resolve, 150)).then(() => (finished = true)));
      if (environ.PATH_INFO === '/forever') environ['tsgi.wait_until'](new Promise(() => {}));
      return sendText(startResponse, '200 OK', 'ok');
    });
    await (await fetch(handle.url)).text();
    await handle.close({ timeout: 5000 });
    expect(finished).toBe(true);

    const stuck = await start((environ, startResponse) => {
      environ['tsgi.wait_until'](new Promise(() => {}));
      return sendText(startResponse, '200 OK', 'ok');
    });
    await (await fetch(stuck.url)).text();
    const before = Date.now();
    await stuck.close({ timeout: 300 });
    expect(Date.now() - before).toBeLessThan(5000);
  });

  it('closes idle keep-alive connections at once', async () => {
    const handle = await start((environ, startResponse) => sendText(startResponse, '200 OK', 'ok'));
    const connection = await RawConnection.open(handle.url);
    connection.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    await connection.response();
    await handle.close({ timeout: 10_000 });
    await connection.untilClosed(2000);
    connection.close();
  });
});
