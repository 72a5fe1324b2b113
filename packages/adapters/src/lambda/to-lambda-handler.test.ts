import fc from 'fast-check';
import { MemoryErrorStream, readBody, sendText, utf8, type App } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { albEventFromRequest } from './alb.js';
import { apiGatewayV2EventFromRequest } from './api-gateway-v2.js';
import { mutatedEvent } from './arbitraries/mutated-event.js';
import { cloudFrontEventFromRequest } from './cloudfront.js';
import { detectEventSource } from './detect-event-source.js';
import { SAMPLE_EVENTS, loadSampleEvent } from './fixtures/sample-events.js';
import { LambdaEventError } from './lambda-event-error.js';
import { LambdaResponseError } from './lambda-response-error.js';
import { toLambdaHandler } from './to-lambda-handler.js';
import type { APIGatewayProxyStructuredResultV2, Context } from './types.js';

const context = (remaining = 30_000): Context =>
  ({ awsRequestId: 'r-1', getRemainingTimeInMillis: () => remaining }) as unknown as Context;
const v2 = (target: string, method = 'GET', body?: Uint8Array) =>
  apiGatewayV2EventFromRequest({ method, target, headers: [['host', 'example.com'], ...(body ? [['content-length', String(body.length)] as [string, string]] : [])], body });
const text = (result: APIGatewayProxyStructuredResultV2) =>
  result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64').toString() : (result.body ?? '');

describe('toLambdaHandler', () => {
  it('HOST-11: an app that throws before its response gets a generic 500 in the event shape, details in tsgi.errors only', async () => {
    const errors = new MemoryErrorStream();
    const handler = toLambdaHandler(() => {
      throw new Error('secret detail');
    }, { errors });
    const result = await handler(v2('/'), context());
    expect(result.statusCode).toBe(500);
    expect(text(result)).not.toContain('secret');
    expect(errors.text).toContain('secret detail');
  });

  it('LAMBDA-18: an app that fails after the commit makes the invocation fail, never a truncated result', async () => {
    const handler = toLambdaHandler((_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']]);
      return (async function* () {
        yield utf8('partial');
        throw new Error('mid-body');
      })();
    }, { errors: new MemoryErrorStream() });
    const failure = await handler(v2('/'), context()).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(LambdaResponseError);
    expect(((failure as Error).cause as Error).message).toBe('mid-body');
  });

  it('LAMBDA-19: the result waits for tsgi.wait_until work; HOST-28: a rejection is reported, not thrown', async () => {
    let release!: () => void;
    const errors = new MemoryErrorStream();
    const handler = toLambdaHandler((environ, startResponse) => {
      environ['tsgi.wait_until'](new Promise<void>((resolve) => (release = resolve)));
      environ['tsgi.wait_until'](Promise.reject(new Error('background failed')));
      return sendText(startResponse, '200 OK', 'done');
    }, { errors });
    let settled = false;
    const pending = handler(v2('/'), context()).then((result) => {
      settled = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    release();
    expect((await pending).statusCode).toBe(200);
    expect(errors.text).toMatch(/\[HOST-28\][^\n]*\n.*background failed/s);
  });

  it('HOST-25: tsgi.wait_until takes any thenable, returns undefined and never throws', async () => {
    const handler = toLambdaHandler((environ, startResponse) => {
      const thenable = { then: (resolve: (v: unknown) => void) => resolve(1) };
      expect(environ['tsgi.wait_until'](thenable as unknown as Promise<unknown>)).toBeUndefined();
      expect(() => environ['tsgi.wait_until'](null as unknown as Promise<unknown>)).not.toThrow();
      return sendText(startResponse, '200 OK', 'ok');
    }, { errors: new MemoryErrorStream() });
    expect((await handler(v2('/'), context())).statusCode).toBe(200);
  });

  it('HOST-23: at the deadline the host answers 503 and aborts tsgi.signal', async () => {
    let aborted = false;
    const handler = toLambdaHandler((environ) => {
      environ['tsgi.signal'].addEventListener('abort', () => (aborted = true));
      return new Promise(() => {});
    }, { errors: new MemoryErrorStream(), deadlineMargin: 500 });
    const result = await handler(v2('/'), context(550));
    expect(result.statusCode).toBe(503);
    expect(aborted).toBe(true);
  });

  it('LAMBDA-1: any value that is not an HTTP event rejects with a LambdaEventError, the app never called', async () => {
    let called = false;
    const handler = toLambdaHandler(() => {
      called = true;
      return [];
    }, { errors: new MemoryErrorStream() });
    await fc.assert(
      fc.asyncProperty(
        fc.anything().filter((value) => detectEventSource(value).source === undefined),
        async (event) => {
          const failure = await handler(event as never, context()).then(() => undefined, (error: unknown) => error);
          expect(failure).toBeInstanceOf(LambdaEventError);
          expect((failure as LambdaEventError).message).toMatch(/^\[LAMBDA-1\] /);
        },
      ),
      { numRuns: 50 },
    );
    expect(called).toBe(false);
  });

  it('HOST-6: a sample event with any field changed or removed is answered or refused, never a crash or a hang', async () => {
    const handler = toLambdaHandler(async (environ, startResponse) => {
      try {
        await readBody(environ);
      } catch (error) {
        // A CloudFront body marked inputTruncated fails the read (LAMBDA-5): the app's to answer.
        if ((error as { code?: unknown }).code !== 'TSGI_INPUT_TRUNCATED') throw error;
        return sendText(startResponse, '400 Bad Request', 'incomplete body');
      }
      return sendText(startResponse, '200 OK', 'ok');
    }, { errors: new MemoryErrorStream() });
    // A list with a hole (a deleted element) once crashed the cookie check, which `every` skipped past.
    const holed = loadSampleEvent('function-url.json');
    delete (holed.cookies as unknown[])[0];
    // A body removed under its Content-Length once reached the app, whose read failed: a 500.
    const bodiless = loadSampleEvent('api-gateway-http-v2.json');
    delete bodiless.body;
    // A body flagged inputTruncated: the app's read fails as LAMBDA-5 says (seed 195200253, path "21").
    const truncated = loadSampleEvent('cloudfront-origin-request.json');
    (truncated.Records as Array<{ cf: { request: { body: { inputTruncated: boolean } } } }>)[0]!.cf.request.body.inputTruncated = true;
    const examples: Record<string, Array<[unknown]>> = {
      'function-url.json': [[holed]],
      'api-gateway-http-v2.json': [[bodiless]],
      'cloudfront-origin-request.json': [[truncated]],
    };
    for (const sample of SAMPLE_EVENTS) {
      await fc.assert(
        fc.asyncProperty(mutatedEvent(loadSampleEvent(sample.file)), async (event) => {
          const outcome: Record<string, unknown> | Error = await handler(event as never, context()).then(
            (result) => result as unknown as Record<string, unknown>,
            (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
          );
          if (outcome instanceof Error) expect(outcome).toBeInstanceOf(LambdaEventError);
          else expect([200, 400, 413, '200', '400', '413']).toContain(outcome.statusCode ?? outcome.status);
        }),
        { numRuns: 40, examples: examples[sample.file] ?? [] },
      );
    }
  });

  it('BODY-22: a HEAD request gets headers and no body; BODY-23: its Content-Length is kept', async () => {
    const handler = toLambdaHandler((_environ, startResponse) => sendText(startResponse, '200 OK', 'twelve bytes'), { errors: new MemoryErrorStream() });
    const result = await handler(v2('/', 'HEAD'), context());
    expect(result.body).toBe('');
    expect(result.headers?.['content-length']).toBe('12');
  });

  it('LAMBDA-22: options.base64 decides (LAMBDA-10), except that text is never forced on bytes that are not UTF-8', async () => {
    const errors = new MemoryErrorStream();
    const respond = (body: Uint8Array): App => (_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'image/svg+xml']]);
      return [body];
    };
    const forced = await toLambdaHandler(respond(utf8('<svg/>')), { errors, base64: () => true })(v2('/'), context());
    expect([forced.isBase64Encoded, Buffer.from(forced.body!, 'base64').toString()]).toEqual([true, '<svg/>']);
    const refused = await toLambdaHandler(respond(new Uint8Array([0xff])), { errors, base64: () => false })(v2('/'), context());
    expect([refused.isBase64Encoded, refused.body]).toEqual([true, '/w==']);
    expect(errors.text).toContain('[LAMBDA-22]');
  });

  it('LAMBDA-10: a body with Content-Encoding is sent base64 even when it happens to be UTF-8', async () => {
    const handler = toLambdaHandler((_environ, startResponse) => {
      startResponse('200 OK', [['content-encoding', 'br']]);
      return [utf8('abc')];
    }, { errors: new MemoryErrorStream() });
    expect((await handler(v2('/'), context())).isBase64Encoded).toBe(true);
  });

  it('LAMBDA-21: a result larger than its source accepts is answered 502 and reported', async () => {
    const errors = new MemoryErrorStream();
    const handler = toLambdaHandler((_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'application/octet-stream']]);
      return [new Uint8Array(50 * 1024).fill(0xff)];
    }, { errors });
    const result = (await handler(cloudFrontEventFromRequest({ method: 'GET', target: '/', headers: [] }) as never, context())) as { status: string };
    expect(result.status).toBe('502');
    expect(errors.text).toContain('[LAMBDA-21]');
  });

  it('INP-11: reading past maxBodySize fails with 413', async () => {
    const handler = toLambdaHandler(async (environ, startResponse) => {
      await readBody(environ, 1 << 20);
      return sendText(startResponse, '200 OK', 'read');
    }, { errors: new MemoryErrorStream(), maxBodySize: 4 });
    expect((await handler(v2('/', 'POST', utf8('too long')), context())).statusCode).toBe(413);
  });

  it('HOST-4: overlapping invocations with tsgi.multithread false are reported once; multithread: true announces them', async () => {
    const errors = new MemoryErrorStream();
    const seen: boolean[] = [];
    const slow: App = async (environ, startResponse) => {
      seen.push(environ['tsgi.multithread']);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return sendText(startResponse, '200 OK', 'ok');
    };
    const single = toLambdaHandler(slow, { errors });
    await Promise.all([single(v2('/'), context()), single(v2('/'), context()), single(v2('/'), context())]);
    expect(errors.text.match(/\[HOST-4\]/g)).toHaveLength(1);
    const quietErrors = new MemoryErrorStream();
    const multi = toLambdaHandler(slow, { errors: quietErrors, multithread: true });
    await Promise.all([multi(v2('/'), context()), multi(v2('/'), context())]);
    expect(quietErrors.text).not.toContain('[HOST-4]');
    expect(seen).toEqual([false, false, false, true, true]);
  });

  it('LAMBDA-15: the hint to enable multi-value headers is written once per process', async () => {
    const errors = new MemoryErrorStream();
    const handler = toLambdaHandler((_environ, startResponse) => {
      startResponse('200 OK', [['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
      return [];
    }, { errors });
    const event = albEventFromRequest({ method: 'GET', target: '/', headers: [] });
    await handler(event, context());
    await handler(event, context());
    expect(errors.text.match(/\[LAMBDA-15\]/g)).toHaveLength(1);
  });
});
