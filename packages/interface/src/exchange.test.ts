import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from './errors.js';
import { MemoryErrorStream } from './error-stream.js';
import { Exchange, type ResponseSink } from './exchange.js';
import type { App, HeaderList, Status, Write } from './types.js';

type Step =
  | { kind: 'start'; status: Status; exc: boolean; cl?: number }
  | { kind: 'yield'; size: number }
  | { kind: 'write'; size: number }
  | { kind: 'throw' };

interface SinkEvent {
  call: 'start' | 'write' | 'end' | 'destroy';
  status?: string;
  headers?: HeaderList;
  bytes?: number[];
}

/** A sink that records every call and can refuse writes to force backpressure. */
function recordingSink(pressure: boolean[]) {
  const events: SinkEvent[] = [];
  let writes = 0;
  const sink: ResponseSink = {
    start: (status, headers) => void events.push({ call: 'start', status, headers }),
    write: (chunk) => {
      events.push({ call: 'write', bytes: [...chunk] });
      return !(pressure[writes++ % Math.max(1, pressure.length)] ?? false);
    },
    drain: () => new Promise((resolve) => setTimeout(resolve, 0)),
    end: (chunk) => void events.push({ call: 'end', bytes: chunk ? [...chunk] : [] }),
    destroy: () => void events.push({ call: 'destroy' }),
  };
  return { sink, events };
}

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('start' as const), status: fc.constantFrom<Status>('200 OK', '201 Created', '204 No Content', '404 Not Found'), exc: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('yield' as const), size: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('write' as const), size: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('throw' as const) }) },
);

const scenario = fc.record({
  first: fc.option(fc.constantFrom<Status>('200 OK', '500 Internal Server Error'), { nil: undefined }),
  steps: fc.array(step, { maxLength: 8 }),
  mode: fc.constantFrom('sync', 'async', 'array'),
  head: fc.boolean(),
  abortAfter: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  pressure: fc.array(fc.boolean(), { maxLength: 4 }),
});

let counter = 0;
function bytes(size: number): Uint8Array {
  return Uint8Array.from({ length: size }, () => counter++ & 0xff);
}

/** Runs one scenario; returns what the sink saw and how the body was released. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function runScenario(s: any) {
  const { sink, events } = recordingSink(s.pressure);
  const errors = new MemoryErrorStream();
  const exchange = new Exchange(sink, { errors, head: s.head });
  const produced: number[] = [];
  let returns = 0;
  let closes = 0;
  let completed = false;
  let returned = false;
  let write: Write | undefined;
  let sr!: (status: Status, headers: HeaderList, exc?: unknown) => Write;
  const perform = (st: Step): Uint8Array | undefined => {
    if (st.kind === 'start') {
      try {
        write = sr(st.status, [['content-type', 'text/plain']], st.exc ? new Error('replaced') : undefined);
      } catch (error) {
        if (!(error instanceof ProtocolError) && !(error instanceof Error && error.message === 'replaced')) throw error;
        throw error;
      }
      return undefined;
    }
    if (st.kind === 'throw') throw new Error('app failure');
    const chunk = bytes(st.size);
    if (st.kind === 'write') {
      if (!write) throw new Error('no write yet');
      // write() after the app returned its body is refused (SR-22): those bytes never count.
      if (!returned) produced.push(...chunk);
      void write(chunk).catch(() => {});
      return undefined;
    }
    if (s.mode !== 'array') produced.push(...chunk);
    return chunk;
  };
  let index = 0;
  const nextStep = (): IteratorResult<Uint8Array> => {
    while (index < s.steps.length) {
      const chunk = perform(s.steps[index++]);
      if (chunk) return { done: false, value: chunk };
    }
    completed = true;
    return { done: true, value: undefined };
  };
  const body = {
    close: () => void closes++,
    [Symbol.iterator]: () => ({ next: nextStep, return: () => (returns++, { done: true as const, value: undefined }) }),
    [Symbol.asyncIterator]: () => ({
      next: async () => nextStep(),
      return: async () => (returns++, { done: true as const, value: undefined }),
    }),
  };
  const app: App = (_environ, startResponse) => {
    sr = startResponse;
    if (s.first) write = startResponse(s.first, []);
    if (s.mode === 'array') {
      const chunks: Uint8Array[] = [];
      for (;;) {
        const r = nextStep();
        if (r.done) break;
        chunks.push(r.value);
      }
      // The array is sent after the app returns, so its bytes follow whatever write() sent.
      produced.push(...chunks.flatMap((c) => [...c]));
      returned = true;
      return Object.assign(chunks, { close: body.close });
    }
    returned = true;
    if (s.mode === 'sync') return { close: body.close, [Symbol.iterator]: body[Symbol.iterator] };
    return { close: body.close, [Symbol.asyncIterator]: body[Symbol.asyncIterator] };
  };
  if (s.abortAfter !== undefined) {
    const n = s.abortAfter;
    const original = { ...sink };
    let calls = 0;
    for (const k of ['start', 'write', 'end'] as const) {
      (sink as any)[k] = (...args: any[]) => {
        const result = (original as any)[k](...args);
        if (++calls === n) exchange.abort();
        return result;
      };
    }
  }
  await exchange.run(app, {} as never);
  // Let queued return()/close() promises run.
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  return { events, produced, returns, closes, completed, returned, exchange, errors };
}

describe('Exchange', () => {
  it('BODY-9, BODY-10, BODY-11: every sequence of startResponse/write/yield/throw/abort releases the body once and commits one response', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const r = await runScenario(s);
        // Released exactly once: close once (when the app got as far as returning a body);
        // return() only when stopped before the end.
        expect(r.closes).toBe(r.returned ? 1 : 0);
        expect(r.returns).toBeLessThanOrEqual(s.mode === 'array' ? 0 : 1);
        // (An abort during an async next() calls return() at once, so that a body blocked in an
        // await is finalized without waiting for its next chunk.)
        if (r.completed && s.mode !== 'array' && (s.mode === 'sync' || s.abortAfter === undefined)) expect(r.returns).toBe(0);
        expect(r.exchange.released).toBe(true);
        expect(r.errors.text).not.toContain('releasing the response body failed');
        // The sink sees at most one start, first, and nothing after end/destroy.
        const starts = r.events.filter((e) => e.call === 'start');
        expect(starts.length).toBeLessThanOrEqual(1);
        if (r.events.length) expect(r.events[0]!.call).toBe('start');
        const terminal = r.events.findIndex((e) => e.call === 'end' || e.call === 'destroy');
        if (terminal !== -1) expect(terminal).toBe(r.events.length - 1);
        // Bytes on the wire are a prefix of what the app produced, never anything else.
        const sent = r.events.flatMap((e) => (e.call === 'write' || e.call === 'end' ? e.bytes! : []));
        const status = starts[0]?.status ?? '';
        const generated = status.startsWith('500') || status.startsWith('204') || s.head;
        if (!generated) expect(r.produced.slice(0, sent.length)).toEqual(sent);
        if (s.head) expect(sent).toEqual([]);
        // Without abort, the response always ends one way or the other.
        if (s.abortAfter === undefined) expect(terminal).not.toBe(-1);
      }),
    );
  });

  it('BODY-5, SR-11: headers commit on the first non-empty chunk, so excInfo can still replace them before it', async () => {
    const { sink, events } = recordingSink([]);
    const exchange = new Exchange(sink, { errors: new MemoryErrorStream() });
    const app: App = (_e, startResponse) =>
      (function* () {
        startResponse('200 OK', [['x-stage', 'first']]);
        yield new Uint8Array(0);
        startResponse('500 Internal Server Error', [['x-stage', 'error page']], new Error('late failure'));
        yield Uint8Array.of(1);
      })();
    await exchange.run(app, {} as never);
    expect(events[0]).toMatchObject({ call: 'start', status: '500 Internal Server Error' });
    expect(events[0]!.headers).toContainEqual(['x-stage', 'error page']);
  });

  it('SR-10, SR-12: a second startResponse without excInfo is an error; after commit excInfo is rethrown', async () => {
    const seen: unknown[] = [];
    const { sink } = recordingSink([]);
    const exchange = new Exchange(sink, { errors: new MemoryErrorStream() });
    const failure = new Error('original');
    const app: App = (_e, startResponse) =>
      (function* () {
        startResponse('200 OK', []);
        try {
          startResponse('200 OK', []);
        } catch (error) {
          seen.push(error);
        }
        yield Uint8Array.of(1);
        try {
          startResponse('500 Internal Server Error', [], failure);
        } catch (error) {
          seen.push(error);
        }
      })();
    await exchange.run(app, {} as never);
    expect((seen[0] as ProtocolError).clause).toBe('SR-10');
    expect(seen[1]).toBe(failure);
  });

  it('HOST-11, HOST-12, HOST-13: an app error before commit is a generic 500 with the details on tsgi.errors only', async () => {
    const { sink, events } = recordingSink([]);
    const errors = new MemoryErrorStream();
    const exchange = new Exchange(sink, { errors });
    await exchange.run(() => {
      throw new Error('secret detail');
    }, {} as never);
    expect(events[0]).toMatchObject({ call: 'start', status: '500 Internal Server Error' });
    const body = Buffer.from(events[1]!.bytes!).toString();
    expect(body).not.toContain('secret');
    expect(errors.text).toContain('secret detail');
  });

  it('HOST-16, SR-15: hop-by-hop headers are dropped and reported; invalid names, values and statuses are refused', () => {
    const { sink } = recordingSink([]);
    const errors = new MemoryErrorStream();
    const exchange = new Exchange(sink, { errors });
    exchange.startResponse('200 OK', [['Connection', 'close'], ['x-ok', '1'], ['Transfer-Encoding', 'chunked']]);
    expect(errors.text).toContain('Connection');
    const fresh = () => new Exchange(recordingSink([]).sink, { errors: new MemoryErrorStream() });
    expect(() => fresh().startResponse('200 OK\r\nX: y' as Status, [])).toThrow(/SR-1/);
    expect(() => fresh().startResponse('100 Continue', [])).toThrow(/SR-1/);
    expect(() => fresh().startResponse('200 OK', [['bad name', 'v']])).toThrow(/SR-3/);
    expect(() => fresh().startResponse('200 OK', [['x', 'a\r\nb']])).toThrow(/SR-4/);
    expect(() => fresh().startResponse('200 OK', [['content-length', '1x']])).toThrow(/SR-7/);
    expect(() => fresh().startResponse('200 OK', [['content-length', '1'], ['Content-Length', '1']])).toThrow(/SR-7/);
    expect(() => fresh().startResponse('204 No Content', [['content-length', '0']])).toThrow(/SR-8/);
    expect(() => fresh().startResponse('200 \xe9' as Status, [])).toThrow(/SR-1/);
  });

  it('BODY-15, BODY-16: a body longer than Content-Length is cut at the declared length; a shorter one is torn down', async () => {
    const long = recordingSink([]);
    await new Exchange(long.sink, { errors: new MemoryErrorStream() }).run((_e, sr) => {
      sr('200 OK', [['content-length', '3']]);
      return (function* () {
        yield Uint8Array.of(1, 2);
        yield Uint8Array.of(3, 4, 5);
      })();
    }, {} as never);
    expect(long.events.flatMap((e) => e.bytes ?? [])).toEqual([1, 2, 3]);
    expect(long.events.at(-1)!.call).toBe('end');
    const short = recordingSink([]);
    await new Exchange(short.sink, { errors: new MemoryErrorStream() }).run((_e, sr) => {
      sr('200 OK', [['content-length', '5']]);
      return [Uint8Array.of(1)];
    }, {} as never);
    expect(short.events.at(-1)!.call).toBe('destroy');
  });

  it('BODY-17: an array body gets a Content-Length and is sent without a promise', () => {
    const { sink, events } = recordingSink([]);
    const result = new Exchange(sink, { errors: new MemoryErrorStream() }).run((_e, sr) => {
      sr('200 OK', []);
      return [Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)];
    }, {} as never);
    expect(result).toBeUndefined();
    expect(events[0]!.headers).toContainEqual(['content-length', '3']);
    expect(events.map((e) => e.call)).toEqual(['start', 'write', 'end']);
  });

  it('APP-4: strings are not chunks', async () => {
    const { sink, events } = recordingSink([]);
    const errors = new MemoryErrorStream();
    await new Exchange(sink, { errors }).run((_e, sr) => {
      sr('200 OK', []);
      return ['text' as unknown as Uint8Array];
    }, {} as never);
    expect(events[0]!.status).toBe('500 Internal Server Error');
    expect(errors.text).toContain('APP-4');
  });

  it('HOST-22, HOST-24: abort while an async body is pending stops it, aborts the signal and releases once', async () => {
    const { sink } = recordingSink([]);
    const exchange = new Exchange(sink, { errors: new MemoryErrorStream() });
    let closes = 0;
    let finalized = 0;
    const signal = exchange.signal;
    const app: App = (_e, sr) => {
      sr('200 OK', []);
      const gen = (async function* () {
        try {
          yield Uint8Array.of(1);
          await new Promise((r) => setTimeout(r, 20));
          yield Uint8Array.of(2);
        } finally {
          finalized++;
        }
      })();
      return Object.assign(gen, { close: () => void closes++ });
    };
    const running = exchange.run(app, {} as never);
    await new Promise((r) => setTimeout(r, 5));
    exchange.abort();
    await running;
    await new Promise((r) => setTimeout(r, 30));
    expect(signal.aborted).toBe(true);
    expect(finalized).toBe(1);
    expect(closes).toBe(1);
  });
});

describe('Exchange details', () => {
  it('SR-14: headers are copied when startResponse is called', async () => {
    const { sink, events } = recordingSink([]);
    const headers: HeaderList = [['x-a', '1']];
    await new Exchange(sink, { errors: new MemoryErrorStream() }).run((_e, sr) => {
      sr('200 OK', headers);
      headers.push(['x-late', '2']);
      headers[0]![1] = 'changed';
      return [Uint8Array.of(1)];
    }, {} as never);
    expect(events[0]!.headers).toEqual([['x-a', '1'], ['content-length', '1']]);
    expect(headers).toEqual([['x-a', 'changed'], ['x-late', '2']]);
  });

  it('SR-17, SR-22: write() rejects non-chunks, and writes after the body was returned', async () => {
    const { sink } = recordingSink([]);
    let write!: Write;
    await new Exchange(sink, { errors: new MemoryErrorStream() }).run((_e, sr) => {
      write = sr('200 OK', []);
      return [];
    }, {} as never);
    await expect(write('x' as unknown as Uint8Array)).rejects.toThrow(TypeError);
    await expect(write(Uint8Array.of(1))).rejects.toThrow(/SR-22/);
  });

  it('BODY-18, BODY-20, BODY-22, BODY-23: HEAD keeps the declared length, adds none, sends no bytes and stops at the commit', async () => {
    for (const declared of [true, false]) {
      const { sink, events } = recordingSink([]);
      let pulled = 0;
      let closed = 0;
      await new Exchange(sink, { errors: new MemoryErrorStream(), head: true }).run((_e, sr) => {
        sr('200 OK', declared ? [['content-length', '10']] : []);
        const body = (function* () {
          for (;;) {
            pulled++;
            yield new Uint8Array(5);
          }
        })();
        return Object.assign(body, { close: () => void closed++ });
      }, {} as never);
      expect(events.map((e) => e.call)).toEqual(['start', 'end']);
      expect(events[1]!.bytes).toEqual([]);
      expect(events[0]!.headers).toEqual(declared ? [['content-length', '10']] : []);
      expect(pulled).toBe(1);
      expect(closed).toBe(1);
    }
  });

  it('BODY-20, BODY-21: a 204 with body bytes sends none and reports them', async () => {
    const { sink, events } = recordingSink([]);
    const errors = new MemoryErrorStream();
    await new Exchange(sink, { errors }).run((_e, sr) => {
      sr('204 No Content', []);
      return [Uint8Array.of(1, 2)];
    }, {} as never);
    expect(events.flatMap((e) => e.bytes ?? [])).toEqual([]);
    expect(errors.text).toContain('BODY-21');
  });

  it('HOST-10: an oversized-input error escaping the app before the commit is a 413', async () => {
    const { sink, events } = recordingSink([]);
    await new Exchange(sink, { errors: new MemoryErrorStream() }).run(async () => {
      throw Object.assign(new Error('too big'), { code: 'TSGI_INPUT_TOO_LARGE' });
    }, {} as never);
    expect(events[0]!.status).toBe('413 Content Too Large');
  });

  it('BODY-4: a chunk before startResponse is an app error', async () => {
    const { sink, events } = recordingSink([]);
    const errors = new MemoryErrorStream();
    await new Exchange(sink, { errors }).run(() => [Uint8Array.of(1)], {} as never);
    expect(events[0]!.status).toBe('500 Internal Server Error');
    expect(errors.text).toContain('BODY-4');
  });
});
