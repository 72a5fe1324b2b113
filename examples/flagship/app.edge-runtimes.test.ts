/**
 * The flagship on real edge runtimes: app.ts and the fetch host bundled into one file (as a
 * deployment would: no node_modules, no npm resolution at run time), run by Deno and Bun.
 * The requests of the flagship checks are recorded once, replayed inside each runtime, and
 * the runtime's answers go through the same checks as on every other host.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { toFetchHandler } from '@tsgi/adapters/fetch';
import { MemoryErrorStream } from '@tsgi/interface';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { checkFlagship, type HostRequest, type HostResponse } from './host-checks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let bundle: string;
const requests: HostRequest[] = [];

/** What runs inside the runtime: every recorded request through toFetchHandler(app), in order. */
const ENTRY = `
import { app } from ${JSON.stringify(fileURLToPath(new URL('./app.ts', import.meta.url)))};
import { toFetchHandler } from '@tsgi/adapters/fetch';
const handler = toFetchHandler(app, { errors: { write() {}, flush() {} } });
const requests = JSON.parse(REQUESTS);
const answers = [];
for (const { method, target, headers, body } of requests) {
  const init = { method, headers };
  if (body) init.body = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  const response = await handler(new Request(new URL(target, 'https://flagship.example'), init));
  const bytes = new Uint8Array(await response.arrayBuffer());
  const pairs = [];
  response.headers.forEach((value, name) => pairs.push([name, value]));
  answers.push({ status: response.status, headers: pairs, body: btoa(String.fromCharCode(...bytes)) });
}
console.log(JSON.stringify(answers));
`;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

beforeAll(async () => {
  // Record the requests of the checks against the fetch host in this process.
  const handler = toFetchHandler(createApp(), { errors: new MemoryErrorStream() });
  await checkFlagship(async (request) => {
    requests.push(request);
    const response = await handler(new Request(new URL(request.target, 'https://flagship.example'), { method: request.method, headers: request.headers, body: request.body as Uint8Array<ArrayBuffer> | undefined }));
    const pairs: Array<[string, string]> = [];
    response.headers.forEach((value, name) => pairs.push([name, value]));
    return { status: response.status, headers: pairs, body: new Uint8Array(await response.arrayBuffer()) };
  });
  dir = mkdtempSync(join(tmpdir(), 'tsgi-flagship-edge-'));
  writeFileSync(join(dir, 'entry.mjs'), ENTRY);
  bundle = join(dir, 'bundle.mjs');
  const recorded = requests.map(({ method = 'GET', target, headers = [], body }) => ({ method, target, headers, body: body && base64(body) }));
  await build({
    entryPoints: [join(dir, 'entry.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['import'],
    nodePaths: [join(root, 'node_modules')],
    define: { REQUESTS: JSON.stringify(JSON.stringify(recorded)) },
    outfile: bundle,
    logLevel: 'error',
  });
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Replays the checks against the answers a runtime gave, request by request. */
async function checkAnswers(output: string): Promise<void> {
  const answers = JSON.parse(output) as Array<{ status: number; headers: Array<[string, string]>; body: string }>;
  expect(answers).toHaveLength(requests.length);
  let i = 0;
  await checkFlagship(async (request): Promise<HostResponse> => {
    expect(request.target).toBe(requests[i]!.target);
    const answer = answers[i++]!;
    return { status: answer.status, headers: answer.headers, body: new Uint8Array(Buffer.from(answer.body, 'base64')) };
  });
}

const run = (binary: string, args: string[]) =>
  execFileSync(join(root, 'node_modules/.bin', binary), args, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(dir, 'deno-dir') } });

describe('examples/flagship on edge runtimes (bundled, fetch host)', () => {
  it('passes the flagship checks on Deno, with no permission granted', async () => {
    const output = run('deno', ['run', '--no-prompt', bundle]);
    expect(output.length).toBeGreaterThan(1000);
    await checkAnswers(output);
  });

  it('passes the flagship checks on Bun', async () => {
    await checkAnswers(run('bun', [bundle]));
  });
});
