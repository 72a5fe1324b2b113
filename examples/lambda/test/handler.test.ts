import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import {
  albEventFromRequest,
  apiGatewayV1EventFromRequest,
  apiGatewayV2EventFromRequest,
  functionUrlEventFromRequest,
  type LambdaClientRequest,
} from '@tsgi/adapters/lambda';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildHandlers } from '../build.mjs';
import { handler } from '../src/handler.js';

const context = { awsRequestId: '7d1f-example', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const request = (target: string, extra: Partial<LambdaClientRequest> = {}): LambdaClientRequest => ({
  method: 'GET',
  target,
  headers: [['host', 'api.example.com'], ['user-agent', 'curl/8.4.0']],
  sourceIp: '198.51.100.23',
  ...extra,
});

describe('examples/lambda', () => {
  it('answers a REST API request under its stage, the stage in SCRIPT_NAME', async () => {
    const result = await handler(apiGatewayV1EventFromRequest(request('/request?x=1'), { stage: 'Prod' }), context);
    expect(result.statusCode).toBe(200);
    const seen = JSON.parse(result.body) as { scriptName: string; pathInfo: string; query: string; client: string };
    expect(seen).toMatchObject({ scriptName: '/Prod', pathInfo: '/request', query: 'x=1', client: '198.51.100.23' });
  });

  it('sends both cookies on every source', async () => {
    const http = await handler(apiGatewayV2EventFromRequest(request('/login')), context);
    expect(http.cookies).toHaveLength(2);
    const rest = await handler(apiGatewayV1EventFromRequest(request('/login')), context);
    expect(rest.multiValueHeaders?.['set-cookie']).toHaveLength(2);
    const albMulti = await handler(albEventFromRequest(request('/login'), { multiValue: true }), context);
    expect(albMulti.multiValueHeaders?.['set-cookie']).toHaveLength(2);
    const albSingle = await handler(albEventFromRequest(request('/login')), context);
    expect(Object.keys(albSingle.headers ?? {}).filter((name) => name.toLowerCase() === 'set-cookie')).toHaveLength(2);
  });

  it('echoes a binary body byte for byte', async () => {
    const bytes = new Uint8Array([0, 255, 128, 10]);
    const event = apiGatewayV2EventFromRequest(
      request('/echo', { method: 'POST', body: bytes, headers: [['content-type', 'application/octet-stream'], ['content-length', '4']] }),
    );
    const result = await handler(event, context);
    expect(result.isBase64Encoded).toBe(true);
    expect([...Buffer.from(result.body!, 'base64')]).toEqual([...bytes]);
  });

  it('finishes the background work before the invocation ends', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const result = await handler(apiGatewayV2EventFromRequest(request('/audit')), context);
    expect(result.statusCode).toBe(202);
    expect(log).toHaveBeenCalledWith('audit written for 7d1f-example');
    log.mockRestore();
  });

  describe('the deployment bundle', () => {
    const out = mkdtempSync(join(tmpdir(), 'tsgi-lambda-example-'));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('builds and answers like the source', async () => {
      await buildHandlers(out);
      const bundled = (await import(pathToFileURL(join(out, 'handler.mjs')).href)) as { handler: typeof handler };
      const result = await bundled.handler(apiGatewayV2EventFromRequest(request('/')), context);
      expect([result.statusCode, result.body]).toEqual([200, 'Hello from tsgi on Lambda\n']);
    });

    it('streams /count from the streaming bundle, the prelude first', async () => {
      await buildHandlers(out);
      // The Node.js runtime's awslambda global: the prelude and eight NUL bytes go out just
      // before the first write (AWS Lambda Developer Guide, "Response streaming").
      const writes: Buffer[] = [];
      const awslambda = {
        streamifyResponse: <H>(h: H): H => h,
        HttpResponseStream: {
          from(stream: Writable & { started?: boolean }, prelude: Record<string, unknown>) {
            const write = stream.write.bind(stream);
            stream.write = ((chunk: Uint8Array, ...rest: never[]) => {
              if (!stream.started) {
                stream.started = true;
                write(Buffer.concat([Buffer.from(JSON.stringify(prelude)), Buffer.alloc(8)]));
              }
              return write(chunk, ...rest);
            }) as Writable['write'];
            return stream;
          },
        },
      };
      (globalThis as { awslambda?: unknown }).awslambda = awslambda;
      try {
        const streamed = (await import(pathToFileURL(join(out, 'streaming.mjs')).href)) as {
          handler: (event: unknown, stream: Writable, context: Context) => Promise<void>;
        };
        const stream = new Writable({
          write(chunk: Buffer, _encoding, callback) {
            writes.push(chunk);
            callback();
          },
        });
        await streamed.handler(functionUrlEventFromRequest(request('/count')), stream, context);
        const all = Buffer.concat(writes);
        const at = all.indexOf(Buffer.alloc(8));
        expect(JSON.parse(all.subarray(0, at).toString())).toMatchObject({ statusCode: 200 });
        expect(all.subarray(at + 8).toString()).toBe('1\n2\n3\n4\n5\n');
        expect(writes.length).toBeGreaterThan(5);
      } finally {
        delete (globalThis as { awslambda?: unknown }).awslambda;
      }
    });
  });
});
