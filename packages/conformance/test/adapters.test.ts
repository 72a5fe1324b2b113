/**
 * Every tsgi host in this repository, certified by certifyServer through the suite's own
 * drivers: the Node host over raw sockets, the fetch host with runtime-shaped Requests, the
 * Lambda host with the events of four sources.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { fetchHost, toFetchHandler } from '@tsgi/adapters/fetch';
import { lambdaHost, toLambdaHandler } from '@tsgi/adapters/lambda';
import { fromNodeHandler, nodeHost, serve, toNodeHandler } from '@tsgi/adapters/node';
import { sendText, type App } from '@tsgi/interface';
import { certifyApp, certifyServer, FetchDriver, LambdaDriver, summarizeFailures, type LambdaSource } from '../src/index.js';

const quiet = { write() {}, flush() {} };

describe('certifyServer against the hosts of @tsgi/adapters', () => {
  it('NODE-2, NODE-5, NODE-6: the Node host (serve) passes certifyServer', async () => {
    const report = await certifyServer(
      async (app) => {
        const handle = await serve(app, { port: 0, host: '127.0.0.1', errors: quiet });
        return { url: handle.url, close: () => handle.close() };
      },
      { host: nodeHost },
    );
    expect(report.ok, summarizeFailures(report)).toBe(true);
  }, 120_000);

  it('FETCH-1: the fetch host passes certifyServer through the fetch driver', async () => {
    const report = await certifyServer((app) => toFetchHandler(app, { errors: quiet }), {
      kind: 'fetch',
      host: fetchHost,
      driver: (handler) => new FetchDriver(handler as ConstructorParameters<typeof FetchDriver>[0]),
    });
    expect(report.ok, summarizeFailures(report)).toBe(true);
  }, 120_000);

  for (const source of ['api-gateway-v1', 'api-gateway-v2', 'function-url', 'alb'] as LambdaSource[]) {
    it(`LAMBDA-1: the Lambda host passes certifyServer with ${source} events`, async () => {
      const report = await certifyServer((app) => toLambdaHandler(app, { errors: quiet }), {
        kind: 'lambda',
        host: lambdaHost,
        driver: (handler) => new LambdaDriver(handler as ConstructorParameters<typeof LambdaDriver>[0], source),
      });
      expect(report.ok, summarizeFailures(report)).toBe(true);
    }, 120_000);
  }

  it('LAMBDA-8, ENV-22: a Cookie line with ";" inside, a tab before it, reaches the app as the function URL splits it, blanks trimmed (certifyServer seed 282355737)', async () => {
    const app: App = (environ, startResponse) => sendText(startResponse, '200 OK', String(environ.HTTP_COOKIE));
    const driver = new LambdaDriver(toLambdaHandler(app, { errors: quiet }) as ConstructorParameters<typeof LambdaDriver>[0], 'function-url');
    const request = { method: 'GET', target: '/c', headers: [['cookie', 'a=1'], ['Cookie', '[.o2\t;\u00bc<\t\t\u00d0"'], ['Cookie', 'b=2']] as Array<[string, string]>, body: new Uint8Array(0), chunks: [], framing: 'none' as const };
    const expected = driver.view(request)!.headers.filter(([name]) => name === 'cookie').map(([, value]) => value).join('; ');
    const response = await driver.open(request).readAll(5000);
    expect(expected).toMatch(/^a=1; \[\.o2; .*; b=2$/);
    expect(new TextDecoder().decode(response.body)).toBe(expected);
  });

  it('NODE-1: toNodeHandler serves on node:http (certified), node:https and node:http2', async () => {
    // TLS: a throwaway self-signed certificate (openssl).
    const dir = mkdtempSync(join(tmpdir(), 'tsgi-tls-'));
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    expect(made.status, 'openssl must be installed to create a test certificate').toBe(0);
    const tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
    const app: App = (environ, startResponse) => sendText(startResponse, '200 OK', `${environ['tsgi.url_scheme']} ${environ.SERVER_PROTOCOL} ${environ.PATH_INFO}`);

    const secure = https.createServer(tls, toNodeHandler(app, { errors: quiet }));
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    const httpsText = await new Promise<string>((resolve, reject) => {
      https.get({ host: '127.0.0.1', port: (secure.address() as AddressInfo).port, path: '/a%2Fb', rejectUnauthorized: false }, (res) => {
        let text = '';
        res.setEncoding('latin1').on('data', (c: string) => (text += c)).on('end', () => resolve(`${res.statusCode} ${text}`));
      }).on('error', reject);
    });
    secure.close();
    expect(httpsText).toBe('200 https HTTP/1.1 /a/b');

    const h2 = http2.createSecureServer(tls, toNodeHandler(app, { errors: quiet }) as never);
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    const session = http2.connect(`https://127.0.0.1:${(h2.address() as AddressInfo).port}`, { rejectUnauthorized: false });
    const h2Text = await new Promise<string>((resolve, reject) => {
      const stream = session.request({ ':path': '/c%2Fd' });
      let status = 0;
      let text = '';
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.setEncoding('latin1').on('data', (c: string) => (text += c)).on('end', () => resolve(`${status} ${text}`)).on('error', reject);
    });
    session.close();
    h2.close();
    expect(h2Text).toBe('200 https HTTP/2 /c/d');

    const report = await certifyServer(
      async (app) => {
        const server = http.createServer(toNodeHandler(app, { errors: quiet }));
        server.on('checkContinue', toNodeHandler(app, { errors: quiet }));
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const { port } = server.address() as AddressInfo;
        return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          }) };
      },
      // close() of a bare node:http server is not a graceful shutdown of requests in progress.
      { host: nodeHost, runs: 30 },
    );
    const failed = report.clauses.filter((c) => c.status === 'failed' && c.clause !== 'HOST-30' && c.clause !== 'HOST-32');
    expect(failed.map((c) => c.violations[0]?.message)).toEqual([]);

  }, 120_000);

  it('NODE-3, NODE-4: node.request is the request; multithread true, multiprocess and run_once false', async () => {
    let seen: unknown[] = [];
    const handle = await serve(
      (environ, startResponse) => {
        const request = (environ as unknown as Record<string, unknown>)['node.request'];
        seen = [request instanceof http.IncomingMessage, environ['tsgi.multithread'], environ['tsgi.multiprocess'], environ['tsgi.run_once']];
        return sendText(startResponse, '200 OK', 'ok');
      },
      { port: 0, host: '127.0.0.1', errors: quiet },
    );
    await (await fetch(handle.url)).text();
    await handle.close();
    expect(seen).toEqual([true, true, false, false]);
  });

  it('NODE-7: fromNodeHandler makes compliant apps of an Express app and of a plain listener', async () => {
    const server = express();
    server.use(express.raw({ type: () => true, limit: '1mb' }));
    server.all('/{*rest}', (req, res) => {
      res.cookie('a', '1').cookie('b', '2');
      res.status(req.method === 'POST' ? 201 : 200).send(`${req.method} ${req.path} ${Buffer.isBuffer(req.body) ? req.body.length : 0}`);
    });
    const viaExpress = await certifyApp(fromNodeHandler(server), { runs: 40 });
    expect(viaExpress.violations, summarizeFailures(viaExpress)).toEqual([]);
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
      let size = 0;
      req.on('data', (chunk: Buffer) => (size += chunk.length)).on('end', () => {
        res.setHeader('Connection', 'close');
        res.writeHead(299, 'Plain Reason', { 'content-type': 'text/plain' });
        res.write(`${req.url} `);
        res.end(String(size));
      });
    };
    const viaListener = await certifyApp(fromNodeHandler(listener), { runs: 40 });
    expect(viaListener.violations, summarizeFailures(viaListener)).toEqual([]);
  }, 120_000);
});
