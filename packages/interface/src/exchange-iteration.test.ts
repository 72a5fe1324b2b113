import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MemoryErrorStream } from './error-stream.js';
import { Exchange, type ResponseSink } from './exchange.js';
import { callApp } from './memory-host.js';
import type { App, Body } from './types.js';

describe('Exchange iteration', () => {
  it('BODY-2: a Uint8Array from another realm is a chunk', async () => {
    const foreign = vm.runInNewContext('new Uint8Array([104, 105])') as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', []);
      return (async function* () {
        yield foreign;
      })();
    };
    const response = await callApp(app);
    expect(response.status).toBe('200 OK');
    expect(response.text()).toBe('hi');
    const writer: App = async (_environ, startResponse) => {
      await startResponse('200 OK', [])(foreign);
      return [];
    };
    expect((await callApp(writer)).text()).toBe('hi');
  });

  it('BODY-10: an iterator that threw gets no return(), and close() still runs once', async () => {
    let returns = 0;
    let closes = 0;
    let pulls = 0;
    const body: Body = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          pulls++;
          if (pulls === 1) return { done: false, value: new Uint8Array([1]) };
          throw new Error('body failed');
        },
        return: async () => {
          returns++;
          return { done: true, value: undefined };
        },
      }),
      close: () => void closes++,
    };
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', []);
      return body;
    };
    const response = await callApp(app);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(response.destroyed).toBe(true);
    expect(returns).toBe(0);
    expect(closes).toBe(1);
  });

  it('BODY-10: a sync iterator that threw gets no return()', async () => {
    let returns = 0;
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', []);
      return {
        [Symbol.iterator]: () => ({
          next: () => {
            throw new Error('body failed');
          },
          return: () => {
            returns++;
            return { done: true, value: undefined };
          },
        }),
      } as Body;
    };
    const response = await callApp(app);
    expect(response.status).toBe('500 Internal Server Error');
    expect(returns).toBe(0);
  });

  it('BODY-15: a body past its Content-Length ends the response with the connection closed', async () => {
    const ends: Array<[number, boolean | undefined]> = [];
    const sink: ResponseSink = {
      start: () => {},
      write: () => true,
      drain: () => Promise.resolve(),
      end: (chunk, close) => void ends.push([chunk?.length ?? 0, close]),
      destroy: () => {},
    };
    const errors = new MemoryErrorStream();
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['content-length', '3']]);
      return (async function* () {
        yield new Uint8Array(2);
        yield new Uint8Array(2);
      })();
    };
    await new Exchange(sink, { errors }).run(app, {} as never);
    expect(ends).toEqual([[1, true]]);
    expect(errors.text).toContain('BODY-15');
    const normal: App = (_environ, startResponse) => (startResponse('200 OK', [['content-length', '1']]), [new Uint8Array(1)]);
    ends.length = 0;
    await new Exchange(sink, { errors }).run(normal, {} as never);
    expect(ends).toEqual([[1, undefined]]);
  });
});
