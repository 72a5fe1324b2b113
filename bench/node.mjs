#!/usr/bin/env node
// The Node host against raw node:http, @hono/node-server and srvx, measured in the same run.
//
//   node bench/node.mjs            (or: npm run bench -- node)
//
// Scenarios: hello world (13 bytes), one 64 KiB body, a 64 MiB body streamed in 64 KiB
// chunks; each at 1 and 64 connections. Each server runs in its own process; every run
// measures all servers back to back (rotating the order), and a ratio is taken within a run,
// so the printed ratios are medians of same-run pairs. Then the growth of RSS over its level
// after a first full-speed download, while streaming 1 GiB to a slow reader.
//
// Environment: BENCH_RUNS (pairs per cell, default 3), BENCH_SECONDS (per measurement,
// default 3), BENCH_SCENARIOS (hello,64k,64m), BENCH_CONNECTIONS (1,64), BENCH_SERVERS
// (raw,tsgi,hono,srvx-fast,srvx), BENCH_MEMORY (0 skips the RSS test), BENCH_MEMORY_MIB
// (1024), BENCH_SLOW_MIBPS (reader speed, default 200), BENCH_QUICK=1 (1 run of 1 s, 256 MiB).
// Needs a built @tsgi/adapters (npm run build).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChildServer } from './_lib/child-server.mjs';
import { cpuTimeOf } from './_lib/cpu.mjs';
import { loadTool, measure } from './_lib/load.mjs';
import { rssOf, sampleRss } from './_lib/rss.mjs';
import { slowDownload } from './_lib/slow-reader.mjs';
import { formatBytes, formatNumber, median, printTable } from './_lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const targets = join(here, '_lib', 'node-targets.mjs');
const quick = process.env.BENCH_QUICK === '1';
const list = (name, fallback) => (process.env[name] ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
const runs = Number(process.env.BENCH_RUNS ?? (quick ? 1 : 3));
const seconds = Number(process.env.BENCH_SECONDS ?? (quick ? 1 : 3));
const scenarios = list('BENCH_SCENARIOS', 'hello,64k,64m');
const connectionCounts = list('BENCH_CONNECTIONS', '1,64').map(Number);
const servers = list('BENCH_SERVERS', 'raw,tsgi,hono,srvx-fast,srvx');
const memoryMiB = Number(process.env.BENCH_MEMORY_MIB ?? (quick ? 256 : 1024));
const slowMiBps = Number(process.env.BENCH_SLOW_MIBPS ?? 200);
const LABELS = {
  raw: 'node:http (raw)',
  tsgi: '@tsgi/adapters/node',
  hono: '@hono/node-server',
  'srvx-fast': 'srvx (FastResponse)',
  srvx: 'srvx (Response)',
};
const SCENARIO_LABELS = { hello: 'hello world', '64k': '64 KiB body', '64m': '64 MiB streamed' };

if (!existsSync(join(here, '..', 'packages', 'adapters', 'dist', 'node', 'index.js'))) {
  console.error('bench/node.mjs needs the built package: run `npm run build` first');
  process.exit(2);
}
if (!servers.includes('raw')) servers.unshift('raw');

console.log(`load: ${loadTool()}, ${runs} run(s) of ${seconds} s per cell, ${process.version}, ${runs * seconds * servers.length * connectionCounts.length * scenarios.length} s of load in all`);
const summary = {};

for (const scenario of scenarios) {
  const started = [];
  try {
    for (const server of servers) started.push({ server, ...(await startChildServer(targets, [server, scenario])) });
    // Warm up every server (JIT, connection pools) before anything is recorded.
    for (const s of started) await measure({ url: s.url, connections: 64, seconds: 1 });
    const streamed = scenario === '64m';
    const metric = (result) => (streamed ? result.bytesPerSec : result.rps);
    const cells = {};
    for (let run = 0; run < runs; run++) {
      for (const connections of connectionCounts) {
        const order = started.map((_, i) => started[(i + run) % started.length]);
        const values = {};
        const costs = {};
        for (const s of order) {
          const cpuBefore = cpuTimeOf(s.pid);
          const result = await measure({ url: s.url, connections, seconds });
          if (result.bad > 0) throw new Error(`${s.server} answered ${result.bad} non-2xx responses in ${scenario}`);
          values[s.server] = metric(result);
          // Server CPU per request (per MiB when streaming): robust to other load on the machine.
          costs[s.server] = (cpuTimeOf(s.pid) - cpuBefore) / (streamed ? (result.bytesPerSec * seconds) / 1048576 : result.requests);
        }
        for (const s of started) {
          const cell = (cells[`${s.server}@${connections}`] ??= { values: [], ratios: [], costs: [], costRatios: [] });
          cell.values.push(values[s.server]);
          cell.ratios.push(values[s.server] / values.raw);
          cell.costs.push(costs[s.server]);
          cell.costRatios.push(costs.raw / costs[s.server]);
        }
      }
    }
    const unit = streamed ? 'MiB' : 'req';
    console.log(`\n### ${SCENARIO_LABELS[scenario] ?? scenario}\n`);
    console.log(`${streamed ? 'bytes/s' : 'requests/s'} and server CPU µs per ${unit}, medians over runs; ratio = server / raw node:http in the same run, and for CPU raw / server (above 1: cheaper than raw)\n`);
    const header = ['server'];
    for (const c of connectionCounts) header.push(`@${c} ${streamed ? 'bytes/s' : 'req/s'}`, 'ratio', `µs/${unit}`, 'CPU ratio');
    const rows = started.map((s) => {
      const row = [LABELS[s.server] ?? s.server];
      for (const c of connectionCounts) {
        const cell = cells[`${s.server}@${c}`];
        row.push(
          streamed ? `${formatBytes(median(cell.values))}/s` : formatNumber(median(cell.values)),
          median(cell.ratios).toFixed(2),
          median(cell.costs).toFixed(1),
          median(cell.costRatios).toFixed(2),
        );
        summary[`${scenario}:${s.server}@${c}`] = median(cell.ratios);
        summary[`${scenario}:${s.server}@${c}:cpu`] = median(cell.costRatios);
      }
      return row;
    });
    printTable(header, rows);
  } finally {
    await Promise.all(started.map((s) => s.stop()));
  }
}

if (process.env.BENCH_MEMORY !== '0') {
  console.log(`\n### Peak RSS while streaming ${memoryMiB} MiB to a reader at ${slowMiBps} MiB/s\n`);
  const rows = [];
  for (const server of ['raw', 'tsgi']) {
    const s = await startChildServer(targets, [server, '1g', String(memoryMiB)]);
    try {
      // One download at full speed first: the heap, the JIT and the socket buffers grow to
      // their working size, so that the growth below is what holding back for a slow reader costs.
      await slowDownload(s.url, { bytesPerSecond: Infinity, expectedBytes: memoryMiB * 1024 * 1024 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = rssOf(s.pid);
      const sampler = sampleRss(s.pid, 10);
      const { bytes, seconds: took } = await slowDownload(s.url, { bytesPerSecond: slowMiBps * 1024 * 1024, expectedBytes: memoryMiB * 1024 * 1024 });
      const peak = sampler.stop();
      if (bytes < memoryMiB * 1024 * 1024) throw new Error(`${server} sent ${bytes} bytes, fewer than ${memoryMiB} MiB`);
      rows.push([LABELS[server], formatBytes(before), formatBytes(peak), formatBytes(peak - before), `${took.toFixed(1)} s`]);
      summary[`rss:${server}`] = peak - before;
    } finally {
      await s.stop();
    }
  }
  printTable(['server', 'RSS before', 'peak RSS', 'growth', 'time'], rows);
}

console.log('\n### Targets\n');
const check = (ok, text) => console.log(`${ok === undefined ? '-' : ok ? 'met' : 'MISSED'}: ${text}`);
const hello = (server, kind = '') => summary[`hello:${server}@64${kind}`];
if (hello('tsgi') !== undefined) {
  for (const [kind, what] of [['', 'requests/s'], [':cpu', 'CPU per request']]) {
    check(hello('tsgi', kind) >= 0.95, `hello world at 64 connections, ${what}: tsgi ${hello('tsgi', kind).toFixed(2)} of raw node:http (target >= 0.95)`);
    for (const other of ['hono', 'srvx-fast', 'srvx']) {
      if (hello(other, kind) !== undefined) check(hello('tsgi', kind) > hello(other, kind), `  ahead of ${LABELS[other]} (${hello(other, kind).toFixed(2)})`);
    }
  }
}
if (summary['rss:tsgi'] !== undefined) {
  check(summary['rss:tsgi'] < 32 * 1024 * 1024, `streaming ${memoryMiB} MiB to a slow reader: RSS grew ${formatBytes(summary['rss:tsgi'])} (target < 32 MiB)`);
}
