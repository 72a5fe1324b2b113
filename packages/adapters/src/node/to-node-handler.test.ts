import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { MemoryErrorStream, readBody, sendText, type App } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { RawConnection } from './testing/raw-client.js';
import { toNodeHandler } from './to-node-handler.js';

async function listen(server: http.Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const quiet = { errors: new MemoryErrorStream() };

describe('toNodeHandler', () => {
  it('NODE-1: serves an app from a plain node:http server', async () => {
    const server = await listen(http.createServer(toNodeHandler((environ, startResponse) => sendText(startResponse, '200 OK', environ.PATH_INFO), quiet)));
    expect(await (await fetch(`${server.url}/plain`)).text()).toBe('/plain');
    await server.close();
  });

  it('NODE-1: mounts in an existing Express stack; headers its middleware set stay unless the app sends the same name', async () => {
    const app: App = (environ, startResponse) => {
      startResponse('200 OK', [
        ['x-frame', 'from-tsgi'],
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
        ['content-type', 'text/plain'],
      ]);
      return [Buffer.from(`${environ.SCRIPT_NAME}|${environ.PATH_INFO}|${environ.REQUEST_URI}`)];
    };
    const outer = express();
    outer.use((req, res, next) => {
      res.setHeader('x-frame', 'from-express');
      res.setHeader('x-request-id', '42');
      next();
    });
    outer.use('/legacy', toNodeHandler(app, quiet));
    const server = await listen(http.createServer(outer));
    const response = await fetch(`${server.url}/legacy/a%2Fb?q=1`);
    expect(await response.text()).toBe('|/a/b|/a%2Fb?q=1');
    expect(response.headers.get('x-frame')).toBe('from-tsgi');
    expect(response.headers.get('x-request-id')).toBe('42');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    await server.close();
  });

  it('INP-15: registered for checkContinue too, it sends 100 Continue only when the app reads', async () => {
    const app: App = async (environ, startResponse) => sendText(startResponse, '200 OK', `${(await readBody(environ)).length}`);
    const handler = toNodeHandler(app, quiet);
    const plain = http.createServer(handler);
    plain.on('checkContinue', handler);
    const server = await listen(plain);
    const connection = await RawConnection.open(server.url);
    connection.write('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n');
    await connection.until(() => connection.received.includes('100 Continue'));
    connection.write('abc');
    expect((await connection.response()).body.toString()).toBe('3');
    connection.close();
    await server.close();
  });

  it('without a checkContinue listener, Node itself answers 100 at once and the app still gets the body', async () => {
    const app: App = async (environ, startResponse) => sendText(startResponse, '200 OK', `${(await readBody(environ)).length}`);
    const server = await listen(http.createServer(toNodeHandler(app, quiet)));
    const connection = await RawConnection.open(server.url);
    connection.write('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n');
    await connection.until(() => connection.received.includes('100 Continue'));
    connection.write('abc');
    const text = (await connection.response()).body.toString();
    expect(text).toBe('3');
    expect(connection.received.length).toBe(0);
    connection.close();
    await server.close();
  });

  it('APP-1: refuses something that is not an app', () => {
    expect(() => toNodeHandler('nope' as unknown as App)).toThrow(/\[APP-1\]/);
  });
});
