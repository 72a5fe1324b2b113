import { callApp, utf8 } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { fromFetchHandler } from './from-fetch-handler.js';
import type { FetchExecutionContext } from './types.js';

/** A response body stream that records its pulls and its cancellation. */
function recordedStream(chunks: number, options: { tick?: boolean } = {}) {
  const log: string[] = [];
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        log.push(`pull ${sent}`);
        if (options.tick) await new Promise((resolve) => setTimeout(resolve, 1));
        if (log.at(-1) === 'cancel') return;
        if (sent === chunks) controller.close();
        else controller.enqueue(utf8(`part ${sent++};`));
      },
      cancel() {
        log.push('cancel');
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, log };
}

describe('fromFetchHandler', () => {
  it('FETCH-12: the handler gets the URL, method, headers and body; its status, headers and body come back', async () => {
    const app = fromFetchHandler(async (request) => {
      const text = await request.text();
      return new Response(`${request.method} ${request.url} ${request.headers.get('x-in')} ${text}`, {
        status: 202,
        headers: { 'x-out': 'yes' },
      });
    });
    const response = await callApp(app, {
      method: 'POST',
      target: '/items/a%2Fb?q=1',
      headers: [['host', 'api.example.test'], ['x-in', 'hello'], ['content-length', '4']],
      body: utf8('data'),
    });
    expect(response.status).toBe('202 Accepted');
    expect(response.header('x-out')).toBe('yes');
    expect(response.text()).toBe('POST http://api.example.test/items/a%2Fb?q=1 hello data');
  });

  it('FETCH-12: the request body streams from tsgi.input as the handler reads it', async () => {
    const pulled: number[] = [];
    let produced = 0;
    const source = (async function* () {
      for (let i = 0; i < 3; i++) {
        produced++;
        yield utf8(`c${i}`);
      }
    })();
    const app = fromFetchHandler(async (request) => {
      const reader = request.body!.getReader();
      const parts: string[] = [];
      for (;;) {
        pulled.push(produced);
        const step = await reader.read();
        if (step.done) break;
        parts.push(new TextDecoder().decode(step.value));
      }
      return new Response(parts.join('+'));
    });
    const response = await callApp(app, { method: 'PUT', target: '/', headers: [['host', 'h.test'], ['transfer-encoding', 'chunked']], body: source });
    expect(response.text()).toBe('c0+c1+c2');
    // Nothing was read from the client before the handler asked.
    expect(pulled).toEqual([0, 1, 2, 3]);
  });

  it('FETCH-12, BODY-6: the response body is yielded chunk by chunk as the stream produces it', async () => {
    const { stream, log } = recordedStream(3);
    const response = await callApp(fromFetchHandler(() => new Response(stream)), { target: '/' });
    expect(response.chunks.map((chunk) => new TextDecoder().decode(chunk))).toEqual(['part 0;', 'part 1;', 'part 2;']);
    expect(log).toEqual(['pull 0', 'pull 1', 'pull 2', 'pull 3']);
  });

  it('FETCH-12: each Set-Cookie of the Response is its own header pair', async () => {
    const app = fromFetchHandler(() => {
      const headers = new Headers();
      headers.append('Set-Cookie', 'a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT');
      headers.append('Set-Cookie', 'b=2');
      headers.append('Vary', 'Accept');
      return new Response('x', { headers });
    });
    const response = await callApp(app, { target: '/' });
    expect(response.headers.filter(([name]) => name === 'set-cookie')).toEqual([
      ['set-cookie', 'a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT'],
      ['set-cookie', 'b=2'],
    ]);
  });

  it('FETCH-12, BODY-22: for HEAD the response stream is cancelled once the headers are committed', async () => {
    const { stream, log } = recordedStream(100);
    const response = await callApp(
      fromFetchHandler(() => new Response(stream)),
      { method: 'HEAD', target: '/' },
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(response.body.length).toBe(0);
    expect(log.at(-1)).toBe('cancel');
    expect(log.filter((entry) => entry.startsWith('pull')).length).toBeLessThanOrEqual(2);
  });

  it('FETCH-12, HOST-22: the client leaving aborts request.signal and cancels the response stream', async () => {
    const { stream, log } = recordedStream(1_000, { tick: true });
    const client = new AbortController();
    let requestSignal: AbortSignal | undefined;
    const app = fromFetchHandler((request) => {
      requestSignal = request.signal;
      setTimeout(() => client.abort(new Error('gone')), 5);
      return new Response(stream);
    });
    await callApp(app, { target: '/', signal: client.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(requestSignal!.aborted).toBe(true);
    expect(log.at(-1)).toBe('cancel');
  });

  it('FETCH-12: env comes from the option, else from fetch.env; ctx.waitUntil reaches tsgi.wait_until', async () => {
    let seen: [unknown, FetchExecutionContext | undefined] | undefined;
    let finished = false;
    const handler = (_request: Request, env?: unknown, ctx?: FetchExecutionContext) => {
      seen = [env, ctx];
      ctx!.waitUntil(new Promise<void>((resolve) => setTimeout(() => resolve(void (finished = true)), 5)));
      return new Response('ok');
    };
    await callApp(fromFetchHandler(handler, { env: { DB: 'd1' } }), { target: '/' });
    expect(seen![0]).toEqual({ DB: 'd1' });
    // callApp awaits the promises given to tsgi.wait_until before it resolves.
    expect(finished).toBe(true);
    await callApp(fromFetchHandler(handler), { target: '/', extra: { 'fetch.env': { KV: 'k' } } });
    expect(seen![0]).toEqual({ KV: 'k' });
  });

  it('FETCH-12: methods a fetch Request cannot carry get 501, the handler is not called', async () => {
    let called = false;
    const app = fromFetchHandler(() => {
      called = true;
      return new Response('x');
    });
    for (const method of ['CONNECT', 'TRACE', 'track']) {
      expect((await callApp(app, { method, target: '/' })).status).toBe('501 Not Implemented');
    }
    expect(called).toBe(false);
  });

  it('HOST-11: a handler that throws, or resolves to something other than a Response, is an app error (500)', async () => {
    const throwing = await callApp(fromFetchHandler(() => { throw new Error('kaput'); }), { target: '/' });
    expect(throwing.status).toBe('500 Internal Server Error');
    expect(throwing.errors).toContain('kaput');
    const wrong = await callApp(fromFetchHandler((() => 'text') as never), { target: '/' });
    expect(wrong.status).toBe('500 Internal Server Error');
    expect(wrong.errors).toContain('[FETCH-12]');
  });

  it('HOST-14: a response stream that errors after the commit aborts the response', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(utf8('partial'));
      },
      pull(controller) {
        controller.error(new Error('upstream reset'));
      },
    });
    const response = await callApp(fromFetchHandler(() => new Response(stream)), { target: '/' });
    expect(response.status).toBe('200 OK');
    expect(response.destroyed).toBe(true);
  });
});
