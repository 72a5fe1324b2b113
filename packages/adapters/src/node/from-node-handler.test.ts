import { connect } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { MemoryErrorStream, callApp, mount, utf8, type MemoryResponse } from '@tsgi/interface';
import { afterEach, describe, expect, it } from 'vitest';
import { fromNodeHandler } from './from-node-handler.js';
import { serve, type NodeServerHandle } from './serve.js';
import { RawConnection } from './testing/raw-client.js';

const handles: NodeServerHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close({ timeout: 1000 })));
});

async function start(handler: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<NodeServerHandle> {
  const handle = await serve(fromNodeHandler(handler), { port: 0, errors: new MemoryErrorStream() });
  handles.push(handle);
  return handle;
}

/** A real Express 5 app with what such apps use: routing, JSON bodies, cookies, statuses, streaming. */
function expressApp() {
  const app = express();
  app.use(express.json());
  app.get('/users/:id', (req, res) => {
    res.json({ id: req.params.id, url: req.url, originalUrl: req.originalUrl, ip: req.ip, protocol: req.protocol, host: req.hostname });
  });
  app.post('/echo', (req, res) => {
    res.status(201).json({ received: req.body });
  });
  app.get('/cookies', (req, res) => {
    res.cookie('a', '1');
    res.cookie('b', '2', { httpOnly: true });
    res.status(202).send('two cookies');
  });
  app.get('/stream', (req, res) => {
    res.setHeader('content-type', 'text/plain');
    let n = 0;
    const tick = () => {
      res.write(`part ${n}\n`);
      if (++n < 3) setTimeout(tick, 10);
      else res.end('done\n');
    };
    tick();
  });
  app.get('/fail', () => {
    throw new Error('route failed');
  });
  return app;
}

function json(response: MemoryResponse | string): unknown {
  return JSON.parse(typeof response === 'string' ? response : response.text());
}

describe('fromNodeHandler with a real Express 5 app', () => {
  it('NODE-7: routing, express.json(), two res.cookie calls, res.status().send(), streaming res.write — on a real server', async () => {
    const handle = await start(expressApp());
    const user = await fetch(`${handle.url}/users/7?x=1`);
    expect(user.status).toBe(200);
    expect(user.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await user.json()).toEqual({ id: '7', url: '/users/7?x=1', originalUrl: '/users/7?x=1', ip: '127.0.0.1', protocol: 'http', host: '127.0.0.1' });

    const echo = await fetch(`${handle.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: [1, 'é'] }) });
    expect(echo.status).toBe(201);
    expect(await echo.json()).toEqual({ received: { a: [1, 'é'] } });

    const cookies = await fetch(`${handle.url}/cookies`);
    expect(cookies.status).toBe(202);
    expect(cookies.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    expect(await cookies.text()).toBe('two cookies');

    const connection = await RawConnection.open(handle.url);
    connection.write('GET /stream HTTP/1.1\r\nHost: h\r\n\r\n');
    await connection.until(() => connection.received.includes('part 0'));
    expect(connection.received.includes('done')).toBe(false);
    const streamed = await connection.response();
    connection.close();
    expect(streamed.header('transfer-encoding')).toBe('chunked');
    expect(streamed.body.toString()).toBe('part 0\npart 1\npart 2\ndone\n');

    const missing = await fetch(`${handle.url}/nowhere`);
    expect(missing.status).toBe(404);
    const failing = await fetch(`${handle.url}/fail`);
    expect(failing.status).toBe(500);
  });

  it('NODE-7: the same Express app in memory through callApp', async () => {
    const app = fromNodeHandler(expressApp());
    const user = await callApp(app, { target: '/users/9', headers: [['host', 'example.com']], remoteAddress: '192.0.2.1', scheme: 'https' });
    expect(user.status).toBe('200 OK');
    expect(json(user)).toMatchObject({ id: '9', ip: '192.0.2.1', protocol: 'https', host: 'example.com' });
    expect(user.header('content-length')).toBe(String(user.body.length));
    expect(user.header('date')).toBeUndefined();

    const body = utf8(JSON.stringify({ n: 42 }));
    const echo = await callApp(app, {
      method: 'POST',
      target: '/echo',
      headers: [['host', 'h'], ['content-type', 'application/json'], ['content-length', String(body.length)]],
      body,
    });
    expect(echo.status).toBe('201 Created');
    expect(json(echo)).toEqual({ received: { n: 42 } });

    const cookies = await callApp(app, { target: '/cookies' });
    expect(cookies.headers.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, v]) => v)).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    expect(cookies.status).toBe('202 Accepted');

    const streamed = await callApp(app, { target: '/stream' });
    expect(streamed.text()).toBe('part 0\npart 1\npart 2\ndone\n');
    expect(streamed.chunks.length).toBeGreaterThan(1);
    for (const [name] of streamed.headers) expect(name.toLowerCase()).not.toMatch(/^(connection|transfer-encoding|keep-alive)$/);
  });

  it('mounted under a prefix, req.url is the rest of the raw target and req.originalUrl the whole of it', async () => {
    const app = mount({ '/api': fromNodeHandler(expressApp()) });
    const response = await callApp(app, { target: '/api/users/a%2Fb?q=1' });
    expect(json(response)).toMatchObject({ id: 'a/b', url: '/users/a%2Fb?q=1', originalUrl: '/api/users/a%2Fb?q=1' });
  });
});

describe('fromNodeHandler: the Node objects behave as Node makes them', () => {
  it('NODE-7: writeHead with a reason, setHeader/getHeader, end once, finish then close', async () => {
    const events: string[] = [];
    const app = fromNodeHandler((req, res) => {
      res.setHeader('X-Set', 'one');
      events.push(`get ${String(res.getHeader('x-set'))}`);
      res.on('finish', () => events.push('finish'));
      res.on('close', () => events.push(`close finished=${res.writableFinished}`));
      req.on('end', () => events.push('req end'));
      res.writeHead(418, 'Short And Stout', { 'Content-Type': 'text/plain' });
      events.push(`headersSent ${res.headersSent}`);
      res.end('tea');
      res.end();
      req.resume();
    });
    const response = await callApp(app);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(response.status).toBe('418 Short And Stout');
    expect(response.header('x-set')).toBe('one');
    expect(response.header('content-type')).toBe('text/plain');
    expect(response.header('content-length')).toBe('3');
    expect(response.text()).toBe('tea');
    expect(events.filter((e) => e !== 'req end')).toEqual(['get one', 'headersSent true', 'finish', 'close finished=true']);
    expect(events).toContain('req end');
  });

  it('the standard reason phrase when the handler names none; 204 and HEAD carry no body', async () => {
    const app = fromNodeHandler((req, res) => {
      if (req.url === '/none') {
        res.statusCode = 204;
        res.end();
        return;
      }
      res.statusCode = 404;
      res.setHeader('content-length', '5');
      res.end('gone!');
    });
    expect((await callApp(app, { target: '/x' })).status).toBe('404 Not Found');
    const head = await callApp(app, { method: 'HEAD', target: '/x' });
    expect(head.body.length).toBe(0);
    expect(head.header('content-length')).toBe('5');
    const none = await callApp(app, { target: '/none' });
    expect(none.status).toBe('204 No Content');
  });

  it('a Transfer-Encoding the handler sets itself is unframed, not passed on', async () => {
    const app = fromNodeHandler((req, res) => {
      res.writeHead(200, { 'Transfer-Encoding': 'chunked', 'Content-Type': 'text/plain' });
      res.write('proxied ');
      res.end('body');
    });
    const response = await callApp(app);
    expect(response.text()).toBe('proxied body');
    expect(response.header('transfer-encoding')).toBeUndefined();
  });

  it('the request body streams into req as the handler reads it; req.headers follow Node rules for repeats', async () => {
    const app = fromNodeHandler((req, res) => {
      let total = 0;
      req.on('data', (chunk: Buffer) => (total += chunk.length));
      req.on('end', () => res.end(`${total} ${req.headers.accept} ${JSON.stringify(req.headers['set-cookie'] ?? null)} ${req.headers['user-agent']} ${req.complete}`));
    });
    const response = await callApp(app, {
      method: 'PUT',
      headers: [['host', 'h'], ['accept', 'a'], ['accept', 'b'], ['user-agent', 'first'], ['user-agent', 'second'], ['content-length', '6']],
      body: [utf8('abc'), utf8('def')],
    });
    expect(response.text()).toBe('6 a, b null first true');
  });

  it('HOST-11: a handler that throws before writing gets the generic 500; one that rejects too', async () => {
    const throwing = await callApp(
      fromNodeHandler(() => {
        throw new Error('sync failure');
      }),
    );
    expect(throwing.status).toBe('500 Internal Server Error');
    expect(throwing.errors).toContain('sync failure');
    const rejecting = await callApp(fromNodeHandler(async () => Promise.reject(new Error('async failure'))));
    expect(rejecting.status).toBe('500 Internal Server Error');
  });

  it("BODY-7: res.write() returns false and 'drain' comes as the client reads", async () => {
    let drains = 0;
    let writes = 0;
    const total = 32 * 1024 * 1024;
    const handle = await start((req, res) => {
      res.writeHead(200, { 'content-length': String(total) });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (writes * chunk.length < total) {
          writes++;
          if (!res.write(chunk)) return void res.once('drain', () => (drains++, pump()));
        }
        res.end();
      };
      pump();
    });
    const { hostname, port } = new URL(handle.url);
    const socket = connect(Number(port), hostname);
    socket.pause();
    socket.write('GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(writes * 64 * 1024).toBeLessThan(total / 2);
    let received = 0;
    socket.on('data', (data: Buffer) => (received += data.length));
    await new Promise((resolve) => socket.on('end', resolve).resume());
    expect(received).toBeGreaterThan(total);
    expect(drains).toBeGreaterThan(0);
  });

  it("HOST-22: when the client leaves, the handler sees req 'aborted' and res 'close' before the end", async () => {
    const seen: string[] = [];
    const closed = new Promise<void>((resolve) => {
      void start((req, res) => {
        req.on('aborted', () => seen.push('aborted'));
        res.on('close', () => {
          seen.push(`close finished=${res.writableFinished}`);
          resolve();
        });
        res.writeHead(200);
        const timer = setInterval(() => res.write('tick'), 5);
        res.on('close', () => clearInterval(timer));
        // A request body that never completes, so that the request is still in progress.
      }).then(async (handle) => {
        const connection = await RawConnection.open(handle.url);
        connection.write('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nabc');
        await connection.until(() => connection.received.includes('tick'));
        connection.close();
      });
    });
    await closed;
    expect(seen).toEqual(['aborted', 'close finished=false']);
  });
});
