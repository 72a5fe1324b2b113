import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTsgiBin, type TsgiBin } from './testing/tsgi-bin.js';
import { startTsgi, type TsgiProcess } from './testing/tsgi-process.js';
import { get, urlFromOutput } from './testing/http-client.js';
import { appDir, appSource, type AppDir } from './testing/fixtures.js';

let tsgi: TsgiBin;
let dir: AppDir;
const running: TsgiProcess[] = [];

async function serve(args: string[], workers = 2): Promise<{ server: TsgiProcess; url: string }> {
  const server = startTsgi(tsgi.bin, ['serve', 'app.mjs', '-b', '127.0.0.1:0', '-w', String(workers), '--log-level', 'debug', ...args], { cwd: dir.dir });
  running.push(server);
  await server.waitFor(new RegExp(`ready: ${workers} workers`), 30_000);
  return { server, url: urlFromOutput(server.output()) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  tsgi = await buildTsgiBin();
  dir = appDir();
  dir.write('app.mjs', appSource('v1'));
});
afterEach(() => {
  for (const server of running.splice(0)) server.kill();
});
afterAll(async () => {
  await tsgi.remove();
  dir.remove();
});

describe('liveness', () => {
  it('PF-5: a worker killed with SIGKILL is replaced and the server keeps answering', async () => {
    const { server, url } = await serve([], 2);
    const [victim] = server.workerPids();
    const mark = server.output().length;
    process.kill(victim!, 'SIGKILL');
    await server.waitFor(new RegExp(`worker ${victim} died \\(signal SIGKILL\\)`), 10_000, mark);
    await server.waitFor(/\(generation 1\) ready/, 30_000, mark);
    for (let i = 0; i < 10; i++) {
      const reply = await get(`${url}/`);
      expect(reply.status).toBe(200);
      expect(Number(reply.body.split(' ')[1])).not.toBe(victim);
    }
  });

  it('PF-5, PF-11: a worker whose event loop blocks is killed after --timeout and replaced; the others keep answering', async () => {
    const { server, url } = await serve(['--timeout', '1'], 2);
    const hung = get(`${url}/block`).then((reply) => `status ${reply.status}`, (error: Error) => error.message);
    await sleep(200);
    // The other worker answers meanwhile.
    expect((await get(`${url}/`)).status).toBe(200);
    const killed = await server.waitFor(/worker (\d+) sent no heartbeat for [\d.]+ s \(--timeout 1\); killing it/, 15_000);
    expect(await hung).toMatch(/socket hang up|ECONNRESET/);
    await server.waitFor(new RegExp(`worker ${killed[1]} died \\(signal SIGKILL\\)`));
    await server.waitForCount(/\(generation 1\) ready/g, 3, 30_000);
    expect((await get(`${url}/`)).status).toBe(200);
  });

  it('PF-12: a master stopped for longer than --timeout and resumed kills no healthy worker', async () => {
    const { server, url } = await serve(['--timeout', '1'], 2);
    const before = server.workerPids();
    server.signal('SIGSTOP');
    await sleep(2200);
    server.signal('SIGCONT');
    await sleep(1500);
    expect(server.output()).toMatch(/master did not run for/);
    expect(server.output()).not.toMatch(/killing it/);
    expect(server.workerPids()).toEqual(before);
    expect((await get(`${url}/`)).status).toBe(200);
  });

  it('a worker that throws outside any request is logged and replaced', async () => {
    const { server, url } = await serve([], 1);
    const [victim] = server.workerPids();
    expect((await get(`${url}/crash`)).status).toBe(200);
    await server.waitFor(new RegExp(`worker ${victim} crashed: Error: crash outside any request`));
    await server.waitFor(new RegExp(`worker ${victim} died \\(status 1`));
    await server.waitForCount(/\(generation 1\) ready/g, 2, 30_000);
    expect((await get(`${url}/`)).status).toBe(200);
  });

  it('workers of a master killed with SIGKILL stop on their own', async () => {
    const { server } = await serve([], 2);
    const workers = server.workerPids();
    server.child.kill('SIGKILL');
    const alive = () => workers.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    for (let i = 0; i < 100 && alive().length > 0; i++) await sleep(100);
    expect(alive()).toEqual([]);
  });

  it('HOST-23: a request past --request-deadline is answered 503 and the worker lives on', async () => {
    const { server, url } = await serve(['--request-deadline', '0.5'], 1);
    const reply = await get(`${url}/slow?ms=5000`);
    expect(reply.status).toBe(503);
    const next = await get(`${url}/`);
    expect(next.status).toBe(200);
    expect(server.workerPids()).toEqual([Number(next.body.split(' ')[1])]);
  });

  it('PF-6: a worker is replaced after max-requests plus jitter; no request fails', async () => {
    const { server, url } = await serve(['--max-requests', '4', '--max-requests-jitter', '2'], 1);
    const pids: number[] = [];
    for (let i = 0; i < 24; i++) {
      const reply = await get(`${url}/`);
      expect(reply.status).toBe(200);
      pids.push(Number(reply.body.split(' ')[1]));
      // Leave the master room to start and swap in the replacement.
      if (i % 4 === 3) await sleep(150);
    }
    expect(server.output()).toMatch(/served \d+ requests \(max-requests\); replacing it/);
    const runs: number[] = [];
    for (const pid of pids) if (runs.at(-1) !== pid) runs.push(pid);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    // A replaced worker never answers again.
    expect(new Set(runs).size).toBe(runs.length);
  });
});
