import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { createServer as createNetServer, connect as netConnect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byteStringFromUtf8, sendText, type App, type Environ } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { nodeHost, nodeHttp2Host } from './node-host.js';
import { serve } from './serve.js';
import { serversClosedAfterEach } from './testing/servers.js';
import { RawConnection, rawRequest } from './testing/raw-client.js';

const start = serversClosedAfterEach();

/** An app that keeps each environ it is given and answers 200 "ok". */
function recorder(): { app: App; seen: Environ[] } {
  const seen: Environ[] = [];
  return {
    seen,
    app: (environ, startResponse) => {
      seen.push(environ);
      return sendText(startResponse, '200 OK', 'ok');
    },
  };
}

let tls: { key: Buffer; cert: Buffer } | undefined;
function certificate(): { key: Buffer; cert: Buffer } {
  if (tls) return tls;
  const dir = mkdtempSync(join(tmpdir(), 'tsgi-node-tls-'));
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  if (made.status !== 0) throw new Error('openssl must be installed to make a test certificate');
  tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  return tls;
}

describe('serve', () => {
  it('NODE-6: resolves once listening, to the bound URL; port 0 picks a free port', async () => {
    const handle = await start((environ, startResponse) => sendText(startResponse, '200 OK', 'hello'));
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(handle.url).port)).toBeGreaterThan(0);
    const response = await fetch(handle.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello');
    expect(handle.host).toBe(nodeHost);
  });

  it('NODE-2, ENV-13, ENV-8: REQUEST_URI is req.url unchanged; PATH_INFO is percent-decoded to bytes', async () => {
    const { app, seen } = recorder();
    const handle = await start(app);
    await rawRequest(handle.url, 'GET /a%2Fb/caf%C3%A9/%ZZ/./x?q=%20&r HTTP/1.1\r\nHost: example.com:8080\r\n\r\n');
    const environ = seen[0]!;
    expect(environ.REQUEST_URI).toBe('/a%2Fb/caf%C3%A9/%ZZ/./x?q=%20&r');
    expect(environ.PATH_INFO).toBe('/a/b/caf\xC3\xA9/%ZZ/./x');
    expect(environ.QUERY_STRING).toBe('q=%20&r');
    expect(environ.SCRIPT_NAME).toBe('');
    expect(environ.SERVER_NAME).toBe('example.com');
    expect(environ.SERVER_PORT).toBe('8080');
    expect(environ.SERVER_PROTOCOL).toBe('HTTP/1.1');
    expect(environ.REMOTE_ADDR).toBe('127.0.0.1');
    expect(environ.REMOTE_PORT).toMatch(/^\d+$/);
  });

  it('ENV-2, NODE-2: header values are ByteStrings, byte for byte (Node decodes them as latin1)', async () => {
    const { app, seen } = recorder();
    const handle = await start(app);
    const value = Buffer.from([0xc3, 0xa9, 0x80, 0xff, 0x09, 0x41]);
    await rawRequest(handle.url, Buffer.concat([Buffer.from('GET / HTTP/1.1\r\nHost: h\r\nX-Bytes: '), value, Buffer.from('\r\n\r\n')]));
    expect(seen[0]!.HTTP_X_BYTES).toBe(value.toString('latin1'));
    expect(seen[0]!.HTTP_X_BYTES).toBe(byteStringFromUtf8('é') + '\x80\xff\tA');
    expect(seen[0]!['tsgi.headers']).toContainEqual(['x-bytes', value.toString('latin1')]);
  });

  it('ENV-20, ENV-21, ENV-22, ENV-28: HTTP_* keys, the underscore rule, repeated fields, tsgi.headers as received', async () => {
    const { app, seen } = recorder();
    const handle = await start(app);
    await rawRequest(
      handle.url,
      'GET / HTTP/1.1\r\nHost: h\r\nX-Auth-User: real\r\nX_Auth_User: forged\r\nAccept: a\r\nAccept: b\r\nCookie: c=1\r\nCookie: d=2\r\nContent-Type: text/plain\r\n\r\n',
    );
    const environ = seen[0]!;
    expect(environ.HTTP_X_AUTH_USER).toBe('real');
    expect(environ.HTTP_ACCEPT).toBe('a, b');
    expect(environ.HTTP_COOKIE).toBe('c=1; d=2');
    expect(environ.CONTENT_TYPE).toBe('text/plain');
    expect(environ['HTTP_CONTENT_TYPE' as keyof Environ]).toBeUndefined();
    expect(environ['tsgi.headers']).toEqual([
      ['host', 'h'],
      ['x-auth-user', 'real'],
      ['x_auth_user', 'forged'],
      ['accept', 'a'],
      ['accept', 'b'],
      ['cookie', 'c=1'],
      ['cookie', 'd=2'],
      ['content-type', 'text/plain'],
    ]);
  });

  it('NODE-3, NODE-4: node.request is the IncomingMessage; multithread true, multiprocess as configured', async () => {
    const { app, seen } = recorder();
    const handle = await start(app, { multiprocess: true });
    await fetch(handle.url);
    const request = seen[0]!['node.request'];
    expect(request?.constructor.name).toBe('IncomingMessage');
    expect(seen[0]!['tsgi.multithread']).toBe(true);
    expect(seen[0]!['tsgi.multiprocess']).toBe(true);
    expect(seen[0]!['tsgi.run_once']).toBe(false);
  });

  it('ENV-15, ENV-16: without a Host (HTTP/1.0) SERVER_NAME and SERVER_PORT are the local address and port', async () => {
    const { app, seen } = recorder();
    const handle = await start(app);
    const response = await rawRequest(handle.url, 'GET /x HTTP/1.0\r\n\r\n');
    expect(response.status).toBe('200 OK');
    expect(seen[0]!.SERVER_NAME).toBe('127.0.0.1');
    expect(seen[0]!.SERVER_PORT).toBe(new URL(handle.url).port);
    expect(seen[0]!.SERVER_PROTOCOL).toBe('HTTP/1.0');
  });

  it('ENV-11: an absolute-form target names the server; its path and query are PATH_INFO and QUERY_STRING', async () => {
    const { app, seen } = recorder();
    const handle = await start(app);
    await rawRequest(handle.url, 'GET http://proxy.example:81/p%41th?x HTTP/1.1\r\nHost: other\r\n\r\n');
    expect(seen[0]!.REQUEST_URI).toBe('http://proxy.example:81/p%41th?x');
    expect(seen[0]!.PATH_INFO).toBe('/pAth');
    expect(seen[0]!.QUERY_STRING).toBe('x');
    expect(seen[0]!.SERVER_NAME).toBe('proxy.example');
    expect(seen[0]!.SERVER_PORT).toBe('81');
  });

  it('keeps the connection alive across requests, in order', async () => {
    const { app, seen } = recorder();
    const handle = await start(app);
    const connection = await RawConnection.open(handle.url);
    connection.write('GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n');
    const first = await connection.response();
    const second = await connection.response();
    connection.write('GET /3 HTTP/1.1\r\nHost: h\r\n\r\n');
    const third = await connection.response();
    connection.close();
    expect([first, second, third].map((r) => `${r.status} ${r.body.toString()}`)).toEqual(['200 OK ok', '200 OK ok', '200 OK ok']);
    expect(seen.map((e) => e.PATH_INFO)).toEqual(['/1', '/2', '/3']);
    expect(new Set(seen.map((e) => e.REMOTE_PORT)).size).toBe(1);
  });

  it('BODY-20, BODY-23: HEAD sends the headers, the declared Content-Length, and no body', async () => {
    const handle = await start((environ, startResponse) => sendText(startResponse, '200 OK', 'twelve bytes'));
    const connection = await RawConnection.open(handle.url);
    connection.write('HEAD / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n');
    const head = await connection.response({ head: true });
    const get = await connection.response();
    connection.close();
    expect(head.header('content-length')).toBe('12');
    expect(head.body.length).toBe(0);
    expect(get.body.toString()).toBe('twelve bytes');
  });

  it('HOST-17, HOST-20: headers in order, repeated Set-Cookie as separate lines, the reason phrase unchanged', async () => {
    const handle = await start((environ, startResponse) => {
      startResponse('299 Very Fine', [
        ['Set-Cookie', 'a=1'],
        ['X-Order', '1'],
        ['Set-Cookie', 'b=2'],
        ['Content-Length', '0'],
      ]);
      return [];
    });
    const response = await rawRequest(handle.url, 'GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    expect(response.status).toBe('299 Very Fine');
    expect(response.headers.filter(([name]) => /^(set-cookie|x-order)$/i.test(name))).toEqual([
      ['Set-Cookie', 'a=1'],
      ['X-Order', '1'],
      ['Set-Cookie', 'b=2'],
    ]);
  });

  it('listens on a Unix socket path, and on the handle of another net.Server', async () => {
    const { app } = recorder();
    const path = join(mkdtempSync(join(tmpdir(), 'tsgi-node-sock-')), 'app.sock');
    const onPath = await start(app, { path });
    expect(onPath.url).toBe(`http+unix://${encodeURIComponent(path)}`);
    const viaPath = await new Promise<string>((resolve, reject) => {
      const connection = netConnect(path);
      let text = '';
      connection.on('data', (d) => (text += d.toString('latin1')));
      connection.on('end', () => resolve(text));
      connection.on('error', reject);
      connection.write('GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
    });
    expect(viaPath).toMatch(/^HTTP\/1\.1 200 OK/);

    const shared = createNetServer();
    await new Promise<void>((resolve) => shared.listen(0, '127.0.0.1', resolve));
    const onHandle = await start(app, { server: shared });
    expect((await fetch(onHandle.url)).status).toBe(200);
    shared.close();

  });

  it('listens on an inherited file descriptor (a listening socket handed to a child process)', async () => {
    const listener = createNetServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const fd = (listener as unknown as { _handle: { fd: number } })._handle.fd;
    const { port } = listener.address() as AddressInfo;
    const script = join(mkdtempSync(join(tmpdir(), 'tsgi-node-fd-')), 'child.mjs');
    writeFileSync(
      script,
      `const { serve } = await import(${JSON.stringify(new URL('./serve.ts', import.meta.url).href)});\n` +
        `const h = await serve((e, sr) => { sr('200 OK', [['content-length', '5']]); return [Buffer.from('child')]; }, { fd: 3 });\n` +
        `process.stdout.write(h.url + '\\n');\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit', fd] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout!.once('data', (data: Buffer) => resolve(data.toString().trim()));
        child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
      });
      listener.close();
      expect(url).toBe(`http://127.0.0.1:${port}`);
      const response = await fetch(url);
      expect(await response.text()).toBe('child');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('serves HTTPS with tls, and HTTP/2 with HTTP/1.1 fallback with http2', async () => {
    const seen: string[] = [];
    const app: App = (environ, startResponse) => {
      seen.push(`${environ['tsgi.url_scheme']} ${environ.SERVER_PROTOCOL} ${environ.HTTP_HOST}`);
      startResponse('200 OK', [['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['content-type', 'text/plain']]);
      return [Buffer.from(environ.PATH_INFO)];
    };
    const secure = await start(app, { tls: certificate() });
    expect(secure.url).toMatch(/^https:\/\//);
    const h2 = await start(app, { tls: certificate(), http2: true });
    expect(h2.host).toBe(nodeHttp2Host);
    const { port } = new URL(h2.url);
    const session = http2.connect(h2.url, { rejectUnauthorized: false });
    const [headers, text] = await new Promise<[http2.IncomingHttpHeaders, string]>((resolve, reject) => {
      const stream = session.request({ ':path': '/c%2Fd' });
      let head: http2.IncomingHttpHeaders = {};
      let body = '';
      stream.on('response', (h) => (head = h));
      stream.setEncoding('latin1').on('data', (c: string) => (body += c)).on('end', () => resolve([head, body])).on('error', reject);
    });
    session.close();
    expect(headers[':status']).toBe(200);
    expect(headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(text).toBe('/c/d');
    expect(seen).toContain(`https HTTP/2 127.0.0.1:${port}`);
    // The same server answers HTTP/1.1 clients (ALPN fallback).
    const https = await import('node:https');
    const fallback = await new Promise<string>((resolve, reject) => {
      https.get({ host: '127.0.0.1', port: Number(port), path: '/e', rejectUnauthorized: false }, (res) => {
        let body = '';
        res.setEncoding('latin1').on('data', (c: string) => (body += c)).on('end', () => resolve(`${res.statusCode} ${res.httpVersion} ${body}`));
      }).on('error', reject);
    });
    expect(fallback).toBe('200 1.1 /e');
  });

  it('refuses reusePort where Node lacks it, naming the versions that have it', async () => {
    const major = Number(process.versions.node.split('.')[0]);
    const minor = Number(process.versions.node.split('.')[1]);
    const supported = major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
    if (supported) {
      const handle = await start(recorder().app, { reusePort: true });
      expect((await fetch(handle.url)).status).toBe(200);
    } else {
      await expect(serve(recorder().app, { port: 0, reusePort: true })).rejects.toThrow(/reusePort needs Node 22\.12, 23\.1 or later/);
    }
  });

  it('rejects when the address is taken', async () => {
    const first = await start(recorder().app);
    await expect(serve(recorder().app, { port: Number(new URL(first.url).port) })).rejects.toThrow(/EADDRINUSE/);
  });
});

