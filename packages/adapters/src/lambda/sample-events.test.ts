import { readBody, sendText, type App, type Environ } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { SAMPLE_EVENTS, loadSampleEvent } from './fixtures/sample-events.js';
import { detectEventSource } from './detect-event-source.js';
import { toLambdaHandler } from './to-lambda-handler.js';
import type { Context } from './types.js';

const context = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const quiet = { write() {}, flush() {} };

function probe(): { app: App; seen: { environ?: Environ; body?: string } } {
  const seen: { environ?: Environ; body?: string } = {};
  const app: App = async (environ, startResponse) => {
    seen.environ = environ;
    seen.body = Buffer.from(await readBody(environ)).toString('latin1');
    return sendText(startResponse, '200 OK', 'ok\n');
  };
  return { app, seen };
}

describe('sample events of every source', () => {
  for (const sample of SAMPLE_EVENTS) {
    it(`LAMBDA-1: ${sample.file} is detected as ${sample.source} and answered in its shape`, async () => {
      const event = loadSampleEvent(sample.file);
      expect(detectEventSource(event).source).toBe(sample.source);
      const { app, seen } = probe();
      const result = (await toLambdaHandler(app, { errors: quiet })(event as never, context)) as unknown as Record<string, unknown>;
      expect(Object.keys(result).sort()).toEqual([...sample.resultKeys].sort());
      expect(result.statusCode ?? Number(result.status)).toBe(200);
      const environ = seen.environ as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(sample.environ)) {
        if (value === undefined) expect(environ, key).not.toHaveProperty(key);
        else expect(environ[key], key).toBe(value);
      }
      expect(seen.body).toBe(sample.body);
    });

    it(`LAMBDA-2: ${sample.file} gives the app the event, the context and Lambda's flags`, async () => {
      const event = loadSampleEvent(sample.file);
      const { app, seen } = probe();
      await toLambdaHandler(app, { errors: quiet })(event as never, context);
      const environ = seen.environ!;
      expect(environ['lambda.event']).toBe(event);
      expect(environ['lambda.context']).toBe(context);
      expect(environ['tsgi.multithread']).toBe(false);
      expect(environ['tsgi.multiprocess']).toBe(true);
      expect(environ['tsgi.run_once']).toBe(false);
    });

    it(`LAMBDA-1: ${sample.file} is served the same when its source is forced`, async () => {
      const event = loadSampleEvent(sample.file);
      const { app, seen } = probe();
      await toLambdaHandler(app, { errors: quiet, source: sample.source })(event as never, context);
      expect(seen.environ!.PATH_INFO).toBe(sample.environ.PATH_INFO);
    });
  }

  it('LAMBDA-8: the cookies array becomes one HTTP_COOKIE and one tsgi.headers pair per cookie', async () => {
    const { app, seen } = probe();
    await toLambdaHandler(app, { errors: quiet })(loadSampleEvent('api-gateway-http-v2.json') as never, context);
    const cookies = seen.environ!['tsgi.headers'].filter(([name]) => name === 'cookie').map(([, value]) => value);
    expect(cookies).toEqual(['session=38afes7a8', 'theme=dark']);
  });

  it("ENV-7: scriptName 'stage' moves the stage the client named into SCRIPT_NAME (REST and HTTP API)", async () => {
    for (const [file, path] of [
      ['api-gateway-rest.json', '/items/caf\xC3\xA9 au lait'],
      ['api-gateway-http-v1.json', '/my/path with space'],
    ] as const) {
      const { app, seen } = probe();
      await toLambdaHandler(app, { errors: quiet, scriptName: 'stage' })(loadSampleEvent(file) as never, context);
      expect([seen.environ!.SCRIPT_NAME, seen.environ!.PATH_INFO], file).toEqual(['/prod', path]);
    }
    const v2 = loadSampleEvent('api-gateway-http-v2.json') as { rawPath: string; requestContext: { stage: string } };
    v2.rawPath = '/beta' + v2.rawPath;
    v2.requestContext.stage = 'beta';
    const { app, seen } = probe();
    await toLambdaHandler(app, { errors: quiet, scriptName: 'stage' })(v2 as never, context);
    expect([seen.environ!.SCRIPT_NAME, seen.environ!.PATH_INFO]).toEqual(['/beta', '/files/report 2024.pdf']);
  });

  it('ENV-7: a fixed scriptName is moved only when the path starts with it at a segment boundary', async () => {
    const { app, seen } = probe();
    await toLambdaHandler(app, { errors: quiet, scriptName: '/lambda' })(loadSampleEvent('alb-single-value.json') as never, context);
    expect([seen.environ!.SCRIPT_NAME, seen.environ!.PATH_INFO]).toEqual(['/lambda', '/a/b']);
    await toLambdaHandler(app, { errors: quiet, scriptName: '/lamb' })(loadSampleEvent('alb-single-value.json') as never, context);
    expect([seen.environ!.SCRIPT_NAME, seen.environ!.PATH_INFO]).toEqual(['', '/lambda/a/b']);
  });
});
