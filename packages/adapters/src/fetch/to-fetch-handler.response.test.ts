import { MemoryErrorStream, sendText, utf8, type App, type Body } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { toFetchHandler } from './to-fetch-handler.js';

/** A body that records how it is driven: next() calls, return(), close(), in order. */
function observedBody(chunks: number, options: { delay?: boolean } = {}) {
  const log: string[] = [];
  let produced = 0;
  const body: Body & AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]() {
      return {
        async next() {
          if (options.delay) await new Promise((resolve) => setTimeout(resolve, 1));
          if (produced === chunks) {
            log.push('done');
            return { done: true, value: undefined };
          }
          log.push(`next ${produced}`);
          return { done: false, value: utf8(`chunk ${produced++};`) };
        },
        async return() {
          log.push('return');
          return { done: true, value: undefined };
        },
      };
    },
    close() {
      log.push('close');
    },
  };
  return { body, log, produced: () => produced };
}

function streamingApp(body: Body, headers: Array<[string, string]> = []): App {
  return async (_environ, startResponse) => {
    startResponse('200 OK', [['content-type', 'text/plain'], ...headers]);
    return body;
  };
}

const errors = () => new MemoryErrorStream();

describe('toFetchHandler: the response', () => {
  it('FETCH-1: an array body becomes a Response at once, with the Content-Length the host may add (BODY-17)', async () => {
    const handler = toFetchHandler((_environ, startResponse) => {
      startResponse('201 Created', [['x-a', '1']]);
      return [utf8('made')];
    });
    const response = await handler(new Request('http://example.test/'));
    expect([response.status, response.statusText, response.headers.get('content-length'), await response.text()]).toEqual([201, 'Created', '4', 'made']);
  });

  it('FETCH-6, BODY-7: the body is asked for its next chunk only when the consumer pulls', async () => {
    const { body, log, produced } = observedBody(5);
    const response = await toFetchHandler(streamingApp(body))(new Request('http://example.test/'));
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    for (let i = 0; i < 5; i++) {
      const step = await reader.read();
      expect(decoder.decode(step.value)).toBe(`chunk ${i};`);
      // Give the host every chance to read ahead: it must not.
      await new Promise((resolve) => setTimeout(resolve, 2));
      expect(produced()).toBe(i + 1);
    }
    expect((await reader.read()).done).toBe(true);
    expect(log).toEqual(['next 0', 'next 1', 'next 2', 'next 3', 'next 4', 'done', 'close']);
  });

  it('FETCH-7, BODY-9, BODY-10, BODY-11: cancelling the stream aborts tsgi.signal and releases the body once: return(), then close()', async () => {
    const { body, log } = observedBody(100);
    let signal: AbortSignal | undefined;
    const app: App = async (environ, startResponse) => {
      signal = environ['tsgi.signal'];
      startResponse('200 OK', []);
      return body;
    };
    const response = await toFetchHandler(app, { errors: errors() })(new Request('http://example.test/'));
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel(new Error('client went away'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(signal!.aborted).toBe(true);
    expect(log.filter((entry) => entry === 'return' || entry === 'close')).toEqual(['return', 'close']);
    expect(log.filter((entry) => entry.startsWith('next')).length).toBeLessThanOrEqual(3);
  });

  it('HOST-22, HOST-24: request.signal aborting mid-response aborts tsgi.signal and releases the body', async () => {
    const { body, log } = observedBody(100, { delay: true });
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const app: App = async (environ, startResponse) => {
      signal = environ['tsgi.signal'];
      startResponse('200 OK', []);
      return body;
    };
    const response = await toFetchHandler(app, { errors: errors() })(new Request('http://example.test/', { signal: controller.signal }));
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort(new Error('gone'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(signal!.aborted).toBe(true);
    expect(log.slice(-2)).toEqual(['return', 'close']);
  });

  it('HOST-22: a client that left before the call aborts tsgi.signal at once and the handler rejects', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone already'));
    let signal: AbortSignal | undefined;
    const handler = toFetchHandler(
      async (environ, startResponse) => {
        signal = environ['tsgi.signal'];
        await new Promise((resolve) => setTimeout(resolve, 1));
        return sendText(startResponse, '200 OK', 'too late');
      },
      { errors: errors() },
    );
    await expect(handler(new Request('http://example.test/', { signal: controller.signal }))).rejects.toThrow('gone already');
    expect(signal!.aborted).toBe(true);
  });

  it('HOST-21: a request.signal aborted after the response completed never reaches tsgi.signal', async () => {
    const { body } = observedBody(2);
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const app: App = async (environ, startResponse) => {
      signal = environ['tsgi.signal'];
      startResponse('200 OK', []);
      return body;
    };
    const response = await toFetchHandler(app)(new Request('http://example.test/', { signal: controller.signal }));
    await response.text();
    controller.abort();
    expect(signal!.aborted).toBe(false);
  });

  it('HOST-21: the client leaving before the commit rejects the handler and releases the body', async () => {
    const controller = new AbortController();
    let release = 0;
    const app: App = async (environ, startResponse) => {
      startResponse('200 OK', []);
      await new Promise((resolve) => environ['tsgi.signal'].addEventListener('abort', resolve));
      return Object.assign([utf8('late')], { close: () => void release++ });
    };
    const pending = toFetchHandler(app, { errors: errors() })(new Request('http://example.test/', { signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('left early')), 5);
    await expect(pending).rejects.toThrow('left early');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(release).toBe(1);
  });

  it('FETCH-8, BODY-22, BODY-23: HEAD gets a null body and the declared Content-Length; the body stops at the commit', async () => {
    const { body, log } = observedBody(10);
    const handler = toFetchHandler(streamingApp(body, [['content-length', '80']]));
    const response = await handler(new Request('http://example.test/', { method: 'HEAD' }));
    expect(response.body).toBeNull();
    expect(response.headers.get('content-length')).toBe('80');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(log).toEqual(['next 0', 'return', 'close']);
  });

  it('FETCH-8, BODY-20: 204, 205 and 304 Responses have a null body, whatever the app yields', async () => {
    for (const status of ['204 No Content', '205 Reset Content', '304 Not Modified'] as const) {
      const handler = toFetchHandler(
        (_environ, startResponse) => {
          startResponse(status, []);
          return [utf8('nope')];
        },
        { errors: errors() },
      );
      const response = await handler(new Request('http://example.test/'));
      expect([response.status, response.body]).toEqual([Number(status.slice(0, 3)), null]);
    }
  });

  it('FETCH-9, HOST-17, HOST-20: statusText is the reason phrase; every pair is its own field, Set-Cookie included', async () => {
    const handler = toFetchHandler((_environ, startResponse) =>
      sendText(startResponse, '299 Custom Thing', 'x', [
        ['Set-Cookie', 'a=1; Path=/'],
        ['X-Multi', 'one'],
        ['Set-Cookie', 'b=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT'],
        ['X-Multi', 'two'],
      ]),
    );
    const response = await handler(new Request('http://example.test/'));
    expect([response.status, response.statusText]).toEqual([299, 'Custom Thing']);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT']);
    expect(response.headers.get('x-multi')).toBe('one, two');
  });

  it('HOST-16: hop-by-hop headers are dropped and reported', async () => {
    const log = errors();
    const handler = toFetchHandler((_environ, startResponse) => sendText(startResponse, '200 OK', 'x', [['Connection', 'close'], ['Transfer-Encoding', 'chunked']]), { errors: log });
    const response = await handler(new Request('http://example.test/'));
    expect(response.headers.has('connection')).toBe(false);
    expect(response.headers.has('transfer-encoding')).toBe(false);
    expect(log.text).toContain('[HOST-16]');
    expect(log.text).toMatch(/Connection: close[\s\S]*Transfer-Encoding: chunked/);
  });

  it('HOST-11, HOST-12, HOST-13: an app error before the commit is a generic 500; the details go to tsgi.errors only', async () => {
    const log = errors();
    const handler = toFetchHandler(
      async () => {
        throw new Error('secret database password');
      },
      { errors: log },
    );
    const response = await handler(new Request('http://example.test/'));
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(text).not.toContain('secret');
    expect(log.text).toContain('secret database password');
  });

  it('FETCH-11, HOST-14: an app error after the commit errors the response stream; no second status', async () => {
    const app: App = async (_environ, startResponse) => {
      startResponse('200 OK', []);
      return (async function* () {
        yield utf8('partial');
        throw new Error('boom');
      })();
    };
    const response = await toFetchHandler(app, { errors: errors() })(new Request('http://example.test/'));
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('partial');
    await expect(reader.read()).rejects.toThrow('boom');
  });

  it('BODY-16: a body shorter than its Content-Length errors the stream instead of ending it', async () => {
    const log = errors();
    const handler = toFetchHandler(
      (_environ, startResponse) => {
        startResponse('200 OK', [['content-length', '10']]);
        return [utf8('short')];
      },
      { errors: log },
    );
    const response = await handler(new Request('http://example.test/'));
    await expect(response.arrayBuffer()).rejects.toThrow();
    expect(log.text).toContain('[BODY-16]');
  });

  it('FETCH-10, HOST-25, HOST-28: tsgi.wait_until hands each promise to ctx.waitUntil; rejections are reported, never unhandled', async () => {
    const log = errors();
    const handed: Promise<unknown>[] = [];
    const ctx = { waitUntil: (promise: Promise<unknown>) => void handed.push(promise) };
    const handler = toFetchHandler(
      (environ, startResponse) => {
        expect(environ['tsgi.wait_until'](Promise.resolve(1))).toBeUndefined();
        environ['tsgi.wait_until'](Promise.reject(new Error('audit log down')));
        environ['tsgi.wait_until']({ then: (resolve: (v: number) => void) => resolve(2) } as unknown as Promise<number>);
        return sendText(startResponse, '200 OK', 'done');
      },
      { errors: log },
    );
    const response = await handler(new Request('http://example.test/'), undefined, ctx);
    expect(await response.text()).toBe('done');
    expect(handed).toHaveLength(3);
    await Promise.all(handed);
    expect(log.text).toContain('[HOST-28]');
    expect(log.text).toContain('audit log down');
  });

  it('HOST-27: without ctx, tsgi.wait_until goes to the waitUntil option', async () => {
    const handed: Promise<unknown>[] = [];
    const handler = toFetchHandler(
      (environ, startResponse) => {
        environ['tsgi.wait_until'](Promise.resolve('later'));
        return sendText(startResponse, '200 OK', 'now');
      },
      { waitUntil: (promise) => void handed.push(promise) },
    );
    await (await handler(new Request('http://example.test/'))).text();
    expect(handed).toHaveLength(1);
  });

  it('FETCH-13: a streamed response hands ctx.waitUntil a promise that settles once the body is released', async () => {
    const { body, log } = observedBody(3);
    const handed: Promise<unknown>[] = [];
    const ctx = { waitUntil: (promise: Promise<unknown>) => void handed.push(promise) };
    const response = await toFetchHandler(streamingApp(body))(new Request('http://example.test/'), undefined, ctx);
    expect(handed).toHaveLength(1);
    let settled = false;
    void handed[0]!.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The consumer has not read yet: the exchange is not over.
    expect(settled).toBe(false);
    await response.text();
    await handed[0];
    expect(log.at(-1)).toBe('close');
    // An array body completes at once: nothing to keep alive.
    const sync = toFetchHandler((_environ, startResponse) => sendText(startResponse, '200 OK', 'x'));
    await sync(new Request('http://example.test/'), undefined, ctx);
    expect(handed).toHaveLength(1);
  });

  it('HOST-25: tsgi.wait_until does not throw when the runtime\'s waitUntil does; the refusal is reported', async () => {
    const log = errors();
    const ctx = {
      waitUntil: () => {
        throw new Error('request context is gone');
      },
    };
    const handler = toFetchHandler(
      (environ, startResponse) => {
        expect(() => environ['tsgi.wait_until'](Promise.resolve())).not.toThrow();
        return sendText(startResponse, '200 OK', 'fine');
      },
      { errors: log },
    );
    expect(await (await handler(new Request('http://example.test/'), undefined, ctx)).text()).toBe('fine');
    expect(log.text).toContain('[HOST-25]');
  });
});
