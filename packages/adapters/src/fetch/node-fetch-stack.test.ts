import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { sendJson, utf8, type App } from '@tsgi/interface';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFetchHandler } from './to-fetch-handler.js';

/** Node's own fetch stack: @hono/node-server turns node:http requests into fetch Requests. */
let server: ServerType;
let port = 0;
const released: string[] = [];

const app: App = async (environ, startResponse) => {
  if (environ.PATH_INFO === '/endless') {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return (async function* () {
      try {
        for (let i = 0; ; i++) {
          yield utf8(`line ${i}\n`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      } finally {
        released.push(environ['tsgi.signal'].aborted ? 'aborted' : 'not aborted');
      }
    })();
  }
  const { REQUEST_URI, PATH_INFO, QUERY_STRING } = environ;
  return sendJson(startResponse, '200 OK', { REQUEST_URI, PATH_INFO, QUERY_STRING });
};

/** One GET with node:http, which sends the target byte for byte. */
function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => void (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: toFetchHandler(app, { errors: { write() {}, flush() {} } }), hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      port = info.port;
      resolve();
    });
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('toFetchHandler on Node\'s fetch stack (@hono/node-server)', () => {
  it('FETCH-2: what Node\'s URL parsing leaves of the target', async () => {
    // [sent, REQUEST_URI, PATH_INFO, QUERY_STRING]; null: the server answers 400 itself.
    // Node 24's URL parser percent-encodes `^` in a path (the WHATWG URL standard's newer path
    // percent-encode set); Node 20 and 22 leave it. PATH_INFO decodes to the same bytes.
    const caret = new URL('http://h/^').pathname === '/^' ? '^' : '%5E';
    const rows: Array<[string, string, string, string] | [string, null]> = [
      ['/a%2Fb/./c/../d//e%7e?q=%2F&r=a+b', '/a%2Fb/d//e%7e?q=%2F&r=a+b', '/a/b/d//e~', 'q=%2F&r=a+b'],
      ['/y/%2e%2E/z', '/z', '/z', ''],
      ['/q"<>`{}|^', `/q%22%3C%3E%60%7B%7D|${caret}`, '/q"<>`{}|^', ''],
      ["/p?a'b\"c", '/p?a%27b%22c', '/p', 'a%27b%22c'],
      ['/p?', '/p', '/p', ''],
      ['http://other.test/abs?x', '/abs?x', '/abs', 'x'],
      ['/x\\y', null],
      ['/caf\u00e9', null],
    ];
    for (const [sent, uri, pathInfo, query] of rows) {
      const response = await get(sent);
      if (uri === null) {
        expect([sent, response.status]).toEqual([sent, 400]);
        continue;
      }
      const environ = JSON.parse(response.body);
      expect([sent, environ.REQUEST_URI, environ.PATH_INFO, environ.QUERY_STRING]).toEqual([sent, uri, pathInfo, query]);
    }
  });

  it('FETCH-7, HOST-22: a client that hangs up mid-stream gets the body released and tsgi.signal aborted', async () => {
    const before = released.length;
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/endless' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
      req.end();
    });
    const deadline = Date.now() + 5000;
    while (released.length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(released.slice(before)).toEqual(['aborted']);
  });
});
