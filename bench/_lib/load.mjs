// Load generation for bench sections: wrk when installed (Debian package `wrk`), else
// autocannon (a devDependency). Both are driven the same way and report requests/s.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let tool;

/** 'wrk' or 'autocannon': what `measure` uses (BENCH_LOAD_TOOL forces one). */
export function loadTool() {
  if (tool) return tool;
  const forced = process.env.BENCH_LOAD_TOOL;
  if (forced === 'wrk' || forced === 'autocannon') return (tool = forced);
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    tool = 'wrk';
  } catch (error) {
    // `wrk --version` exits 1 after printing its version; only a missing binary is ENOENT.
    tool = error.code === 'ENOENT' ? 'autocannon' : 'wrk';
  }
  return tool;
}

function parseSize(text) {
  const match = /^([\d.]+)([KMGT]?B)$/.exec(text.trim());
  if (!match) return NaN;
  const scale = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }[match[2]];
  return Number(match[1]) * scale;
}

async function wrk({ url, connections, seconds, method, body, headers }) {
  const args = ['-t', '1', '-c', String(connections), '-d', `${seconds}s`];
  let dir;
  if (method !== 'GET' || body || headers) {
    dir = mkdtempSync(join(tmpdir(), 'tsgi-bench-'));
    const lua = [`wrk.method = ${JSON.stringify(method)}`];
    if (body) lua.push(`wrk.body = string.rep("x", ${body.length})`);
    for (const [name, value] of Object.entries(headers ?? {})) lua.push(`wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
    writeFileSync(join(dir, 'request.lua'), lua.join('\n') + '\n');
    args.push('-s', join(dir, 'request.lua'));
  }
  args.push(url);
  // Asynchronous, so that two loads can run at once (see bench/middleware.mjs, paired rounds).
  const result = await new Promise((resolve) => {
    execFile('wrk', args, { encoding: 'utf8', timeout: (seconds + 30) * 1000 }, (error, stdout, stderr) => resolve({ stdout, stderr: stderr || String(error ?? '') }));
  });
  if (dir) rmSync(dir, { recursive: true, force: true });
  const out = result.stdout ?? '';
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const bytesPerSec = parseSize(/Transfer\/sec:\s+(\S+)/.exec(out)?.[1] ?? '');
  const bad = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: (.*)/.exec(out)?.[1];
  if (!Number.isFinite(rps)) throw new Error(`wrk gave no result for ${url}:\n${out}\n${result.stderr}`);
  return { rps, requests, bytesPerSec, bad, socketErrors };
}

async function autocannon({ url, connections, seconds, method, body, headers }) {
  const { default: run } = await import('autocannon');
  const result = await run({ url, connections, duration: seconds, method, body, headers, pipelining: 1 });
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    bytesPerSec: result.throughput.average,
    bad: result.non2xx,
    socketErrors: result.errors ? `errors ${result.errors}` : undefined,
  };
}

/**
 * Runs one load test and returns `{ rps, requests, bytesPerSec, bad, socketErrors }`:
 * requests per second, requests completed, bytes received per second (partial responses
 * included), non-2xx responses, and wrk's socket error line (connect/read/write/timeout)
 * when there was one.
 */
export async function measure({ url, connections = 64, seconds = 3, method = 'GET', body, headers }) {
  const options = { url, connections, seconds, method, body, headers };
  return loadTool() === 'wrk' ? wrk(options) : autocannon(options);
}
