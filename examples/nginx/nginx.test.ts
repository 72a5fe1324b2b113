/**
 * Real nginx (Debian's package) in front of a real `tsgi serve`, both on loopback ports the
 * test picks, nginx with its own prefix, pid and temp paths. The site config under test is
 * tsgi-site.conf itself, with only its addresses and certificate paths swapped.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const nginxBinary = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx'], { encoding: 'utf8' }).stdout.trim().split('\n')[0] || undefined;
const require = createRequire(import.meta.url);
const adapters = dirname(require.resolve('@tsgi/adapters/package.json'));
const tsgiBin = join(adapters, (require('@tsgi/adapters/package.json') as { bin: { tsgi: string } }).bin.tsgi);

let work: string;
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function waitForOutput(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}:\n${text}`)), 60_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what}: exited with ${code}:\n${text}`));
    });
  });
}

/** Starts `tsgi serve whoami.ts` on a free port; resolves with that port. */
async function startTsgi(extra: string[]): Promise<number> {
  const child = spawn(process.execPath, [tsgiBin, 'serve', join(here, 'whoami.ts'), '-w', '1', '-b', '127.0.0.1:0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return Number(await waitForOutput(child, /ready: 1 workers serving http:\/\/127\.0\.0\.1:(\d+)/, 'tsgi serve'));
}

/** Starts nginx with tsgi-site.conf pointed at `upstreamPort`; resolves with its http and https ports. */
async function startNginx(upstreamPort: number): Promise<{ http: number; https: number }> {
  const prefix = mkdtempSync(join(work, 'nginx-'));
  for (const dir of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, dir));
  const ports = { http: await freePort(), https: await freePort() };
  const swaps: Array<[string, string]> = [
    ['server 127.0.0.1:8000 ', `server 127.0.0.1:${upstreamPort} `],
    ['listen 80;', `listen 127.0.0.1:${ports.http};`],
    ['listen 443 ssl;', `listen 127.0.0.1:${ports.https} ssl;`],
    ['/etc/ssl/certs/example.com.pem', join(work, 'cert.pem')],
    ['/etc/ssl/private/example.com.key', join(work, 'key.pem')],
  ];
  let site = readFileSync(join(here, 'tsgi-site.conf'), 'utf8');
  for (const [from, to] of swaps) {
    expect(site, `tsgi-site.conf no longer contains ${from}`).toContain(from);
    site = site.replace(from, to);
  }
  writeFileSync(join(prefix, 'site.conf'), site);
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;
master_process off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 128; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  include ${prefix}/site.conf;
}
`,
  );
  const child = spawn(nginxBinary!, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  // nginx says nothing when it starts; it is up once its port answers.
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(ports.http, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return ports;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not start:\n${readFileSync(join(prefix, 'error.log'), 'utf8')}`);
}

interface Seen {
  remoteAddr: string | null;
  scheme: string;
  host: string;
  port: string;
  forwardedFor: string | null;
}

/** GET / from `localAddress` (another loopback address, so client and proxy differ). */
function whoami(url: string, localAddress: string, headers: Record<string, string> = {}): Promise<Seen> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { localAddress, headers, rejectUnauthorized: false, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => (response.statusCode === 200 ? resolve(JSON.parse(body) as Seen) : reject(new Error(`${response.statusCode}: ${body}`))));
    });
    request.setTimeout(15_000, () => request.destroy(new Error('no answer in time')));
    request.on('error', reject);
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tsgi-nginx-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=example.test', '-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem')], { stdio: 'ignore' });
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!nginxBinary)('behind real nginx (HOST-33, HOST-34)', () => {
  it('HOST-34: with --forwarded-allow-ips naming nginx, the app sees the client address and scheme', async () => {
    const upstream = await startTsgi(['--forwarded-allow-ips', '127.0.0.1']);
    const ports = await startNginx(upstream);
    const secure = await whoami(`https://127.0.0.1:${ports.https}/`, '127.0.0.2');
    expect(secure).toMatchObject({ remoteAddr: '127.0.0.2', scheme: 'https', forwardedFor: '127.0.0.2' });
    // A client that forges the headers gets nowhere: nginx replaces X-Forwarded-Proto and
    // appends the real address, and tsgi takes the right-most address it does not trust.
    const forged = await whoami(`http://127.0.0.1:${ports.http}/`, '127.0.0.2', { 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https' });
    expect(forged).toMatchObject({ remoteAddr: '127.0.0.2', scheme: 'http', forwardedFor: '198.51.100.7, 127.0.0.2' });
  });

  it('HOST-33: a client reaching tsgi directly cannot set its address or scheme with headers', async () => {
    const upstream = await startTsgi(['--forwarded-allow-ips', '127.0.0.1']);
    const direct = await whoami(`http://127.0.0.1:${upstream}/`, '127.0.0.3', { 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https' });
    expect(direct).toMatchObject({ remoteAddr: '127.0.0.3', scheme: 'http' });
  });

  it('HOST-33: without --forwarded-allow-ips, the app sees nginx as the client, whatever nginx says', async () => {
    const upstream = await startTsgi([]);
    const ports = await startNginx(upstream);
    const seen = await whoami(`https://127.0.0.1:${ports.https}/`, '127.0.0.2');
    expect(seen).toMatchObject({ remoteAddr: '127.0.0.1', scheme: 'http', forwardedFor: '127.0.0.2' });
  });
});
