import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { buildTsgiBin, type TsgiBin } from './testing/tsgi-bin.js';
import { startTsgi, type TsgiProcess } from './testing/tsgi-process.js';
import { get, urlFromOutput } from './testing/http-client.js';
import { appDir, appSource, type AppDir } from './testing/fixtures.js';

let tsgi: TsgiBin;
let dir: AppDir;
const running: TsgiProcess[] = [];

function serve(args: string[]): TsgiProcess {
  const server = startTsgi(tsgi.bin, ['serve', ...args, '--log-level', 'debug'], { cwd: dir.dir });
  running.push(server);
  return server;
}

beforeAll(async () => {
  tsgi = await buildTsgiBin();
  dir = appDir();
});
afterEach(() => {
  for (const server of running.splice(0)) server.kill();
});
afterAll(async () => {
  await tsgi.remove();
  dir.remove();
});

describe('tsgi serve', () => {
  it('PF-1, PF-3: serves the default export in each of N workers on the bound address, with tsgi.multiprocess true', async () => {
    dir.write('app.mjs', appSource('v1'));
    const server = serve(['app.mjs', '-w', '2', '-b', '127.0.0.1:0']);
    await server.waitFor(/ready: 2 workers serving/);
    const url = urlFromOutput(server.output());
    const pids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const reply = await get(`${url}/`);
      expect(reply.status).toBe(200);
      const [version, pid] = reply.body.split(' ');
      expect(version).toBe('v1');
      pids.add(pid!);
    }
    for (const pid of pids) expect(server.workerPids()).toContain(Number(pid));
    expect(server.workerPids()).toHaveLength(2);
    expect(pids.has(String(server.pid))).toBe(false);
    // PF-3: workers tell the app that other processes serve the same app.
    expect(JSON.parse((await get(`${url}/environ`)).body).multiprocess).toBe(true);
    server.signal('SIGTERM');
    expect(await server.exited()).toBe(0);
  });

  it('PF-2: --reuse-port gives each worker its own SO_REUSEPORT socket on Node 22.12+/23.1+, and falls back to one shared socket, with a warning, before', async () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const supported = major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
    dir.write('app.mjs', appSource('v1'));
    const server = serve(['app.mjs', '-w', '2', '-b', '127.0.0.1:0', '--reuse-port']);
    await server.waitFor(/ready: 2 workers serving/);
    if (supported) expect(server.output()).toMatch(/one SO_REUSEPORT socket per worker/);
    else expect(server.output()).toMatch(/--reuse-port needs Node 22\.12\+ or 23\.1\+ .*the workers share one socket instead/);
    const url = urlFromOutput(server.output());
    for (let i = 0; i < 10; i++) {
      const reply = await get(`${url}/`);
      expect(reply.status).toBe(200);
      expect(server.workerPids()).toContain(Number(reply.body.split(' ')[1]));
    }
    server.signal('SIGTERM');
    expect(await server.exited()).toBe(0);
  });

  it('PF-1: serves a named export, a factory export and a TypeScript module', async () => {
    dir.write('named.mjs', appSource('named', 'export { app as api };'));
    dir.write('factory.mjs', appSource('factory', 'export async function createApp() { return app; }'));
    dir.write('typed.ts', `import type { App } from '@tsgi/interface';\n${appSource('typed', 'export const handler: App = app;').replace('async function app(environ, startResponse)', 'async function app(environ: any, startResponse: any)')}`);
    const server = serve(['named.mjs:api', '-w', '1', '-b', '127.0.0.1:0']);
    const factory = serve(['factory.mjs:createApp()', '-w', '1', '-b', '127.0.0.1:0']);
    const typed = serve(['typed.ts:handler', '-w', '1', '-b', '127.0.0.1:0']);
    for (const [process, version] of [[server, 'named'], [factory, 'factory'], [typed, 'typed']] as const) {
      await process.waitFor(/ready: 1 workers serving/, 30_000);
      const reply = await get(`${urlFromOutput(process.output())}/`);
      expect(reply.body.split(' ')[0]).toBe(version);
    }
  });

  it('PF-2: workers keep serving, on new and kept-alive connections, while the master is stopped', async () => {
    dir.write('app.mjs', appSource('v1'));
    const server = serve(['app.mjs', '-w', '2', '-b', '127.0.0.1:0', '--timeout', '1']);
    await server.waitFor(/ready: 2 workers/);
    const url = urlFromOutput(server.output());
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(`${url}/`, { agent })).status).toBe(200);
    server.signal('SIGSTOP');
    try {
      for (let i = 0; i < 10; i++) expect((await get(`${url}/`, { agent: i % 2 ? agent : false })).status).toBe(200);
    } finally {
      server.signal('SIGCONT');
      agent.destroy();
    }
  });

  it('PF-9: workers write gunicorn-format access lines, response headers included', async () => {
    dir.write('app.mjs', appSource('v7'));
    const server = serve(['app.mjs', '-w', '1', '-b', '127.0.0.1:0', '--access-logfile', '-', '--access-logformat', '%(m)s %(U)s %(q)s %(s)s %(B)s %({x-version}o)s %({x-trace}i)s %(p)s']);
    await server.waitFor(/ready: 1 workers/);
    const reply = await get(`${urlFromOutput(server.output())}/a%20b?x=1`, { headers: { 'x-trace': 'abc' } });
    const pid = reply.body.split(' ')[1];
    await server.waitFor(new RegExp(`^GET /a b x=1 200 ${reply.body.length} v7 abc <${pid}>$`, 'm'));
  });

  it('--reload: an edit to the app reloads the workers', async () => {
    dir.write('live.mjs', appSource('before'));
    const server = serve(['live.mjs', '-w', '1', '-b', '127.0.0.1:0', '--reload']);
    await server.waitFor(/ready: 1 workers/);
    const url = urlFromOutput(server.output());
    expect((await get(`${url}/`)).body.split(' ')[0]).toBe('before');
    const mark = server.output().length;
    dir.write('live.mjs', appSource('after'));
    await server.waitFor(/changed: .*live\.mjs; reloading/, 10_000, mark);
    await server.waitFor(/reload complete/, 30_000, mark);
    expect((await get(`${url}/`)).body.split(' ')[0]).toBe('after');
  });

  it('PF-1: serves on an IPv6 address', async () => {
    dir.write('app.mjs', appSource('six'));
    const server = serve(['app.mjs', '-w', '1', '-b', '[::1]:0']);
    await server.waitFor(/ready: 1 workers serving http:\/\/\[::1\]:\d+/);
    expect((await get(`${urlFromOutput(server.output())}/`)).body.split(' ')[0]).toBe('six');
  });

  it('PF-1: serves on a socket it inherited as fd://3 (systemd socket activation)', async () => {
    dir.write('app.mjs', appSource('inherited'));
    const socket = net.createServer();
    await new Promise<void>((resolve) => socket.listen(0, '127.0.0.1', resolve));
    const { port } = socket.address() as net.AddressInfo;
    const fd = (socket as unknown as { _handle: { fd: number } })._handle.fd;
    const server = startTsgi(tsgi.bin, ['serve', 'app.mjs', '-w', '1', '-b', 'fd://3', '--log-level', 'debug'], { cwd: dir.dir, extraFds: [fd] });
    running.push(server);
    // This process stops accepting; the workers accept on their copies.
    socket.close();
    await server.waitFor(/ready: 1 workers serving fd:\/\/3/);
    expect((await get(`http://127.0.0.1:${port}/`)).body.split(' ')[0]).toBe('inherited');
  });

  it.skipIf(spawnSync('openssl', ['version']).status !== 0)('PF-1: serves HTTPS with --certfile and --keyfile', async () => {
    dir.write('app.mjs', appSource('tls'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', `${dir.dir}/key.pem`, '-out', `${dir.dir}/cert.pem`], { stdio: 'ignore' });
    const server = serve(['app.mjs', '-w', '1', '-b', '127.0.0.1:0', '--certfile', 'cert.pem', '--keyfile', 'key.pem']);
    const port = (await server.waitFor(/ready: 1 workers serving https:\/\/127\.0\.0\.1:(\d+)/))[1];
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port: Number(port), path: '/', rejectUnauthorized: false }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    expect(body.split(' ')[0]).toBe('tls');
  });

  it('PF-1: serves on a Unix socket', async () => {
    dir.write('app.mjs', appSource('unix'));
    const path = `${dir.dir}/app.sock`;
    const server = serve(['app.mjs', '-w', '1', '-b', `unix:${path}`]);
    await server.waitFor(/ready: 1 workers/);
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get({ socketPath: path, path: '/', headers: { host: 'localhost' } }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    expect(body.split(' ')[0]).toBe('unix');
    server.signal('SIGTERM');
    expect(await server.exited()).toBe(0);
  });
});
