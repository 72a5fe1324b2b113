#!/usr/bin/env node
// bench: prefork — the pre-fork host (`tsgi serve`) under load, against one worker and
// against a plain node:cluster server running the same app through the Node host:
//
//   throughput   req/s of N workers / 1 worker / node:cluster (N workers), keep-alive and not
//   cpu          CPU time per request of tsgi serve and node:cluster, master included
//   reuse-port   one shared socket vs an SO_REUSEPORT socket per worker (Node 22.12+/23.1+)
//   reload       BENCH_RELOADS HUP reloads under steady load, keep-alive and not: failures,
//                and answers from old code to requests sent after a reload completed
//   term         SIGTERM with 5 s requests in flight: completed, reset, refused
//   kill         SIGKILL of a worker under load: failed requests, time to a serving replacement
//   hung         a worker whose event loop blocks: time to kill and replace; a master
//                stopped (SIGSTOP) for longer than --timeout: healthy workers killed
//   spread       p95 of fast requests while one worker is pinned by a CPU-bound request
//
//   node bench/prefork.mjs                      (needs `npm run build`)
//   PREFORK_BENCH=throughput,spread node bench/prefork.mjs
//   BENCH_NODE=/path/to/node22 BENCH_WORKERS=16 BENCH_SECONDS=10 BENCH_RUNS=5 node bench/prefork.mjs
//
// Every wait is bounded; every process it starts is stopped by pid.
import { spawn } from 'node:child_process';
import cluster from 'node:cluster';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadTool } from './_lib/load.mjs';
import { formatNumber, median, printTable } from './_lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TSGI = join(root, 'packages/adapters/dist/cli/tsgi.js');
const NODE = process.env.BENCH_NODE ?? process.execPath;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WORKERS = Number(process.env.BENCH_WORKERS ?? Math.max(2, availableParallelism()));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const RELOADS = Number(process.env.BENCH_RELOADS ?? 10);
const SECTIONS = (process.env.PREFORK_BENCH ?? 'throughput,cpu,reuse-port,reload,term,kill,hung,spread').split(',');

/** The app every server runs: plain JavaScript, so that workers boot without a loader. */
function appSource(version) {
  return `
const encoder = new TextEncoder();
const VERSION = ${JSON.stringify(version)};
export default async function app(environ, startResponse) {
  const path = environ.PATH_INFO;
  const ms = Number(new URLSearchParams(environ.QUERY_STRING).get('ms') ?? 0);
  if (path === '/slow') await new Promise((resolve) => setTimeout(resolve, ms));
  if (path === '/spin') { const end = Date.now() + ms; while (Date.now() < end); }
  if (path === '/block') for (;;);
  const body = encoder.encode(VERSION + ' ' + process.pid);
  startResponse('200 OK', [['content-type', 'text/plain'], ['content-length', String(body.length)]]);
  return [body];
}
`;
}

// --- the node:cluster baseline: this file, run as `prefork.mjs --cluster APP N` ----------
if (process.argv[2] === '--cluster') {
  const [, , , app, workers] = process.argv;
  if (cluster.isPrimary) {
    let listening = 0;
    for (let i = 0; i < Number(workers); i++) cluster.fork();
    cluster.on('listening', (_worker, address) => {
      if (++listening === Number(workers)) process.stdout.write(`ready: ${workers} workers serving http://127.0.0.1:${address.port}\n`);
    });
    process.on('SIGTERM', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
      process.exit(0);
    });
  } else {
    const { toNodeHandler } = await import(pathToFileURL(join(root, 'packages/adapters/dist/node/index.js')).href);
    const { default: handler } = await import(pathToFileURL(app).href);
    http.createServer(toNodeHandler(handler)).listen(Number(process.env.CLUSTER_PORT), '127.0.0.1');
  }
}

// --- processes ------------------------------------------------------------------------------

/** Every server process started, so that none outlives the bench whatever happens. */
const started = new Set();
process.on('exit', () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts a server process; resolves once it printed `ready: ... serving URL`. */
function startServer(args, { cluster: isCluster = false, env = {} } = {}) {
  const child = spawn(NODE, isCluster ? [fileURLToPath(import.meta.url), '--cluster', ...args] : [TSGI, 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  started.add(child);
  const lines = [];
  const waiters = new Set();
  const onData = (chunk) => {
    for (const line of chunk.toString().split('\n')) if (line) lines.push({ at: performance.now(), line });
    for (const waiter of waiters) waiter();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const server = {
    pid: child.pid,
    lines,
    exited,
    /** Resolves with { at, match } of the first line after `from` that matches. */
    waitFor(pattern, timeoutMs = 30_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (let i = from; i < lines.length; i++) {
            const match = pattern.exec(lines[i].line);
            if (match) {
              cleanup();
              return resolve({ at: lines[i].at, match, index: i });
            }
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}:\n${lines.map((l) => l.line).join('\n')}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    signal: (signal) => child.exitCode === null && child.signalCode === null && child.kill(signal),
    async stop() {
      server.signal('SIGTERM');
      const timer = setTimeout(() => server.signal('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return server.waitFor(/serving (http:\/\/\S+)/, 60_000).then(({ match }) => Object.assign(server, { url: match[1].replace(/,$/, '') }));
}

// --- load --------------------------------------------------------------------------------------

/** Runs wrk (or autocannon) without blocking this event loop; resolves with its figures. */
function load({ url, connections = CONNECTIONS, seconds = SECONDS, close = false }) {
  if (loadTool() === 'autocannon') {
    return import('autocannon').then(({ default: run }) =>
      run({ url, connections, duration: seconds, headers: close ? { connection: 'close' } : {} }).then((r) => ({
        rps: r.requests.average,
        requests: r.requests.total,
        bad: r.non2xx,
        errors: r.errors + r.timeouts,
        p95: r.latency.p97_5,
      })),
    );
  }
  const args = ['-t', '1', '-c', String(connections), '-d', `${seconds}s`, '--latency', ...(close ? ['-H', 'Connection: close'] : []), url];
  return new Promise((resolve, reject) => {
    const wrk = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    wrk.stdout.on('data', (c) => (out += c));
    wrk.stderr.on('data', (c) => (out += c));
    wrk.on('exit', () => {
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      if (!Number.isFinite(rps)) return reject(new Error(`wrk gave no result:\n${out}`));
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      resolve({
        rps,
        requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
        bad: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
        errors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
        socketErrors: socket?.[0],
        p95: /95%\s+(\S+)/.exec(out)?.[1],
      });
    });
  });
}

function get(url, agent = false) {
  const sentAt = performance.now();
  return new Promise((resolve) => {
    const request = http.get(url, { agent }, (response) => {
      let body = '';
      response.on('data', (c) => (body += c));
      response.on('end', () => resolve({ sentAt, at: performance.now(), status: response.statusCode, body }));
      response.on('error', (error) => resolve({ sentAt, at: performance.now(), error: error.code ?? error.message }));
    });
    request.setTimeout(30_000, () => request.destroy(new Error('timeout')));
    request.on('error', (error) => resolve({ sentAt, at: performance.now(), error: error.code ?? error.message }));
  });
}

/** Requests in a loop on `concurrency` connections, recording every answer, until stopped. */
function checker(url, { concurrency = 4, keepAlive = false } = {}) {
  const agent = keepAlive ? new http.Agent({ keepAlive: true, maxSockets: concurrency }) : false;
  const results = [];
  let running = true;
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) results.push(await get(url, agent));
  });
  return {
    results,
    async stop() {
      running = false;
      await Promise.all(loops);
      if (agent) agent.destroy();
      return results;
    },
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// --- sections ----------------------------------------------------------------------------------

async function throughput(appPath) {
  console.log(`\n## throughput: ${WORKERS} workers vs 1 worker vs node:cluster (${WORKERS} workers), ${CONNECTIONS} connections, ${RUNS} × ${SECONDS} s, medians`);
  const one = await startServer([appPath, '-w', '1', '-b', '127.0.0.1:0']);
  const many = await startServer([appPath, '-w', String(WORKERS), '-b', '127.0.0.1:0']);
  const plain = await startServer([appPath, String(WORKERS)], { cluster: true, env: { CLUSTER_PORT: '0' } });
  const rows = [];
  try {
    for (const server of [one, many, plain]) await load({ url: server.url, seconds: 1 });
    for (const close of [false, true]) {
      const figures = { one: [], many: [], plain: [] };
      // Interleaved, so that a noisy neighbour hurts all three alike.
      for (let run = 0; run < RUNS; run++) {
        figures.one.push((await load({ url: one.url, close })).rps);
        figures.many.push((await load({ url: many.url, close })).rps);
        figures.plain.push((await load({ url: plain.url, close })).rps);
      }
      const base = median(figures.one);
      const label = close ? 'new connection each' : 'keep-alive';
      rows.push(
        [`${label}: tsgi serve -w 1`, formatNumber(base), '1.00', '', ''],
        [`${label}: tsgi serve -w ${WORKERS}`, formatNumber(median(figures.many)), (median(figures.many) / base).toFixed(2), (median(figures.many) / base / WORKERS).toFixed(2), (median(figures.many) / median(figures.plain)).toFixed(2)],
        [`${label}: node:cluster, ${WORKERS} workers`, formatNumber(median(figures.plain)), (median(figures.plain) / base).toFixed(2), (median(figures.plain) / base / WORKERS).toFixed(2), '1.00'],
      );
    }
  } finally {
    await Promise.all([one.stop(), many.stop(), plain.stop()]);
  }
  printTable(['server', 'req/s', '× 1 worker', `÷ (${WORKERS} × 1 worker)`, '÷ node:cluster'], rows);
  console.log(`cores here: ${availableParallelism()}; the load generator runs on the same machine`);
}

/** CPU seconds (user + system) used so far by `pid` and, separately, by its descendants (Linux /proc). */
function cpuSeconds(pid) {
  const ticks = 100; // USER_HZ, 100 on every Linux Node supports
  const stats = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / ticks });
    } catch {
      // The process ended while we looked.
    }
  }
  let children = 0;
  const pending = [pid];
  while (pending.length) {
    const parent = pending.pop();
    for (const [child, stat] of stats) {
      if (stat.ppid === parent) {
        children += stat.cpu;
        pending.push(child);
      }
    }
  }
  return { own: stats.get(pid)?.cpu ?? 0, children };
}

async function cpu(appPath) {
  console.log(`\n## cpu: CPU time per request (all processes of the server), 1 worker each, ${CONNECTIONS} keep-alive connections, ${RUNS} × ${SECONDS} s, medians — a figure that a busy machine disturbs far less than req/s`);
  if (!existsSync('/proc/self/stat')) {
    console.log('skipped: needs Linux /proc');
    return;
  }
  const tsgi = await startServer([appPath, '-w', '1', '-b', '127.0.0.1:0']);
  const plain = await startServer([appPath, '1'], { cluster: true, env: { CLUSTER_PORT: '0' } });
  const figures = { tsgi: [], plain: [], tsgiMaster: [], plainMaster: [] };
  try {
    for (const server of [tsgi, plain]) await load({ url: server.url, seconds: 1 });
    for (let run = 0; run < RUNS; run++) {
      for (const [name, server] of [['tsgi', tsgi], ['plain', plain]]) {
        const before = cpuSeconds(server.pid);
        const result = await load({ url: server.url });
        const after = cpuSeconds(server.pid);
        figures[name].push(((after.own + after.children - before.own - before.children) / result.requests) * 1e6);
        figures[`${name}Master`].push(((after.own - before.own) / result.requests) * 1e6);
      }
    }
  } finally {
    await Promise.all([tsgi.stop(), plain.stop()]);
  }
  printTable(
    ['server', 'CPU µs / request', 'of which the master', '÷ node:cluster'],
    [
      ['tsgi serve -w 1', median(figures.tsgi).toFixed(1), median(figures.tsgiMaster).toFixed(2), (median(figures.tsgi) / median(figures.plain)).toFixed(2)],
      ['node:cluster, 1 worker', median(figures.plain).toFixed(1), median(figures.plainMaster).toFixed(2), '1.00'],
    ],
  );
}

async function reusePort(appPath, dir) {
  const [major, minor] = (await nodeVersion()).split('.').map(Number);
  console.log(`\n## reuse-port: one shared socket vs one SO_REUSEPORT socket per worker (${WORKERS} workers, ${RUNS} runs, medians)`);
  if (!(major >= 24 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12))) {
    console.log(`skipped: Node ${major}.${minor} has no reusePort (22.12+, 23.1+); set BENCH_NODE to a newer node`);
    return;
  }
  const rows = [];
  const modes = [['shared socket', []], ['reuse-port', ['--reuse-port']]];
  const figures = {};
  for (const [name, flags] of modes) {
    const reloadApp = join(dir, `reload-${flags.length}.mjs`);
    writeFileSync(reloadApp, appSource('v0'));
    const server = await startServer([reloadApp, '-w', String(WORKERS), '-b', '127.0.0.1:0', '--graceful-timeout', '10', ...flags]);
    try {
      const keep = [];
      const close = [];
      for (let run = 0; run < RUNS; run++) {
        keep.push((await load({ url: server.url })).rps);
        close.push((await load({ url: server.url, close: true })).rps);
      }
      const spreadFigures = await measureSpread(server, 200);
      const reloads = await measureReloads(server, reloadApp, 3);
      figures[name] = { keep: median(keep), close: median(close), spread: spreadFigures.pinned / spreadFigures.idle, reloads };
    } finally {
      await server.stop();
    }
  }
  for (const [name] of modes) {
    const f = figures[name];
    const failures = f.reloads.keep.errors + f.reloads.close.errors + f.reloads.keep.bad + f.reloads.close.bad + f.reloads.failed.length;
    rows.push([name, formatNumber(f.keep), formatNumber(f.close), f.spread.toFixed(2), failures]);
  }
  printTable(['sockets', 'keep-alive req/s', 'new-connection req/s', 'p95 pinned ÷ idle', 'failed requests over 3 reloads'], rows);
}

function nodeVersion() {
  return new Promise((resolve) => {
    const child = spawn(NODE, ['-p', 'process.versions.node'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', () => resolve(out.trim()));
  });
}

/** HUP reloads under steady load (wrk keep-alive and close, plus recording checkers). */
async function measureReloads(server, appPath, count) {
  const loadSeconds = Math.ceil(count * 2.5 + 2);
  const loads = [load({ url: server.url, connections: CONNECTIONS / 2, seconds: loadSeconds }), load({ url: server.url, connections: 8, seconds: loadSeconds, close: true })];
  const checks = [checker(server.url, { concurrency: 2 }), checker(server.url, { concurrency: 2, keepAlive: true })];
  const completed = [];
  const durations = [];
  let keep;
  let close;
  let results;
  try {
    await sleep(1000);
    for (let i = 1; i <= count; i++) {
      writeFileSync(appPath, appSource(`v${i}`));
      const from = server.lines.length;
      const sent = performance.now();
      server.signal('SIGHUP');
      const done = await server.waitFor(/reload complete/, 60_000, from);
      durations.push(done.at - sent);
      completed.push({ version: i, at: done.at });
      await sleep(500);
    }
  } finally {
    [keep, close] = await Promise.all(loads);
    results = (await Promise.all(checks.map((c) => c.stop()))).flat();
  }
  // An answer from old code to a request sent after the reload that replaced it completed.
  const versionOf = (text) => Number(/^v(\d+) /.exec(text)?.[1] ?? -1);
  const stale = results.filter((r) => {
    const last = completed.filter((c) => c.at < r.sentAt).at(-1);
    return last && !r.error && versionOf(r.body) < last.version;
  });
  const failed = results.filter((r) => r.error || r.status !== 200);
  return { keep, close, results, failed, stale, durations };
}

async function reload(dir) {
  const appPath = join(dir, 'reload.mjs');
  writeFileSync(appPath, appSource('v0'));
  console.log(`\n## reload: ${RELOADS} HUP reloads under steady load (${WORKERS} workers; wrk keep-alive and Connection: close, plus checkers recording every answer)`);
  const server = await startServer([appPath, '-w', String(WORKERS), '-b', '127.0.0.1:0', '--graceful-timeout', '10']);
  let figures;
  try {
    figures = await measureReloads(server, appPath, RELOADS);
  } finally {
    await server.stop();
  }
  const { keep, close, results, failed, stale, durations } = figures;
  printTable(
    ['load', 'requests', 'non-2xx', 'socket errors'],
    [
      ['wrk keep-alive', formatNumber(keep.requests), keep.bad, keep.errors],
      ['wrk Connection: close', formatNumber(close.requests), close.bad, close.errors],
      ['checkers (keep-alive and not)', formatNumber(results.length), failed.filter((r) => !r.error).length, failed.filter((r) => r.error).length],
    ],
  );
  console.log(`answers from old code to requests sent after their reload completed: ${stale.length}`);
  console.log(`reload duration (HUP to the last old worker gone): median ${seconds(median(durations))}, max ${seconds(Math.max(...durations))}`);
}

async function term(appPath) {
  const inFlight = Math.min(64, CONNECTIONS);
  console.log(`\n## term: SIGTERM with ${inFlight} requests of 5 s in flight (${WORKERS} workers, --graceful-timeout 30)`);
  const server = await startServer([appPath, '-w', String(WORKERS), '-b', '127.0.0.1:0', '--graceful-timeout', '30']);
  let sent;
  let late;
  let results;
  let code;
  try {
    const slow = Array.from({ length: inFlight }, () => get(`${server.url}/slow?ms=5000`));
    await sleep(1000);
    sent = performance.now();
    server.signal('SIGTERM');
    await sleep(200);
    late = await get(`${server.url}/`);
    results = await Promise.all(slow);
    code = await server.exited;
  } finally {
    await server.stop();
  }
  const ok = results.filter((r) => r.status === 200).length;
  const resets = results.filter((r) => r.error).map((r) => r.error);
  printTable(
    ['requests in flight', 'completed 200', 'reset or failed', 'new connection after TERM', 'master exit', 'TERM to exit'],
    [[inFlight, ok, resets.length, late.error ?? `status ${late.status}`, code, seconds(performance.now() - sent)]],
  );
}

async function kill(appPath) {
  console.log(`\n## kill: SIGKILL of one worker under load (${WORKERS} workers, checkers on 16 connections, no keep-alive)`);
  const server = await startServer([appPath, '-w', String(WORKERS), '-b', '127.0.0.1:0', '--log-level', 'debug']);
  const check = checker(`${server.url}/slow?ms=20`, { concurrency: 16 });
  let killedAt;
  let started;
  let ready;
  let results;
  try {
    await sleep(1000);
    const victim = Number(server.lines.map((l) => /started worker (\d+)/.exec(l.line)?.[1]).find(Boolean));
    const from = server.lines.length;
    killedAt = performance.now();
    process.kill(victim, 'SIGKILL');
    started = await server.waitFor(/started worker (\d+)/, 30_000, from);
    ready = await server.waitFor(/\) ready/, 30_000, started.index);
    await sleep(1000);
  } finally {
    results = await check.stop();
    await server.stop();
  }
  const failed = results.filter((r) => r.error || r.status !== 200);
  printTable(
    ['requests', 'failed', 'kill to new worker started', 'its boot (start to ready)', 'kill to replacement ready'],
    [[results.length, failed.length, seconds(started.at - killedAt), seconds(ready.at - started.at), seconds(ready.at - killedAt)]],
  );
  console.log(`failed requests are those the killed worker held (at most the 16 in flight): ${failed.map((r) => r.error ?? r.status).join(', ') || 'none'}`);
}

async function hung(appPath) {
  const timeout = 2;
  console.log(`\n## hung: a worker whose event loop blocks forever (--timeout ${timeout}); a master stopped for ${2 * timeout + 1} s`);
  const server = await startServer([appPath, '-w', String(WORKERS), '-b', '127.0.0.1:0', '--timeout', String(timeout), '--log-level', 'debug']);
  let blockedAt;
  let killed;
  let ready;
  let wrongKills;
  let answered;
  try {
    const from = server.lines.length;
    blockedAt = performance.now();
    void get(`${server.url}/block`);
    killed = await server.waitFor(/sent no heartbeat .* killing it/, 30_000, from);
    ready = await server.waitFor(/\) ready/, 30_000, killed.index);
    await sleep(1500);
    const beforeStop = server.lines.length;
    server.signal('SIGSTOP');
    await sleep((2 * timeout + 1) * 1000);
    server.signal('SIGCONT');
    await sleep(2 * timeout * 1000);
    wrongKills = server.lines.slice(beforeStop).filter((l) => /killing it/.test(l.line)).length;
    answered = await get(`${server.url}/`);
  } finally {
    server.signal('SIGCONT');
    await server.stop();
  }
  printTable(
    ['block to kill', `limit (--timeout + 1 s)`, 'block to replacement ready', 'healthy workers killed after SIGSTOP/SIGCONT', 'answers after'],
    [[seconds(killed.at - blockedAt), seconds((timeout + 1) * 1000), seconds(ready.at - blockedAt), wrongKills, answered.status ?? answered.error]],
  );
}

/** p95 of fast requests (new connection each, 4 at a time), idle and with one worker pinned. */
async function measureSpread(server, samples = 400) {
  async function sample() {
    const latencies = [];
    let failures = 0;
    const loops = Array.from({ length: 4 }, async () => {
      while (latencies.length + failures < samples) {
        const r = await get(`${server.url}/`);
        if (r.error || r.status !== 200) failures++;
        else latencies.push(r.at - r.sentAt);
      }
    });
    await Promise.all(loops);
    return percentile(latencies, 95);
  }
  const idle = [];
  const pinned = [];
  for (let run = 0; run < RUNS; run++) {
    idle.push(await sample());
    let pinning = true;
    // Keep one worker busy: a new 1.5 s spin starts as soon as the last one answers.
    const pin = (async () => {
      while (pinning) await get(`${server.url}/spin?ms=1500`);
    })();
    await sleep(100);
    pinned.push(await sample());
    pinning = false;
    await pin;
  }
  return { idle: median(idle), pinned: median(pinned) };
}

async function spread(appPath) {
  console.log(`\n## spread: p95 of fast requests (new connection each, 4 at a time, 400 requests) with one of ${WORKERS} workers pinned by a CPU-bound request, ${RUNS} runs, medians`);
  const server = await startServer([appPath, '-w', String(WORKERS), '-b', '127.0.0.1:0']);
  let figures;
  try {
    figures = await measureSpread(server);
  } finally {
    await server.stop();
  }
  printTable(
    ['state', 'p95 (ms)', '÷ idle'],
    [
      ['idle', figures.idle.toFixed(2), '1.00'],
      ['one worker pinned', figures.pinned.toFixed(2), (figures.pinned / figures.idle).toFixed(2)],
    ],
  );
}

async function main() {
  if (!existsSync(TSGI)) {
    console.error(`bench prefork: ${TSGI} is missing; run \`npm run build\` first`);
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'tsgi-bench-prefork-'));
  const appPath = join(dir, 'app.mjs');
  writeFileSync(appPath, appSource('v1'));
  console.log(`prefork bench: Node ${await nodeVersion()} (${NODE}), ${availableParallelism()} cores, load by ${loadTool()}`);
  const sections = { throughput, cpu, 'reuse-port': () => reusePort(appPath, dir), reload: () => reload(dir), term, kill, hung, spread };
  let failed = 0;
  try {
    for (const name of SECTIONS) {
      if (!sections[name]) {
        console.error(`unknown section ${name}; known: ${Object.keys(sections).join(', ')}`);
        failed++;
        continue;
      }
      try {
        await sections[name](appPath);
      } catch (error) {
        failed++;
        console.error(`section ${name} failed: ${error.stack ?? error}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[2] !== '--cluster') await main();
