/**
 * The hosts that run the app outside this process, certified with the probe app inside
 * them (probes: 'remote'): the pre-fork host (`tsgi serve`, two workers), and the fetch host
 * on the real Bun, Deno and workerd binaries. Each reports to the suite over loopback.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '@tsgi-examples/testing';
import { fetchHost } from '@tsgi/adapters/fetch';
import { nodeHost, serve } from '@tsgi/adapters/node';
import { certifyServer, FetchHttpDriver, summarizeFailures, type CertificationReport } from '../src/index.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/remote/', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsgi-remote-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** One ES module with everything inlined, for runtimes that should not resolve npm packages. */
async function bundle(entry: string, outfile: string): Promise<string> {
  await build({ entryPoints: [join(fixtures, entry)], bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], external: ['node:*'], outfile: join(dir, outfile), logLevel: 'error' });
  return join(dir, outfile);
}

/** A certifyServer factory that starts a runtime serving on loopback, stopped by close(). */
function runtime(command: string, args: string[], env?: NodeJS.ProcessEnv) {
  return async () => {
    const server = await startServer(command, args, { env });
    return { url: `http://127.0.0.1:${server.port}`, close: () => server.stop() };
  };
}

/**
 * Certified: nothing failed but the platform's own deviations named here (each a thing the
 * runtime does before the host sees the request, which no fetch host can undo), and at
 * least `atLeast` clauses checked and passed.
 */
function expectCertified(report: CertificationReport, atLeast: number, deviations: Record<string, string> = {}): void {
  const failed = report.clauses.filter((c) => c.status === 'failed');
  const unexplained = failed.filter((c) => !(c.clause in deviations));
  expect(unexplained, summarizeFailures(report)).toEqual([]);
  const count = (status: string) => report.clauses.filter((c) => c.status === status).length;
  console.info(`${report.target}: ${count('passed')} clauses passed, ${failed.length} platform deviations, ${count('not-applicable')} not applicable, ${count('not-checked')} not checked`);
  expect(report.clauses.filter((c) => c.status === 'passed').length).toBeGreaterThanOrEqual(atLeast);
}

const quiet = { write() {}, flush() {} };
const passed = (report: CertificationReport) => report.clauses.filter((c) => c.status === 'passed').map((c) => c.clause);

describe('certifyServer with the probe app inside the host (probes: remote)', () => {
  it('checks what the local probe app checks: the Node host in this process passes the same clauses either way', async () => {
    const factory = async (app: Parameters<typeof serve>[0]) => {
      const handle = await serve(app, { port: 0, host: '127.0.0.1', errors: quiet });
      return { url: handle.url, close: () => handle.close() };
    };
    const local = await certifyServer(factory, { host: nodeHost, runs: 30 });
    const remote = await certifyServer(factory, { host: nodeHost, probes: 'remote', runs: 30 });
    expect(remote.ok, summarizeFailures(remote)).toBe(true);
    expect(passed(remote).sort()).toEqual(passed(local).sort());
  }, 120_000);

  it('loses no report when deliveries fail: every second and third POST of the probe app fails, one before and one after the suite took it', async () => {
    const factory = async (app: Parameters<typeof serve>[0]) => {
      const handle = await serve(app, { port: 0, host: '127.0.0.1', errors: quiet });
      return { url: handle.url, close: () => handle.close() };
    };
    const original = globalThis.fetch;
    let posts = 0;
    globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      if (init?.method === 'POST') {
        const n = posts++;
        if (n % 3 === 1) throw new TypeError('fetch failed (lost on the way)');
        if (n % 3 === 2) {
          await (await original(input, init)).body?.cancel();
          throw new TypeError('fetch failed (lost on the way back)');
        }
      }
      return original(input, init);
    }) as typeof fetch;
    try {
      const remote = await certifyServer(factory, { host: nodeHost, probes: 'remote', runs: 10 });
      expect(remote.ok, summarizeFailures(remote)).toBe(true);
      expect(posts).toBeGreaterThan(100);
    } finally {
      globalThis.fetch = original;
    }
  }, 120_000);

  it('PF-1: the pre-fork host (tsgi serve, 2 workers) passes', async () => {
    const report = await certifyServer(
      async () => {
        const child = spawn(process.execPath, [`${root}packages/adapters/dist/cli/tsgi.js`, 'serve', `${root}packages/conformance/dist/probe-app.js`, '-w', '2', '-b', '127.0.0.1:0', '--graceful-timeout', '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (data) => void (output += data));
        child.stderr.on('data', (data) => void (output += data));
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        const deadline = Date.now() + 30_000;
        let url: string | undefined;
        while (!url) {
          if (Date.now() > deadline || child.exitCode !== null) throw new Error(`tsgi serve did not get ready:\n${output}`);
          const ready = /ready: 2 workers serving (http:\/\/[^\s,]+)/.exec(output);
          url = ready?.[1];
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return {
          url,
          close: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        };
      },
      { host: nodeHost, probes: 'remote' },
    );
    // The clauses the Node host in this process passes (82): a worker is a Node host.
    expectCertified(report, 82);
  }, 180_000);

  it('FETCH-1: the fetch host on Bun passes', async () => {
    const entry = await bundle('bun.ts', 'bun.mjs');
    const report = await certifyServer(
      runtime(`${root}node_modules/bun/bin/bun.exe`, [entry]),
      { host: fetchHost, probes: 'remote', driver: (url) => new FetchHttpDriver(url as string) },
    );
    expectCertified(report, 70);
  }, 180_000);

  it('FETCH-1: the fetch host on Deno passes', async () => {
    const entry = await bundle('deno.ts', 'deno.mjs');
    const report = await certifyServer(
      runtime(`${root}node_modules/deno/deno`, ['run', '--allow-net=127.0.0.1', entry], { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(dir, 'deno-dir') }),
      // Deno drops empty field values before building the Request: requests with them are not
      // generated. Only the fixed checks and edge cases run here: about 1 generated request in
      // 300 gets a response from Deno whose end never comes (seen with POST, PATCH, OPTIONS,
      // REPORT and PROPFIND, small bodies, empty or short responses), not yet explained: the
      // same exchanges sent one by one complete.
      { host: fetchHost, probes: 'remote', runs: 0, driver: (url) => new FetchHttpDriver(url as string, { url: 'as-sent' }), requests: { method: { registered: true }, headers: { empty: false } } },
    );
    expectCertified(report, 70);
  }, 180_000);

  it('FETCH-1: the fetch host on workerd passes', async () => {
    await bundle('worker.ts', 'worker.mjs');
    // Loopback is a "local" address, which a Worker may not fetch by default: the probe app reports there.
    await writeFile(
      join(dir, 'workerd.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs")],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["enable_request_signal"],
  globalOutbound = "loopback",
);
`,
    );
    const report = await certifyServer(
      runtime(`${root}node_modules/workerd/bin/workerd`, ['serve', join(dir, 'workerd.capnp'), '--socket-addr', 'http=127.0.0.1:0', '--control-fd', '3']),
      // workerd decodes field values as UTF-8 (bytes 0x80-0xFF become U+FFFD) and drops empty
      // ones: requests with those are not generated.
      { host: fetchHost, probes: 'remote', driver: (url) => new FetchHttpDriver(url as string, { url: 'as-sent' }), requests: { method: { registered: true }, headers: { obsText: false, empty: false } } },
    );
    expectCertified(report, 60, {
      'ENV-22': 'workerd joins repeated Cookie fields with ", " (Fetch\'s rule), not "; "',
      'BODY-9': 'workerd tells a Worker that the client went away only when it next writes to it',
      'BODY-10': 'the same',
      'HOST-2': 'the same (client-disconnect)',
      'HOST-22': 'the same: request.signal does not abort while the response is idle',
      'HOST-24': 'the same',
    });
  }, 180_000);
});
