import { MemoryErrorStream, sendText, utf8, type App } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { functionUrlEventFromRequest } from './function-url.js';
import { LambdaEventError } from './lambda-event-error.js';
import { LambdaResponseError } from './lambda-response-error.js';
import { splitStreamedResponse } from './testing/runtime-api.js';
import { RecordingResponseStream, recordingRuntime } from './testing/recording-response-stream.js';
import { toStreamingLambdaHandler } from './to-streaming-lambda-handler.js';
import type { Context } from './types.js';

const context = { awsRequestId: 'r-2', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const event = (target = '/', method = 'GET') => functionUrlEventFromRequest({ method, target, headers: [['host', 'example.com']] });

function run(app: App, stream = new RecordingResponseStream(), target = '/', method = 'GET') {
  const handler = toStreamingLambdaHandler(app, { awslambda: recordingRuntime(), errors: new MemoryErrorStream() });
  return { stream, done: handler(event(target, method), stream, context) };
}

describe('toStreamingLambdaHandler', () => {
  it('LAMBDA-20: needs the runtime awslambda global and says so', () => {
    expect(() => toStreamingLambdaHandler(() => [])).toThrow(/^\[LAMBDA-20\] toStreamingLambdaHandler needs the awslambda global/);
  });

  it('LAMBDA-20: passes the high-water mark to streamifyResponse', () => {
    const runtime = recordingRuntime();
    toStreamingLambdaHandler(() => [], { awslambda: runtime, highWaterMark: 4096 });
    expect(runtime.options).toEqual([{ highWaterMark: 4096 }]);
  });

  it('BODY-6: each chunk reaches the stream before the app is asked for the next', async () => {
    const stream = new RecordingResponseStream();
    const seenBeforeSecond: string[] = [];
    const { done } = run((_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
      return (async function* () {
        yield utf8('first ');
        await new Promise((resolve) => setImmediate(resolve));
        seenBeforeSecond.push(stream.bytes.toString('latin1'));
        yield utf8('second');
      })();
    }, stream);
    await done;
    expect(seenBeforeSecond[0]).toMatch(/first $/);
    const { prelude, payload } = splitStreamedResponse(stream.bytes);
    expect(prelude).toEqual({ statusCode: 200, headers: { 'content-type': 'text/plain' }, cookies: ['a=1', 'b=2'] });
    expect(payload.toString()).toBe('first second');
    expect(stream.writableFinished).toBe(true);
  });

  it('BODY-7: the app is not asked for another chunk while the stream needs to drain', async () => {
    const stream = new RecordingResponseStream({ highWaterMark: 16, delayMs: 2 });
    const full: boolean[] = [];
    const { done } = run((_environ, startResponse) => {
      startResponse('200 OK', []);
      return (async function* () {
        for (let i = 0; i < 20; i++) {
          full.push(stream.writableNeedDrain);
          yield new Uint8Array(12).fill(i);
        }
      })();
    }, stream);
    await done;
    expect(full).toHaveLength(20);
    expect(full.every((needsDrain) => !needsDrain)).toBe(true);
    expect(splitStreamedResponse(stream.bytes).payload.length).toBe(240);
  });

  it('LAMBDA-20: the prelude goes out for an empty body, for 204 and for HEAD', async () => {
    for (const [app, method, status] of [
      [(_e, start) => (start('200 OK', [['x-a', '1']]), []), 'GET', 200],
      [(_e, start) => (start('204 No Content', []), []), 'GET', 204],
      [(_e, start) => sendText(start, '200 OK', 'body'), 'HEAD', 200],
    ] as Array<[App, string, number]>) {
      const { stream, done } = run(app, undefined, '/', method);
      await done;
      expect(stream.contentType).toBe('application/vnd.awslambda.http-integration-response');
      const { prelude, payload } = splitStreamedResponse(stream.bytes);
      expect([prelude.statusCode, payload.length]).toEqual([status, 0]);
    }
  });

  it('HOST-11: an error before the first byte is a real 500 prelude', async () => {
    const { stream, done } = run(() => {
      throw new Error('early');
    });
    await done;
    expect(splitStreamedResponse(stream.bytes).prelude.statusCode).toBe(500);
  });

  it('LAMBDA-20: an error after the commit fails the invocation and does not end the stream normally', async () => {
    const { stream, done } = run((_environ, startResponse) => {
      startResponse('200 OK', []);
      return (async function* () {
        yield utf8('partial');
        throw new Error('late');
      })();
    });
    const failure = await done.then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(LambdaResponseError);
    expect(stream.writableEnded).toBe(false);
  });

  it('LAMBDA-20: the stream ends before tsgi.wait_until work, and the handler waits for that work', async () => {
    let release!: () => void;
    const { stream, done } = run((environ, startResponse) => {
      environ['tsgi.wait_until'](new Promise<void>((resolve) => (release = resolve)));
      return sendText(startResponse, '200 OK', 'now');
    });
    let settled = false;
    void done.then(() => (settled = true));
    await new Promise((resolve) => stream.once('finish', resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    release();
    await done;
    expect(splitStreamedResponse(stream.bytes).payload.toString()).toBe('now');
  });

  it('HOST-24: a stream that breaks mid-body aborts tsgi.signal and releases the body', async () => {
    const stream = new RecordingResponseStream();
    let aborted = false;
    let released = false;
    const { done } = run((environ, startResponse) => {
      environ['tsgi.signal'].addEventListener('abort', () => (aborted = true));
      startResponse('200 OK', []);
      // A hand-written iterator: an async generator stuck in an await could not run return().
      let step = 0;
      return {
        [Symbol.asyncIterator]: () => ({
          next: (): Promise<IteratorResult<Uint8Array>> => {
            if (step++ === 0) return Promise.resolve({ done: false, value: utf8('one') });
            stream.destroy(new Error('connection reset'));
            return new Promise(() => {});
          },
          return: (): Promise<IteratorResult<Uint8Array>> => {
            released = true;
            return Promise.resolve({ done: true, value: undefined });
          },
        }),
      };
    }, stream);
    const failure = await done.then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(LambdaResponseError);
    expect(aborted).toBe(true);
    await expect.poll(() => released, { timeout: 5000 }).toBe(true);
  });

  it('LAMBDA-1: an event of no HTTP source rejects with a LambdaEventError and writes nothing', async () => {
    const stream = new RecordingResponseStream();
    const handler = toStreamingLambdaHandler(() => [], { awslambda: recordingRuntime(), errors: new MemoryErrorStream() });
    await expect(handler({ detail: {} } as never, stream, context)).rejects.toBeInstanceOf(LambdaEventError);
    expect(stream.received).toHaveLength(0);
  });

  it('HOST-6: a malformed event of a known source streams a 400', async () => {
    const stream = new RecordingResponseStream();
    const handler = toStreamingLambdaHandler(() => [], { awslambda: recordingRuntime(), errors: new MemoryErrorStream() });
    const broken = { ...event(), rawPath: 5 };
    await handler(broken as never, stream, context);
    const { prelude, payload } = splitStreamedResponse(stream.bytes);
    expect(prelude.statusCode).toBe(400);
    expect(payload.toString()).toMatch(/^\[LAMBDA-1\] function-url event field rawPath must be a string/);
  });
});
