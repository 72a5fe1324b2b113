#!/usr/bin/env node
// bench: middleware — what the standard middleware costs per request, and whether streamed
// responses keep memory flat.
//
// 1. Throughput of the flagship API on the Node host, GET /add?a=5&b=6 (a small JSON
//    response, below the compression threshold): bare, with the standard stack (proxy
//    headers + compression + access log + error pages), and with the flagship's full stack.
//    Each server runs in its own process and is put under load alone, bare and the
//    variants in turn, round after round (BENCH_PAIRED=1: each variant at the same time as
//    bare instead, which cancels slow drift in the machine's load but lets the two servers
//    crowd each other: on two cores its single rounds strayed twice as far); the table
//    shows medians of requests per second and of server CPU time per request, and the cost
//    as throughput at full CPU (1 / CPU per request) relative to bare in the same round,
//    with the range over rounds. The controls bareAgain and passThrough show the noise: on
//    a shared 2-core machine single rounds stray by up to about 30% either way.
//    standardHostProxies is the standard stack with the proxy headers applied by the host
//    (its trustedProxies option) instead of proxyHeaders().
// 2. A 1 GiB file served by staticFiles, as is and through compression (gzip), while the
//    server's resident set size is sampled: the growth over the idle server must stay small.
//
//   node bench/middleware.mjs        (needs `npm run build`; `npm run bench -- middleware` too)
//   BENCH_ROUNDS=3 BENCH_SECONDS=2 node bench/middleware.mjs
//   BENCH_SECTIONS=throughput BENCH_VARIANTS=proxyHeaders,accessLog,errorPages,compression node bench/middleware.mjs
//   BENCH_SECTIONS=throughput BENCH_VARIANTS=bareAgain,standard,standardHostProxies node bench/middleware.mjs
import { closeSync, mkdtempSync, openSync, ftruncateSync, rmSync, createWriteStream } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startChildServer } from './_lib/child-server.mjs';
import { loadTool, measure } from './_lib/load.mjs';
import { sampleRss, rssOf } from './_lib/rss.mjs';
import { readFileSync } from 'node:fs';
import { formatBytes, formatNumber, median, printTable } from './_lib/stats.mjs';

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CONNECTIONS = 32;
// BENCH_PAIRED=1: each variant under load at the same time as bare, instead of one at a time.
const PAIRED = process.env.BENCH_PAIRED === '1';
const FILE_BYTES = 1024 ** 3;
const RSS_LIMIT = 32 * 1024 ** 2;

/** Child mode: `node --import tsx bench/middleware.mjs --serve VARIANT [ROOT]`. */
async function serveVariant(variant, fileRoot) {
  const { serve } = await import('@tsgi/adapters/node');
  const { compose, notFoundApp } = await import('@tsgi/interface');
  const { proxyHeaders, compression, accessLog, errorPages } = await import('@tsgi/interface/middleware');
  const { staticFiles } = await import('@tsgi/interface/static');
  const { createApi } = await import(pathToFileURL(join(root, 'examples/flagship/api.ts')).href);
  const { createApp } = await import(pathToFileURL(join(root, 'examples/flagship/app.ts')).href);
  // An access log goes to a file, written in blocks as servers write logs (not one write
  // per line); /dev/null keeps the cost of the writes without filling the disk.
  const log = createWriteStream('/dev/null');
  let pending = '';
  const flush = () => {
    if (pending) log.write(pending);
    pending = '';
  };
  setInterval(flush, 100).unref();
  const write = (line) => {
    pending += `${line}\n`;
    if (pending.length > 64 * 1024) flush();
  };
  const standard = compose(proxyHeaders(), accessLog({ write }), errorPages(), compression());
  // The same stack with the proxy headers applied by the host (its trustedProxies option)
  // instead of the proxyHeaders() middleware.
  const hostProxies = compose(accessLog({ write }), errorPages(), compression());
  const apps = {
    bare: () => createApi(),
    standard: () => standard(createApi()),
    standardHostProxies: () => hostProxies(createApi()),
    // Each middleware of the standard stack alone, to see where the stack's cost goes.
    proxyHeaders: () => proxyHeaders()(createApi()),
    accessLog: () => accessLog({ write })(createApi()),
    errorPages: () => errorPages()(createApi()),
    // The access log with a sink that drops its lines: the middleware without the writing.
    accessLogQuiet: () => accessLog({ write: () => {} })(createApi()),
    compression: () => compression()(createApi()),
    // Controls, which should cost nothing: the bare API again (an A/A pair), and a
    // middleware that only calls the app. Their spread is the noise of the measurement.
    bareAgain: () => createApi(),
    passThrough: () => ((app) => (environ, startResponse) => app(environ, startResponse))(createApi()),
    flagship: () => createApp({ accessLog: { write } }),
    files: () => compression()(staticFiles({ root: fileRoot, ...(process.env.BENCH_CHUNK ? { chunkSize: Number(process.env.BENCH_CHUNK) } : {}) })(notFoundApp)),
  };
  const trustedProxies = variant === 'standardHostProxies' ? ['loopback'] : undefined;
  const server = await serve(apps[variant](), { host: '127.0.0.1', port: 0, trustedProxies });
  console.log(JSON.stringify({ url: server.url }));
  process.on('SIGTERM', () => server.close({ timeout: 1000 }).then(() => process.exit(0)));
}

/**
 * CPU seconds `pid` has used (user + system), from /proc (Linux). Requests per CPU second is
 * what decides throughput once the server is busy, and unlike requests per wall second it
 * barely moves when other processes share the cores.
 */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // Fields 14 and 15 of stat(5), utime and stime, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Downloads `url` and throws the bytes away; resolves to the body size. */
function drain(url, headers) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode, bytes, encoding: res.headers['content-encoding'] }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function throughput() {
  // BENCH_VARIANTS=bare,proxyHeaders,accessLog,errorPages,compression: the standard stack's
  // middleware one by one (bare is always measured: the ratios are to it); bareAgain and
  // passThrough are controls.
  const variants = ['bare', ...(process.env.BENCH_VARIANTS ?? 'standard,flagship').split(',').filter((v) => v && v !== 'bare')];
  const servers = {};
  for (const variant of variants) {
    servers[variant] = await startChildServer(here, ['--serve', variant], { nodeArgs: ['--import', 'tsx'] });
  }
  const rps = Object.fromEntries(variants.map((v) => [v, []]));
  const cpu = Object.fromEntries(variants.map((v) => [v, []]));
  const ratios = Object.fromEntries(variants.map((v) => [v, []]));
  try {
    for (const variant of variants) {
      await measure({ url: `${servers[variant].url}/add?a=5&b=6`, connections: CONNECTIONS, seconds: 1, headers: { 'accept-encoding': 'gzip' } });
    }
    const load = (variant) => {
      const cpuBefore = cpuSeconds(servers[variant].pid);
      return measure({
        url: `${servers[variant].url}/add?a=5&b=6`,
        connections: CONNECTIONS,
        seconds: SECONDS,
        headers: { 'accept-encoding': 'gzip', 'x-forwarded-for': '203.0.113.9' },
      }).then((result) => {
        if (result.bad) throw new Error(`${variant}: ${result.bad} responses were not 2xx`);
        rps[variant].push(result.rps);
        // Microseconds of server CPU per request.
        const perRequest = ((cpuSeconds(servers[variant].pid) - cpuBefore) * 1e6) / (result.rps * SECONDS);
        cpu[variant].push(perRequest);
        return perRequest;
      });
    };
    for (let round = 0; round < ROUNDS; round++) {
      if (PAIRED) {
        // Bare and each variant under load at the same time: whatever else the machine does
        // in those seconds weighs on both alike.
        for (const variant of variants.slice(1)) {
          const [bare, other] = await Promise.all([load('bare'), load(variant)]);
          ratios[variant].push(bare / other);
        }
        ratios.bare.push(1);
        continue;
      }
      const order = round % 2 ? [...variants].reverse() : variants;
      const got = {};
      for (const variant of order) got[variant] = await load(variant);
      for (const variant of variants) ratios[variant].push(got.bare / got[variant]);
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
  console.log(
    `\nGET /add?a=5&b=6 on the Node host: ${loadTool()}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s, ${PAIRED ? 'each variant under load at the same time as bare' : 'one server at a time'}\n`,
  );
  printTable(
    ['variant', 'req/s (median)', 'server CPU µs/req (median)', 'throughput at full CPU, ratio to bare', 'cost', 'cost, per round'],
    variants.map((v) => {
      const ratio = median(ratios[v]);
      const costs = ratios[v].map((r) => (1 - r) * 100);
      const range = `${Math.min(...costs).toFixed(0)}% .. ${Math.max(...costs).toFixed(0)}%`;
      return [v, formatNumber(median(rps[v])), median(cpu[v]).toFixed(1), ratio.toFixed(3), `${((1 - ratio) * 100).toFixed(1)}%`, v === 'bare' ? '' : range];
    }),
  );
  if (!ratios.standard) return;
  const cost = 1 - median(ratios.standard);
  console.log(
    `\nthe standard stack costs ${(cost * 100).toFixed(1)}% of bare throughput (server CPU per request, median over ${PAIRED ? 'paired rounds' : 'rounds'}; target: under 20%)${cost < 0.2 ? '' : ' — OVER TARGET'}`,
  );
}

async function memory() {
  const dir = mkdtempSync(join(tmpdir(), 'tsgi-bench-files-'));
  // A sparse file: 1 GiB to read without using 1 GiB of disk. Its zeros compress fast, which
  // keeps the section short; memory, not the compression ratio, is what it measures.
  const fd = openSync(join(dir, 'big.txt'), 'w');
  ftruncateSync(fd, FILE_BYTES);
  closeSync(fd);
  const rows = [];
  try {
    for (const [name, headers] of [
      ['static file', {}],
      ['static file, gzip', { 'accept-encoding': 'gzip' }],
    ]) {
      // A fresh server for each, so that neither starts from a heap the other grew.
      const server = await startChildServer(here, ['--serve', 'files', dir], { nodeArgs: ['--import', 'tsx'] });
      try {
        await drain(`${server.url}/big.txt`, { ...headers, range: 'bytes=0-1048575' });
        const before = rssOf(server.pid);
        const sampler = sampleRss(server.pid);
        const started = performance.now();
        const result = await drain(`${server.url}/big.txt`, headers);
        const seconds = (performance.now() - started) / 1000;
        const peak = sampler.stop();
        if (result.status !== 200) throw new Error(`${name}: status ${result.status}`);
        const growth = peak - before;
        rows.push([name, formatBytes(result.bytes), `${(FILE_BYTES / 1024 ** 2 / seconds).toFixed(0)} MiB/s`, formatBytes(before), formatBytes(growth), growth < RSS_LIMIT ? 'ok' : 'OVER']);
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n1 GiB file through staticFiles (and compression) on the Node host; server RSS sampled every 20 ms\n`);
  printTable(['response', 'bytes sent', 'file read rate', 'RSS before', 'RSS growth (peak)', `under ${formatBytes(RSS_LIMIT)}`], rows);
}

if (process.argv[2] === '--serve') {
  await serveVariant(process.argv[3], process.argv[4]);
} else {
  const sections = (process.env.BENCH_SECTIONS ?? 'throughput,memory').split(',');
  if (sections.includes('throughput')) await throughput();
  if (sections.includes('memory')) await memory();
}
