import { connect } from 'node:net';
import { readBody, sendText, type Body } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { serversClosedAfterEach } from './testing/servers.js';
import { RawConnection } from './testing/raw-client.js';

const start = serversClosedAfterEach();

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const KIB64 = 64 * 1024;

describe('the Node host streams both ways', () => {
  it('BODY-6: a body sent whole, small or not, arrives byte for byte (every byte value, with and without Content-Length)', async () => {
    const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
    const large = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
    for (const body of [everyByte, large]) {
      for (const sized of [true, false]) {
        const handle = await start((environ, startResponse) => {
          startResponse('200 OK', sized ? [['content-length', String(body.length)]] : []);
          return [body];
        });
        const response = await fetch(handle.url);
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(body);
      }
    }
  });

  it('BODY-6: each chunk goes out as soon as the body yields it', async () => {
    const clientSawFirst = deferred();
    const handle = await start((environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']]);
      return (async function* () {
        yield Buffer.from('first|');
        // Blocks until the client has the first chunk: a host that buffered would hang here.
        await clientSawFirst.promise;
        yield Buffer.from('second');
      })();
    });
    const connection = await RawConnection.open(handle.url);
    connection.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    await connection.until(() => connection.received.includes('first|'));
    clientSawFirst.resolve();
    const response = await connection.response();
    connection.close();
    expect(response.header('transfer-encoding')).toBe('chunked');
    expect(response.body.toString()).toBe('first|second');
  });

  it('BODY-7, NODE-5: the body is not asked for more while the client does not read; all of it arrives once it does', async () => {
    let produced = 0;
    const total = 64 * 1024 * 1024;
    const handle = await start((environ, startResponse) => {
      startResponse('200 OK', [['content-length', String(total)]]);
      return (async function* () {
        while (produced < total) {
          produced += KIB64;
          yield new Uint8Array(KIB64);
        }
      })();
    });
    const { hostname, port } = new URL(handle.url);
    const socket = connect(Number(port), hostname);
    socket.pause();
    socket.write('GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The kernel's socket buffers take some megabytes; nothing close to the 64 MiB body.
    expect(produced).toBeLessThan(24 * 1024 * 1024);
    let received = 0;
    socket.on('data', (data: Buffer) => (received += data.length));
    await new Promise((resolve) => socket.on('end', resolve).resume());
    expect(produced).toBe(total);
    expect(received).toBeGreaterThan(total);
  });

  it('INP-14: the request body is read from the client only as the app reads it', async () => {
    const appMayRead = deferred();
    let length = -1;
    const handle = await start(async (environ, startResponse) => {
      await appMayRead.promise;
      length = (await readBody(environ, Number.MAX_SAFE_INTEGER)).length;
      return sendText(startResponse, '200 OK', String(length));
    });
    const total = 48 * 1024 * 1024;
    const { hostname, port } = new URL(handle.url);
    const socket = connect(Number(port), hostname);
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      socket.on('end', () => resolve(text));
    });
    socket.write(`POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ${total}\r\nConnection: close\r\n\r\n`);
    for (let sent = 0; sent < total; sent += KIB64) socket.write(Buffer.alloc(KIB64, 1));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // What the server did not read is still queued in the client: most of the body.
    expect(socket.writableLength).toBeGreaterThan(total - 24 * 1024 * 1024);
    appMayRead.resolve();
    expect(await answer).toMatch(new RegExp(`\\r\\n\\r\\n${total}$`));
  });

  it('INP-9: a chunked request body reaches the app whole, then its end', async () => {
    const handle = await start(async (environ, startResponse) => {
      const chunks: number[] = [];
      for await (const chunk of environ['tsgi.input']) chunks.push(chunk.length);
      return sendText(startResponse, '200 OK', `${chunks.reduce((a, b) => a + b, 0)}`);
    });
    const connection = await RawConnection.open(handle.url);
    connection.write('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    connection.write('6\r\n world\r\n0\r\n\r\n');
    const response = await connection.response();
    connection.close();
    expect(response.body.toString()).toBe('11');
  });

  it('HOST-22, HOST-24, BODY-9: a client that leaves mid-stream aborts tsgi.signal, stops iteration and releases the body once, promptly', async () => {
    const released = deferred<number>();
    let closes = 0;
    let returns = 0;
    let yielded = 0;
    let aborted = false;
    let disconnectedAt = 0;
    const handle = await start((environ, startResponse) => {
      environ['tsgi.signal'].addEventListener('abort', () => (aborted = true));
      startResponse('200 OK', []);
      const iterator: AsyncIterator<Uint8Array> = {
        next: async () => {
          yielded++;
          await new Promise((resolve) => setTimeout(resolve, 5));
          return { done: false, value: new Uint8Array(1024) };
        },
        return: async () => {
          returns++;
          return { done: true, value: undefined };
        },
      };
      const body: Body = {
        [Symbol.asyncIterator]: () => iterator,
        close: () => {
          closes++;
          released.resolve(performance.now() - disconnectedAt);
        },
      };
      return body;
    });
    const connection = await RawConnection.open(handle.url);
    connection.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    await connection.until(() => connection.received.length > 4096);
    disconnectedAt = performance.now();
    connection.close();
    const after = await released.promise;
    const yieldedAtRelease = yielded;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(aborted).toBe(true);
    expect(returns).toBe(1);
    expect(closes).toBe(1);
    expect(yielded).toBe(yieldedAtRelease);
    // The clause asks for promptness; the bound is generous so that a loaded machine passes.
    expect(after).toBeLessThan(2000);
  });

  it('INP-15: Expect: 100-continue is answered 100 only when the app first reads the body', async () => {
    const handle = await start(async (environ, startResponse) => {
      if (environ.PATH_INFO === '/read') {
        const body = await readBody(environ);
        return sendText(startResponse, '200 OK', `got ${body.length}`);
      }
      return sendText(startResponse, '403 Forbidden', 'no');
    });
    const reading = await RawConnection.open(handle.url);
    reading.write('POST /read HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
    await reading.until(() => reading.received.includes('100 Continue'));
    expect(reading.received.toString('latin1')).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    reading.write('hello');
    const response = await reading.response();
    reading.close();
    expect(response.body.toString()).toBe('got 5');

    const refusing = await RawConnection.open(handle.url);
    refusing.write('POST /refuse HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
    const refused = await refusing.response();
    expect(refused.status).toBe('403 Forbidden');
    expect(refusing.received.toString('latin1')).not.toContain('100 Continue');
    // A final answer without 100: the client may still send the body, so the connection ends.
    await refusing.untilClosed();
    refusing.close();
  });
});
