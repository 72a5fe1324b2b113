#!/usr/bin/env node
// Lambda host benchmark: invocations per second of a hello-world app, in one process and
// one run, through tsgi's toLambdaHandler, serverless-http (wrapping a minimal (req, res)
// handler), @codegenie/serverless-express (the same handler) and hono/aws-lambda's handle,
// beside a hand-written handler that returns a constant result (the floor); for an API
// Gateway REST event and an HTTP API event. Then the bundled size of a minimal handler for
// each (esbuild, minified, gzip). Rounds are interleaved and medians reported, as ratios
// against the floor and against tsgi measured in the same run.
//
// Run: node bench/lambda.mjs   (after `npm run build`); ~30 s. BENCH_ROUNDS and BENCH_ROUND_MS tune it.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { toLambdaHandler, apiGatewayV1EventFromRequest, apiGatewayV2EventFromRequest } from '@tsgi/adapters/lambda';
import serverless from 'serverless-http';
import serverlessExpress from '@codegenie/serverless-express';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 250);
const root = fileURLToPath(new URL('..', import.meta.url));

const hello = new TextEncoder().encode('hello');
const tsgiApp = (_environ, startResponse) => {
  startResponse('200 OK', [['content-type', 'text/plain']]);
  return [hello];
};
const nodeHandler = (_req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end('hello');
};
const honoApp = new Hono().get('*', (c) => c.text('hello'));

const handlers = {
  floor: async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'hello', isBase64Encoded: false }),
  tsgi: toLambdaHandler(tsgiApp),
  'serverless-http': serverless(nodeHandler),
  '@codegenie/serverless-express': serverlessExpress({ app: { handler: nodeHandler }, logSettings: { level: 'error' } }),
  'hono/aws-lambda': handle(honoApp),
};

// What API Gateway sends for `curl https://<api>/hello?name=world`, through the same
// conversions the tests check against AWS's documented samples.
const request = {
  method: 'GET',
  target: '/hello?name=world',
  headers: [
    ['host', 'r275xc9bmd.execute-api.us-east-1.amazonaws.com'],
    ['user-agent', 'curl/8.4.0'],
    ['accept', '*/*'],
    ['x-amzn-trace-id', 'Root=1-65a2d1f4-4c0e6e7f0f6b3c7a2d4e5f60'],
    ['x-forwarded-for', '203.0.113.24'],
    ['x-forwarded-port', '443'],
    ['x-forwarded-proto', 'https'],
  ],
  sourceIp: '203.0.113.24',
};
const events = { 'REST (v1)': apiGatewayV1EventFromRequest(request), 'HTTP API (v2)': apiGatewayV2EventFromRequest(request) };
const context = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  functionName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
};

function bodyOf(result) {
  return result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString() : result.body;
}

async function check(name, handler, event) {
  const result = await handler(structuredClone(event), context);
  if (result.statusCode !== 200 || bodyOf(result) !== 'hello') {
    throw new Error(`${name} answered ${JSON.stringify(result)} instead of 200 hello`);
  }
}

async function timeRound(handler, event, count) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await handler(event, context);
  return Number(process.hrtime.bigint() - start) / count;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const report = {};
for (const [eventName, template] of Object.entries(events)) {
  // Each handler gets its own copy: serverless-http writes into the event it is given.
  const eventFor = Object.fromEntries(Object.keys(handlers).map((name) => [name, structuredClone(template)]));
  for (const [name, handler] of Object.entries(handlers)) await check(name, handler, template);
  // Calibrate each handler's count so one round takes about ROUND_MS.
  const counts = {};
  for (const [name, handler] of Object.entries(handlers)) {
    let n = 100;
    for (;;) {
      const start = performance.now();
      for (let i = 0; i < n; i++) await handler(eventFor[name], context);
      const ms = performance.now() - start;
      if (ms > 30 || n > 1e6) {
        counts[name] = Math.max(100, Math.round((n * ROUND_MS) / ms));
        break;
      }
      n *= 4;
    }
  }
  const samples = Object.fromEntries(Object.keys(handlers).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, handler] of Object.entries(handlers)) samples[name].push(await timeRound(handler, eventFor[name], counts[name]));
    globalThis.gc?.();
  }
  report[eventName] = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

console.log(`Lambda invocations, hello world, median of ${ROUNDS} rounds of ~${ROUND_MS} ms (Node ${process.version})`);
for (const [eventName, medians] of Object.entries(report)) {
  console.log(`\n${eventName}`);
  console.log('handler                          ns/invocation   invocations/s   x floor   tsgi speed-up');
  for (const [name, ns] of Object.entries(medians)) {
    const speedup = name === 'tsgi' || name === 'floor' ? '' : `${(ns / medians.tsgi).toFixed(2)}x`;
    console.log(
      `${name.padEnd(32)} ${ns.toFixed(0).padStart(13)}   ${Math.round(1e9 / ns).toLocaleString('en-US').padStart(13)}   ${(ns / medians.floor).toFixed(1).padStart(7)}   ${speedup.padStart(13)}`,
    );
  }
  const fastest = Math.min(...Object.entries(medians).filter(([n]) => n !== 'tsgi' && n !== 'floor').map(([, ns]) => ns));
  console.log(`tsgi vs the fastest other adapter: ${(fastest / medians.tsgi).toFixed(2)}x the invocations per second (target: at least 2x)`);
}

// Bundled size of a minimal handler, as a deployment would ship it.
const entries = {
  tsgi: `import { toLambdaHandler } from '@tsgi/adapters/lambda';
const hello = new TextEncoder().encode('hello');
export const handler = toLambdaHandler((environ, startResponse) => { startResponse('200 OK', [['content-type', 'text/plain']]); return [hello]; });`,
  'serverless-http': `import serverless from 'serverless-http';
export const handler = serverless((req, res) => { res.setHeader('content-type', 'text/plain'); res.end('hello'); });`,
  '@codegenie/serverless-express': `import serverlessExpress from '@codegenie/serverless-express';
export const handler = serverlessExpress({ app: { handler: (req, res) => { res.setHeader('content-type', 'text/plain'); res.end('hello'); } } });`,
  'hono/aws-lambda': `import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
export const handler = handle(new Hono().get('*', (c) => c.text('hello')));`,
};
console.log('\nMinimal handler bundle (esbuild --bundle --minify --platform=node --format=esm)');
console.log('handler                          minified bytes   gzip bytes');
const sizes = {};
for (const [name, contents] of Object.entries(entries)) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js', sourcefile: `${name}.mjs` },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  sizes[name] = gzipSync(code, { level: 9 }).length;
  console.log(`${name.padEnd(32)} ${String(code.length).padStart(14)}   ${String(sizes[name]).padStart(10)}`);
}
const smallestOther = Math.min(...Object.entries(sizes).filter(([n]) => n !== 'tsgi').map(([, s]) => s));
console.log(`tsgi gzip size vs the smallest other: ${(sizes.tsgi / smallestOther).toFixed(2)} (target: below 1)`);
