import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_EVENTS, loadSampleEvent } from './fixtures/sample-events.js';
import { functionUrlEventFromRequest } from './function-url.js';
import { apiGatewayV2EventFromRequest } from './api-gateway-v2.js';
import { albEventFromRequest } from './alb.js';
import { apiGatewayV1EventFromRequest } from './api-gateway-v1.js';
import { RuntimeApi, splitStreamedResponse, type InvocationRecord } from './testing/runtime-api.js';
import type { LambdaClientRequest } from './lambda-request.js';

/**
 * End to end through AWS's own runtime interface client (npm `aws-lambda-ric`, built from
 * source with its native Runtime API client): the test serves the Runtime API on loopback,
 * the client runs the handlers of testing/ric-handlers.mjs, which import the built package.
 */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const ric = `${root}tools/lambda-ric/node_modules/aws-lambda-ric/bin/index.mjs`;
const handlers = fileURLToPath(new URL('./testing/', import.meta.url));
const built = `${root}packages/adapters/dist/lambda/index.js`;

interface Runtime {
  api: RuntimeApi;
  child: ChildProcess;
  output: string[];
}

async function startRuntime(handler: 'buffered' | 'streaming'): Promise<Runtime> {
  if (!existsSync(ric)) {
    throw new Error(`aws-lambda-ric is not installed: run \`npm test\` (it installs it) or \`npm run setup\` (needs autoconf automake libtool cmake g++ make python3); looked for ${ric}`);
  }
  if (!existsSync(built)) throw new Error(`@tsgi/adapters is not built: run \`npm run build\`; looked for ${built}`);
  const api = await RuntimeApi.start();
  const output: string[] = [];
  const child = spawn(process.execPath, [ric, `ric-handlers.${handler}`], {
    cwd: handlers,
    env: {
      ...process.env,
      AWS_LAMBDA_RUNTIME_API: api.address,
      _HANDLER: `ric-handlers.${handler}`,
      LAMBDA_TASK_ROOT: handlers,
      AWS_LAMBDA_FUNCTION_NAME: 'tsgi-e2e',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/tsgi-e2e',
      AWS_LAMBDA_LOG_STREAM_NAME: 'e2e',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.setEncoding('utf8').on('data', (text: string) => output.push(text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => output.push(text));
  return { api, child, output };
}

async function stopRuntime(runtime: Runtime | undefined): Promise<void> {
  if (!runtime) return;
  const { child, api } = runtime;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await api.close();
}

function json(record: InvocationRecord): Record<string, unknown> {
  return JSON.parse(record.body.toString('utf8')) as Record<string, unknown>;
}

function resultBody(result: Record<string, unknown>): Buffer {
  const body = String(result.body ?? '');
  return result.isBase64Encoded === true || result.bodyEncoding === 'base64' ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

const client = (target: string, extra: Partial<LambdaClientRequest> = {}): LambdaClientRequest => ({
  method: 'GET',
  target,
  headers: [['host', 'example.com']],
  ...extra,
});

describe('aws-lambda-ric, buffered handler', () => {
  let runtime: Runtime | undefined;
  beforeAll(async () => {
    runtime = await startRuntime('buffered');
  });
  afterAll(() => stopRuntime(runtime));

  it('LAMBDA-1: every sample event is answered through the runtime interface client', async () => {
    for (const sample of SAMPLE_EVENTS) {
      const record = await runtime!.api.invoke(loadSampleEvent(sample.file));
      expect(record.kind, sample.file).toBe('response');
      const result = json(record);
      expect(Object.keys(result).sort(), sample.file).toEqual([...sample.resultKeys].sort());
      const echo = JSON.parse(resultBody(result).toString('utf8')) as { environ: Record<string, string>; body: string };
      for (const [key, value] of Object.entries(sample.environ)) expect(echo.environ[key], `${sample.file} ${key}`).toBe(value);
      expect(Buffer.from(echo.body, 'base64').toString('latin1'), sample.file).toBe(sample.body);
      expect(echo.environ['lambda.context.awsRequestId']).toBe(record.requestId);
    }
  });

  it('LAMBDA-12: HTTP API cookies come back one per element of cookies', async () => {
    const result = json(await runtime!.api.invoke(apiGatewayV2EventFromRequest(client('/cookies'))));
    expect(result.statusCode).toBe(201);
    expect(result.cookies).toEqual(['a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'b=2; HttpOnly']);
    expect((result.headers as Record<string, string>)['x-repeated']).toBe('one, two');
  });

  it('LAMBDA-11: REST cookies come back through multiValueHeaders', async () => {
    const result = json(await runtime!.api.invoke(apiGatewayV1EventFromRequest(client('/cookies'))));
    expect((result.multiValueHeaders as Record<string, string[]>)['set-cookie']).toHaveLength(2);
  });

  it('LAMBDA-14: ALB in single-value mode gets each Set-Cookie under its own spelling', async () => {
    const result = json(await runtime!.api.invoke(albEventFromRequest(client('/cookies'))));
    const headers = result.headers as Record<string, string>;
    const cookies = Object.keys(headers).filter((name) => name.toLowerCase() === 'set-cookie');
    expect(cookies).toHaveLength(2);
    expect(cookies.map((name) => headers[name])).toEqual(['a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'b=2; HttpOnly']);
  });

  it('LAMBDA-10: a binary body comes back base64-encoded, byte for byte', async () => {
    const result = json(await runtime!.api.invoke(functionUrlEventFromRequest(client('/binary'))));
    expect(result.isBase64Encoded).toBe(true);
    expect([...resultBody(result)]).toEqual([...Array(256).keys()]);
  });

  it('HOST-11: an app that throws before its response gets a real 500 result', async () => {
    const result = json(await runtime!.api.invoke(apiGatewayV2EventFromRequest(client('/fail-before'))));
    expect(result.statusCode).toBe(500);
    expect(resultBody(result).toString()).not.toContain('the app failed');
  });

  it('LAMBDA-18: an app that fails mid-body makes the invocation fail, never a truncated result', async () => {
    const record = await runtime!.api.invoke(apiGatewayV2EventFromRequest(client('/fail-after')));
    expect(record.kind).toBe('error');
    expect(json(record).errorType).toBe('LambdaResponseError');
  });

  it('LAMBDA-1: an event of no HTTP source fails the invocation with a LambdaEventError', async () => {
    const record = await runtime!.api.invoke({ Records: [{ eventSource: 'aws:sqs', body: 'hello' }] });
    expect(record.kind).toBe('error');
    expect(json(record).errorType).toBe('LambdaEventError');
    expect(String(json(record).errorMessage)).toMatch(/^\[LAMBDA-1\]/);
  });

  it('HOST-6: a malformed event of a known source is answered 400 in its shape', async () => {
    const event = apiGatewayV2EventFromRequest(client('/echo')) as unknown as { requestContext: { http: { method: unknown } } };
    event.requestContext.http.method = 42;
    const result = json(await runtime!.api.invoke(event));
    expect(result.statusCode).toBe(400);
    expect(resultBody(result).toString()).toMatch(/^\[LAMBDA-1\] api-gateway-v2 event field requestContext\.http\.method/);
  });

  it('LAMBDA-19: the result waits for the work passed to tsgi.wait_until', async () => {
    const record = await runtime!.api.invoke(apiGatewayV2EventFromRequest(client('/wait')));
    expect(record.kind).toBe('response');
    const log = runtime!.api.log;
    expect(log.indexOf('test/waited')).toBeGreaterThan(-1);
    expect(log.indexOf('test/waited')).toBeLessThan(log.indexOf(`response ${record.requestId}`));
  });
});

describe('aws-lambda-ric, streaming handler', () => {
  let runtime: Runtime | undefined;
  beforeAll(async () => {
    runtime = await startRuntime('streaming');
  });
  afterAll(() => stopRuntime(runtime));

  it('LAMBDA-20: a Function URL request streams the prelude and the body', async () => {
    const record = await runtime!.api.invoke(functionUrlEventFromRequest(client('/echo?x=1', { method: 'POST', body: new TextEncoder().encode('hi') })));
    expect(record.streaming).toBe(true);
    expect(record.headers['content-type']).toBe('application/vnd.awslambda.http-integration-response');
    const { prelude, payload } = splitStreamedResponse(record.body);
    expect(prelude.statusCode).toBe(200);
    expect(prelude.headers?.['content-type']).toBe('application/json');
    const echo = JSON.parse(payload.toString('utf8')) as { environ: Record<string, string>; body: string };
    expect(echo.environ.QUERY_STRING).toBe('x=1');
    expect(Buffer.from(echo.body, 'base64').toString()).toBe('hi');
  });

  it('LAMBDA-20: cookies travel in the prelude', async () => {
    const { prelude, payload } = splitStreamedResponse((await runtime!.api.invoke(functionUrlEventFromRequest(client('/cookies')))).body);
    expect(prelude.statusCode).toBe(201);
    expect(prelude.cookies).toEqual(['a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'b=2; HttpOnly']);
    expect(prelude.headers?.['x-repeated']).toBe('one, two');
    expect(payload.toString()).toBe('two cookies\n');
  });

  it('LAMBDA-20: the prelude goes out for an empty body and for HEAD', async () => {
    const empty = splitStreamedResponse((await runtime!.api.invoke(functionUrlEventFromRequest(client('/empty')))).body);
    expect(empty.prelude.statusCode).toBe(204);
    expect(empty.prelude.headers?.['x-empty']).toBe('yes');
    expect(empty.payload.length).toBe(0);
    const head = splitStreamedResponse((await runtime!.api.invoke(functionUrlEventFromRequest(client('/cookies', { method: 'HEAD' })))).body);
    expect(head.prelude.statusCode).toBe(201);
    expect(head.prelude.headers?.['content-length']).toBe('12');
    expect(head.payload.length).toBe(0);
  });

  it('HOST-11: an app that throws before its response streams a real 500', async () => {
    const { prelude } = splitStreamedResponse((await runtime!.api.invoke(functionUrlEventFromRequest(client('/fail-before')))).body);
    expect(prelude.statusCode).toBe(500);
  });

  it('LAMBDA-20: an app that fails mid-body fails the invocation through the error trailers', async () => {
    const record = await runtime!.api.invoke(functionUrlEventFromRequest(client('/fail-after')));
    const { prelude, payload } = splitStreamedResponse(record.body);
    expect(prelude.statusCode).toBe(200);
    expect(payload.toString()).toBe('partial ');
    expect(record.trailers['lambda-runtime-function-error-type']).toBe('LambdaResponseError');
  });

  it('LAMBDA-20: the stream ends before tsgi.wait_until work, which ends before the next invocation', async () => {
    const record = await runtime!.api.invoke(functionUrlEventFromRequest(client('/wait')));
    const log = runtime!.api.log;
    const answered = log.indexOf(`response ${record.requestId}`);
    await expect.poll(() => log.indexOf('test/waited', answered), { timeout: 10_000 }).toBeGreaterThan(answered);
    const waited = log.indexOf('test/waited', answered);
    await expect.poll(() => log.indexOf('next', waited), { timeout: 10_000 }).toBeGreaterThan(waited);
  });

  it('LAMBDA-20: the app is not asked for more chunks while the stream is full', async () => {
    const chunks = 256;
    const size = 64 * 1024;
    let held = 0;
    runtime!.api.onStream = (request) => {
      // Read nothing for a while: the runtime's stream fills and write() returns false.
      request.pause();
      setTimeout(() => {
        held = pulls();
        request.resume();
      }, 600);
    };
    const start = runtime!.output.length;
    const pulls = (): number => runtime!.output.slice(start).join('').match(/\bpull \d+/g)?.length ?? 0;
    const record = await runtime!.api.invoke(functionUrlEventFromRequest(client(`/stream?chunks=${chunks}&size=${size}`)));
    runtime!.api.onStream = undefined;
    const { payload } = splitStreamedResponse(record.body);
    expect(payload.length).toBe(chunks * size);
    expect(payload[payload.length - 1]).toBe((chunks - 1) & 0xff);
    expect(held).toBeLessThan(chunks);
  });

  it('LAMBDA-1: an event of no HTTP source fails the streamed invocation with a LambdaEventError', async () => {
    const record = await runtime!.api.invoke({ detail: 'not http' });
    expect(record.trailers['lambda-runtime-function-error-type']).toBe('LambdaEventError');
  });
});
