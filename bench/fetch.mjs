#!/usr/bin/env node
// bench: fetch — the per-request cost of toFetchHandler on Node, Bun and Deno, against a bare
// fetch handler that returns the same response and against the same app written in Hono,
// all measured in the same process per runtime; then 64 MiB (and 256 MiB) streamed through
// toFetchHandler while the resident set size is watched.
//
//   node bench/fetch.mjs            (needs `npm run build`; `npm run bench -- fetch` runs it too)
//   FETCH_BENCH_RUNTIMES=node,deno node bench/fetch.mjs
//
// Each runtime runs one bundled file (esbuild), so all three execute the same code.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { formatBytes, formatNumber, median, printTable } from './_lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 9;
const REQUESTS = 10_000;
const WARMUP = 5_000;
// 64 MiB as asked, and four times that: memory that stays flat does not grow with the size.
const STREAM_SIZES = [64 * 1024 * 1024, 256 * 1024 * 1024];
const CHUNK_BYTES = 64 * 1024;

/**
 * Per-request cost, run by each runtime. Serialised into the bundle, so it may use only its
 * arguments and what every runtime has (Request, Response, TextEncoder).
 */
async function overhead({ toFetchHandler, sendText, environFromRequest, EMPTY_INPUT, Hono, runs, requests, warmup, cpu }) {
  const text = 'Hello, world!';
  const bytes = new TextEncoder().encode(text);
  const headers = { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(bytes.length) };
  const url = 'http://bench.test/hello?x=1';

  // The same response three ways: a bare handler, a tsgi app, a Hono app; each routes
  // (or not) as its kind does and sends the same pre-encoded bytes with the same headers.
  const bare = () => new Response(bytes, { headers });
  const pairs = Object.entries(headers);
  const tsgi = toFetchHandler((environ, startResponse) => {
    if (environ.PATH_INFO !== '/hello') return sendText(startResponse, '404 Not Found', 'not found');
    startResponse('200 OK', pairs);
    return [bytes];
  });
  const hono = new Hono();
  hono.get('/hello', (c) => c.body(bytes, 200, headers));
  // Where tsgi's time goes: the bare handler plus what any host must do to build an environ,
  // first reading the URL and every header of the Request, then building the environ itself.
  const read = (request) => {
    const raw = [];
    request.headers.forEach((value, name) => raw.push(name, value));
    return [request.url, raw];
  };
  const readRequest = (request) => {
    read(request);
    return bare();
  };
  const noop = () => {};
  const lifecycle = { signal: undefined };
  const environ = (request) => {
    const [, raw] = read(request);
    environFromRequest({
      method: request.method, target: '/hello?x=1', rawHeaders: raw, protocol: 'HTTP/1.1', scheme: 'http', serverName: 'bench.test',
      serverPort: '80', input: EMPTY_INPUT, errors: console, lifecycle, waitUntil: noop, multithread: true, multiprocess: true, runOnce: false,
    });
    return bare();
  };
  const contenders = { bare, tsgi, hono: hono.fetch, readRequest, environ };

  // CPU time of the process, not wall time: on a shared machine the wall clock also counts
  // the time other processes had the core. It includes the runtime's GC threads.
  async function loop(handler, n) {
    const start = cpu();
    for (let i = 0; i < n; i++) {
      const response = await handler(new Request(url));
      await response.arrayBuffer();
    }
    return (cpu() - start) / n;
  }

  for (const [name, handler] of Object.entries(contenders)) {
    const response = await handler(new Request(url));
    const body = await response.text();
    if (response.status !== 200 || body !== text) throw new Error(`${name} answered ${response.status} ${body}`);
    await loop(handler, warmup);
  }
  const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  // Interleaved, so that drift (JIT, GC, a busy neighbour) hits all three alike.
  for (let run = 0; run < runs; run++) {
    for (const [name, handler] of Object.entries(contenders)) samples[name].push(await loop(handler, requests));
  }
  return samples;
}

/**
 * Streams `streamBytes` through toFetchHandler in fresh chunks (a reused chunk would hide
 * buffering), read as they come, in its own process. RSS is sampled as it goes, and after a
 * forced GC every 4 MiB: what is still held then is what the host keeps.
 */
async function streaming({ toFetchHandler, streamBytes, chunkBytes, gc, rss }) {
  const chunks = streamBytes / chunkBytes;
  const handler = toFetchHandler((_environ, startResponse) => {
    startResponse('200 OK', [['content-type', 'application/octet-stream']]);
    return (function* () {
      for (let i = 0; i < chunks; i++) yield new Uint8Array(chunkBytes).fill(i & 0xff);
    })();
  });
  gc();
  const before = rss();
  let peak = before;
  let retained = before;
  let received = 0;
  const response = await handler(new Request('http://bench.test/download'));
  const reader = response.body.getReader();
  for (let step = await reader.read(); !step.done; step = await reader.read()) {
    received += step.value.length;
    if (received % (1024 * 1024) === 0) peak = Math.max(peak, rss());
    if (received % (4 * 1024 * 1024) === 0) {
      gc();
      retained = Math.max(retained, rss());
    }
  }
  if (received !== streamBytes) throw new Error(`streamed ${received} of ${streamBytes} bytes`);
  return { before, peak, retained, received };
}

const entry = `
import { toFetchHandler } from '@tsgi/adapters/fetch';
import { EMPTY_INPUT, environFromRequest, sendText } from '@tsgi/interface';
import { Hono } from 'hono';
const runtime = typeof Deno !== 'undefined' ? 'deno' : typeof Bun !== 'undefined' ? 'bun' : 'node';
const [mode, size] = runtime === 'deno' ? Deno.args : process.argv.slice(2);
const gc = runtime === 'bun' ? () => Bun.gc(true) : () => globalThis.gc();
const rss = runtime === 'deno' ? () => Deno.memoryUsage().rss : () => process.memoryUsage().rss;
// User + system CPU time in ns; Node, Bun and Deno all provide process.cpuUsage().
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
};
const work = mode === 'streaming' ? (${streaming.toString()}) : (${overhead.toString()});
const result = await work({
  toFetchHandler, sendText, environFromRequest, EMPTY_INPUT, Hono, gc, rss, cpu,
  runs: ${RUNS}, requests: ${REQUESTS}, warmup: ${WARMUP}, streamBytes: Number(size), chunkBytes: ${CHUNK_BYTES},
});
console.log(JSON.stringify(result));
`;

const RUNTIMES = {
  node: [process.execPath, ['--expose-gc']],
  bun: [join(root, 'node_modules/bun/bin/bun.exe'), ['run']],
  deno: [join(root, 'node_modules/deno/deno'), ['run', '--v8-flags=--expose-gc', '--allow-env', '--allow-sys']],
};

if (!existsSync(join(root, 'packages/adapters/dist/fetch/index.js'))) {
  console.error('bench/fetch.mjs needs the built packages: run `npm run build` first');
  process.exit(2);
}
const wanted = (process.env.FETCH_BENCH_RUNTIMES ?? 'node,bun,deno').split(',');
const dir = mkdtempSync(join(tmpdir(), 'tsgi-bench-fetch-'));
const bundle = join(dir, 'workload.mjs');
let failed = 0;
try {
  await build({
    stdin: { contents: entry, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    outfile: bundle,
    logLevel: 'error',
  });
  const rows = [];
  const parts = [];
  const memory = [];
  const run = (name, mode, size = 0) => {
    const [command, args] = RUNTIMES[name];
    const child = spawnSync(command, [...args, bundle, mode, String(size)], {
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(dir, 'deno-dir') },
    });
    const line = child.stdout?.split('\n').find((l) => l.startsWith('{'));
    if (child.status === 0 && line) return JSON.parse(line);
    failed++;
    console.log(`${name} ${mode}: failed (${child.error?.message ?? `exit ${child.status}`})\n${child.stderr}`);
    return undefined;
  };
  for (const name of wanted) {
    const [command] = RUNTIMES[name] ?? [];
    if (!command || !existsSync(command)) {
      console.log(`${name}: not installed, skipped`);
      continue;
    }
    const samples = run(name, 'overhead');
    if (samples) {
      const bare = median(samples.bare);
      const tsgi = median(samples.tsgi);
      const hono = median(samples.hono);
      rows.push([name, formatNumber(bare), formatNumber(tsgi), formatNumber(hono), `${(tsgi / bare).toFixed(2)}x`, `${(tsgi / hono).toFixed(2)}x`]);
      const read = median(samples.readRequest);
      const environ = median(samples.environ);
      parts.push([name, formatNumber(read - bare), formatNumber(environ - read), formatNumber(tsgi - environ), formatNumber(tsgi - bare)]);
    }
    for (const size of STREAM_SIZES) {
      const stream = run(name, 'streaming', size);
      if (!stream) continue;
      const { before, peak, retained, received } = stream;
      memory.push([name, formatBytes(received), formatBytes(before), formatBytes(peak - before), formatBytes(retained - before)]);
    }
  }
  console.log(`\nCPU time per request, in process (new Request → handler → arrayBuffer), median of ${RUNS} runs of ${formatNumber(REQUESTS)} requests, ns:\n`);
  printTable(['runtime', 'bare fetch', 'tsgi toFetchHandler', 'Hono', 'tsgi / bare', 'tsgi / Hono'], rows);
  console.log(`\nWhere tsgi's time over the bare handler goes, ns (differences of the medians above and of two more contenders: the bare handler after reading request.url and every header, and after also building the environ):\n`);
  printTable(['runtime', 'reading the Request', 'building the environ', 'exchange and Response', 'total over bare'], parts);
  console.log(`\nStreaming through toFetchHandler in ${formatBytes(CHUNK_BYTES)} chunks, read as they come; resident set size:\n`);
  printTable(['runtime', 'streamed', 'RSS before', 'peak growth', 'growth after GC'], memory);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
