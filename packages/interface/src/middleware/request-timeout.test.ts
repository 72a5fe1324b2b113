import { describe, expect, it } from 'vitest';
import { sendText, utf8 } from '../helpers.js';
import { callApp } from '../memory-host.js';
import type { App } from '../types.js';
import { requestTimeout, RequestTimeoutError } from './request-timeout.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('requestTimeout', () => {
  it('answers 503 and aborts the app signal when the app is too slow', async () => {
    let signal: AbortSignal | undefined;
    const events: string[] = [];
    const app: App = async (environ, startResponse) => {
      signal = environ['tsgi.signal'];
      await sleep(60);
      try {
        startResponse('200 OK', []);
      } catch (error) {
        events.push(error instanceof RequestTimeoutError ? 'start refused' : 'other error');
      }
      return Object.assign([utf8('late')], { close: () => void events.push('close') });
    };
    const response = await callApp(requestTimeout({ timeout: 10 })(app));
    expect(response.status).toBe('503 Service Unavailable');
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(RequestTimeoutError);
    expect(response.errors).toContain('passed its deadline of 10 ms');
    // The late body is released; its start does not reach the host.
    await sleep(80);
    expect(events).toEqual(['start refused', 'close']);
  });

  it('answers 504 when asked', async () => {
    const response = await callApp(requestTimeout({ timeout: 5, status: 504 })(() => sleep(50).then(() => [])));
    expect(response.status).toBe('504 Gateway Timeout');
  });

  it('MW-6: replaces a body stuck before its first chunk and releases it', async () => {
    const events: string[] = [];
    const app: App = (environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']]);
      const body = (async function* () {
        try {
          await new Promise((resolve) => environ['tsgi.signal'].addEventListener('abort', resolve));
          events.push('aborted');
          yield utf8('never sent');
        } finally {
          events.push('finally');
        }
      })();
      return Object.assign(body, { close: () => void events.push('close') });
    };
    const response = await callApp(requestTimeout({ timeout: 10 })(app));
    expect(response.status).toBe('503 Service Unavailable');
    expect(response.text()).toBe('Service Unavailable\n');
    await sleep(10);
    expect(events).toEqual(['aborted', 'finally', 'close']);
  });

  it('breaks off a response that was already committed', async () => {
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']]);
      return (async function* () {
        yield utf8('first');
        await sleep(100);
        yield utf8('second');
      })();
    };
    const response = await callApp(requestTimeout({ timeout: 20 })(app));
    expect(response.status).toBe('200 OK');
    expect(response.destroyed).toBe(true);
    expect(response.text()).toBe('first');
  });

  it('MW-8: the app signal follows the host signal', async () => {
    const controller = new AbortController();
    let inner: AbortSignal | undefined;
    const app: App = async (environ) => {
      inner = environ['tsgi.signal'];
      controller.abort(new Error('client left'));
      await sleep(5);
      return [];
    };
    await callApp(requestTimeout({ timeout: 1000 })(app), { signal: controller.signal });
    expect(inner?.aborted).toBe(true);
    expect(inner).not.toBe(undefined);
  });

  it('passes fast responses through, arrays untouched', async () => {
    const response = await callApp(requestTimeout({ timeout: 1000 })((_e, s) => sendText(s, '200 OK', 'quick')));
    expect(response.text()).toBe('quick');
    expect(response.header('content-length')).toBe('5');
    const streamed = await callApp(requestTimeout({ timeout: 1000 })((_e, s) => {
      s('200 OK', []);
      return (function* () {
        yield utf8('a');
        yield utf8('b');
      })();
    }));
    expect(streamed.text()).toBe('ab');
  });

  it('refuses bad options', () => {
    expect(() => requestTimeout({ timeout: 0 })).toThrow(TypeError);
    expect(() => requestTimeout({ timeout: 5, status: 500 as 503 })).toThrow(TypeError);
  });
});
