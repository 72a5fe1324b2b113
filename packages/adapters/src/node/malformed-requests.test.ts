import { MemoryErrorStream, readBody, sendText, type App } from '@tsgi/interface';
import { afterEach, describe, expect, it } from 'vitest';
import { serve, type NodeServerHandle, type ServeOptions } from './serve.js';
import { RawConnection } from './testing/raw-client.js';

const handles: NodeServerHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close({ timeout: 1000 })));
});

/** A server whose app counts its calls and echoes the body length; reads the body only when asked to. */
async function start(options: ServeOptions = {}): Promise<{ url: string; calls: () => number; errors: MemoryErrorStream }> {
  let calls = 0;
  const errors = new MemoryErrorStream();
  const app: App = async (environ, startResponse) => {
    calls++;
    const body = await readBody(environ, Number.MAX_SAFE_INTEGER);
    return sendText(startResponse, '200 OK', `read ${body.length}`);
  };
  const handle = await serve(app, { port: 0, errors, ...options });
  handles.push(handle);
  return { url: handle.url, calls: () => calls, errors };
}

/** Sends raw bytes; returns the status line of the answer and whether the server then closed the connection. */
async function send(url: string, request: string): Promise<{ status: string; closed: boolean; body: string }> {
  const connection = await RawConnection.open(url);
  connection.write(request);
  const response = await connection.response();
  await connection.until(() => connection.closed, 2000).catch(() => {});
  const closed = connection.closed;
  connection.close();
  return { status: response.status, closed, body: response.body.toString('latin1') };
}

describe('the Node host and malformed requests', () => {
  const cases: Array<[string, string, string]> = [
    ['a request line that is not one', 'GARBAGE\r\n\r\n', '400'],
    ['a request line with an extra space', 'GET /a b HTTP/1.1\r\nHost: h\r\n\r\n', '400'],
    ['a header name with a space', 'GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n', '400'],
    ['a header value with a control character', 'GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x01b\r\n\r\n', '400'],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n', '400'],
    ['conflicting Content-Length fields', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab', '400'],
    ['Content-Length together with Transfer-Encoding', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', '400'],
    ['a Content-Length that is not digits', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\nab', '400'],
    ['raw non-ASCII bytes in the request target', 'GET /caf\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n', '400'],
    ['two Host fields', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', '400'],
    ['a Host that is not host[:port]', 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n', '400'],
    ['a Host with a port that is not digits', 'GET / HTTP/1.1\r\nHost: a:http\r\n\r\n', '400'],
    ['HTTP/1.1 without Host', 'GET / HTTP/1.1\r\n\r\n', '400'],
  ];
  for (const [what, request, status] of cases) {
    it(`HOST-6, HOST-15: ${what} is answered ${status} without calling the app, and the connection closes`, async () => {
      const server = await start();
      const answer = await send(server.url, request);
      expect(answer.status.slice(0, 3)).toBe(status);
      expect(answer.closed).toBe(true);
      expect(server.calls()).toBe(0);
    });
  }

  it('HOST-7: a header section over maxHeaderSize is answered 431 without calling the app', async () => {
    const server = await start({ limits: { maxHeaderSize: 1024 } });
    const answer = await send(server.url, `GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${'x'.repeat(2000)}\r\n\r\n`);
    expect(answer.status).toMatch(/^431 /);
    expect(answer.closed).toBe(true);
    expect(server.calls()).toBe(0);
  });

  it('HOST-7: the default header limit is 16 KiB', async () => {
    const server = await start();
    const fits = await send(server.url, `GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${'x'.repeat(15_000)}\r\nConnection: close\r\n\r\n`);
    expect(fits.status).toBe('200 OK');
    const over = await send(server.url, `GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${'x'.repeat(17_000)}\r\n\r\n`);
    expect(over.status).toMatch(/^431 /);
  });

  it('HOST-7: more header fields than maxHeaderCount are answered 431, not silently dropped', async () => {
    const server = await start({ limits: { maxHeaderCount: 10 } });
    const fields = Array.from({ length: 11 }, (_, i) => `X-${i}: ${i}\r\n`).join('');
    const answer = await send(server.url, `GET / HTTP/1.1\r\nHost: h\r\n${fields}\r\n`);
    expect(answer.status).toMatch(/^431 /);
    expect(answer.closed).toBe(true);
    expect(server.calls()).toBe(0);
    const ten = Array.from({ length: 8 }, (_, i) => `X-${i}: ${i}\r\n`).join('');
    expect((await send(server.url, `GET / HTTP/1.1\r\nHost: h\r\n${ten}Connection: close\r\n\r\n`)).status).toBe('200 OK');
  });

  it('HOST-8: a request line over maxRequestLine is answered 414 without calling the app', async () => {
    const server = await start({ limits: { maxRequestLine: 100 } });
    const answer = await send(server.url, `GET /${'a'.repeat(200)} HTTP/1.1\r\nHost: h\r\n\r\n`);
    expect(answer.status).toBe('414 URI Too Long');
    expect(answer.closed).toBe(true);
    expect(server.calls()).toBe(0);
  });

  it('HOST-9: a declared Content-Length over maxBodySize is answered 413 without calling the app', async () => {
    const server = await start({ limits: { maxBodySize: 10 } });
    const answer = await send(server.url, 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n01234567890');
    expect(answer.status).toBe('413 Content Too Large');
    expect(answer.closed).toBe(true);
    expect(server.calls()).toBe(0);
  });

  it('HOST-10, INP-11: a chunked body that grows past maxBodySize is answered 413, and the connection closes', async () => {
    const server = await start({ limits: { maxBodySize: 10 } });
    const answer = await send(server.url, 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n678901\r\n0\r\n\r\n');
    expect(answer.status).toBe('413 Content Too Large');
    expect(answer.closed).toBe(true);
    expect(server.calls()).toBe(1);
    const fits = await send(server.url, 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n6\r\n012345\r\n4\r\n6789\r\n0\r\n\r\n');
    expect(fits.body).toBe('read 10');
  });

  it('HOST-6: broken chunked framing fails the read, and the client gets 400', async () => {
    const server = await start();
    const answer = await send(server.url, 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nxx\r\n0\r\n\r\n');
    expect(answer.status.slice(0, 3)).toMatch(/^(400|500)$/);
    expect(answer.closed).toBe(true);
  });
});
