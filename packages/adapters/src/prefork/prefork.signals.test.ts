import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, renameSync } from 'node:fs';
import { buildTsgiBin, type TsgiBin } from './testing/tsgi-bin.js';
import { startTsgi, type TsgiProcess } from './testing/tsgi-process.js';
import { get, steadyLoad, urlFromOutput } from './testing/http-client.js';
import { appDir, appSource, waitForFile, type AppDir } from './testing/fixtures.js';

let tsgi: TsgiBin;
let dir: AppDir;
const running: TsgiProcess[] = [];

async function serve(args: string[], workers = 2): Promise<{ server: TsgiProcess; url: string }> {
  const server = startTsgi(tsgi.bin, ['serve', 'app.mjs', '-b', '127.0.0.1:0', '-w', String(workers), '--log-level', 'debug', ...args], { cwd: dir.dir });
  running.push(server);
  await server.waitFor(new RegExp(`ready: ${workers} workers`), 30_000);
  return { server, url: urlFromOutput(server.output()) };
}

beforeAll(async () => {
  tsgi = await buildTsgiBin();
});
afterEach(() => {
  for (const server of running.splice(0)) server.kill();
  dir?.remove();
});
afterAll(() => tsgi.remove());

describe('signals (PF-4)', () => {
  it('PF-4: SIGTERM lets requests in flight complete, refuses new connections, exits 0', async () => {
    dir = appDir();
    dir.write('app.mjs', appSource('v1'));
    const { server, url } = await serve(['--graceful-timeout', '20']);
    const slow = Promise.all([get(`${url}/slow?ms=1500`), get(`${url}/slow?ms=1500`), get(`${url}/slow?ms=1500`)]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    server.signal('SIGTERM');
    const replies = await slow;
    for (const reply of replies) expect(reply.status).toBe(200);
    expect(await server.exited()).toBe(0);
    await expect(get(`${url}/`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('PF-4: SIGINT and SIGQUIT stop at once, giving up on requests in flight', async () => {
    dir = appDir();
    dir.write('app.mjs', appSource('v1'));
    await Promise.all(
      (['SIGINT', 'SIGQUIT'] as const).map(async (signal) => {
        const { server, url } = await serve(['--graceful-timeout', '60'], 1);
        const slow = get(`${url}/slow?ms=30000`).then((reply) => reply.status, (error: Error) => error.message);
        await new Promise((resolve) => setTimeout(resolve, 300));
        const sent = Date.now();
        server.signal(signal);
        expect(await server.exited(15_000)).toBe(0);
        expect(Date.now() - sent).toBeLessThan(15_000);
        // HOST-31: the request in flight is given up on: 503 before its headers went out.
        expect(await slow).toBe(503);
      }),
    );
  });

  it('PF-4, PF-10, PF-15: SIGHUP reloads worker by worker; every answer after the reload comes from the new code; none fails', async () => {
    dir = appDir();
    dir.write('app.mjs', appSource('v1'));
    const { server, url } = await serve(['--graceful-timeout', '10'], 2);
    const plain = steadyLoad(`${url}/`, { concurrency: 2 });
    const kept = steadyLoad(`${url}/`, { concurrency: 2, keepAlive: true });
    try {
      for (const version of ['v2']) {
        dir.write('app.mjs', appSource(version));
        const mark = server.output().length;
        server.signal('SIGHUP');
        await server.waitFor(/reload complete/, 30_000, mark);
        const reloaded = Date.now();
        // Requests sent after the reload completed reach only new workers.
        for (let i = 0; i < 10; i++) expect((await get(`${url}/`)).body.split(' ')[0]).toBe(version);
        const before = plain.total + kept.total;
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(plain.total + kept.total).toBeGreaterThan(before);
        const late = [...plain.timeline, ...kept.timeline].filter((t) => t.sentAt > reloaded);
        expect(late.length).toBeGreaterThan(0);
        expect(late.filter((t) => !t.body.startsWith(`${version} `))).toEqual([]);
      }
    } finally {
      await plain.stop();
      await kept.stop();
    }
    expect(plain.failures).toEqual([]);
    expect(kept.failures).toEqual([]);
  });

  it('PF-10: a reload whose new code does not boot is reported and the old workers keep serving', async () => {
    dir = appDir();
    dir.write('app.mjs', appSource('v1'));
    const { server, url } = await serve([], 2);
    const before = server.workerPids();
    dir.write('app.mjs', 'export default syntax error here');
    const mark = server.output().length;
    server.signal('SIGHUP');
    await server.waitFor(/reload failed: .*old workers keep serving/, 30_000, mark);
    for (let i = 0; i < 6; i++) {
      const [version, pid] = (await get(`${url}/`)).body.split(' ');
      expect(version).toBe('v1');
      expect(before).toContain(Number(pid));
    }
    dir.write('app.mjs', appSource('v2'));
    server.signal('SIGHUP');
    await server.waitFor(/reload complete/, 30_000, mark);
    expect((await get(`${url}/`)).body.split(' ')[0]).toBe('v2');
  });

  it('PF-4: SIGTTIN adds a worker, SIGTTOU removes one but never the last', async () => {
    dir = appDir();
    dir.write('app.mjs', appSource('v1'));
    const { server } = await serve([], 1);
    server.signal('SIGTTIN');
    await server.waitFor(/workers: 1 -> 2/);
    await server.waitForCount(/\) ready/g, 2);
    server.signal('SIGTTOU');
    await server.waitFor(/workers: 2 -> 1/);
    await server.waitFor(/worker \d+ exited/);
    const mark = server.output().length;
    server.signal('SIGTTOU');
    await server.waitFor(/handling SIGTTOU/, 10_000, mark);
    server.signal('SIGTERM');
    expect(await server.exited()).toBe(0);
    expect(server.output().slice(mark)).not.toMatch(/workers: 1 -> 0/);
  });

  it('PF-4: SIGUSR1 makes the master and the workers reopen their log files', async () => {
    dir = appDir();
    dir.write('app.mjs', appSource('v1'));
    const access = `${dir.dir}/access.log`;
    const errors = `${dir.dir}/error.log`;
    const server = startTsgi(tsgi.bin, ['serve', 'app.mjs', '-b', '127.0.0.1:0', '-w', '1', '--access-logfile', access, '--error-logfile', errors], { cwd: dir.dir });
    running.push(server);
    // The error log goes to a file here, so readiness shows there.
    const url = urlFromOutput(await waitForFile(errors, /ready: 1 workers/));
    await get(`${url}/first`);
    renameSync(access, `${access}.1`);
    renameSync(errors, `${errors}.1`);
    server.signal('SIGUSR1');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await get(`${url}/second`);
    server.signal('SIGTERM');
    await server.exited();
    expect(readFileSync(`${access}.1`, 'utf8')).toMatch(/"GET \/first HTTP\/1.1" 200/);
    expect(readFileSync(access, 'utf8')).toMatch(/"GET \/second HTTP\/1.1" 200/);
    expect(readFileSync(access, 'utf8')).not.toMatch(/first/);
    expect(readFileSync(errors, 'utf8')).toMatch(/handling SIGTERM/);
  });
});

