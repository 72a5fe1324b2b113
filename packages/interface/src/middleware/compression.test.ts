import fc from 'fast-check';
import { brotliDecompressSync, constants, gunzipSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { callApp } from '../memory-host.js';
import { sendText } from '../helpers.js';
import type { App, HeaderList, Status } from '../types.js';
import { preferredEncoding } from './accept-encoding.js';
import { compression } from './compression.js';

const text = 'tsgi streams compressed bytes chunk by chunk. '.repeat(100);
const bytes = new TextEncoder().encode(text);

function decode(coding: string | undefined, body: Uint8Array): Buffer {
  const flush = { finishFlush: constants.Z_SYNC_FLUSH };
  if (coding === 'gzip') return gunzipSync(body, flush);
  if (coding === 'deflate') return inflateSync(body, flush);
  if (coding === 'br') return brotliDecompressSync(body, { finishFlush: constants.BROTLI_OPERATION_FLUSH });
  return Buffer.from(body);
}

const textApp =
  (headers: HeaderList = [], status: Status = '200 OK', body: string = text): App =>
  (_environ, startResponse) =>
    sendText(startResponse, status, body, headers);

function chunked(chunks: Uint8Array[], events: string[] = [], type = 'text/plain'): App {
  return (_environ, startResponse) => {
    startResponse('200 OK', [['content-type', type]]);
    const body = (async function* () {
      try {
        for (const [i, chunk] of chunks.entries()) {
          events.push(`pull ${i}`);
          yield chunk;
        }
      } finally {
        events.push('finally');
      }
    })();
    return Object.assign(body, { close: () => void events.push('close') });
  };
}

describe('compression', () => {
  for (const engine of ['auto', 'web'] as const) {
    describe(`engine ${engine}`, () => {
      const codings = engine === 'web' ? (['gzip', 'deflate'] as const) : (['br', 'gzip', 'deflate'] as const);
      for (const coding of codings) {
        it(`MW-7: answers ${coding} without Content-Length, with Vary and a weak ETag`, async () => {
          const app = compression({ engine })(textApp([['etag', '"v1"'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]));
          const response = await callApp(app, { headers: [['accept-encoding', `${coding}, identity;q=0.1`]] });
          expect(response.header('content-encoding')).toBe(coding);
          expect(response.header('content-length')).toBeUndefined();
          expect(response.header('vary')).toBe('Accept-Encoding');
          expect(response.header('etag')).toBe('W/"v1"');
          expect(response.headers.filter(([name]) => name === 'set-cookie')).toEqual([['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
          expect(decode(coding, response.body).toString()).toBe(text);
          expect(response.body.length).toBeLessThan(bytes.length / 4);
        });
      }

      it('round-trips any chunk sequence through every coding (property)', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 6 }), fc.constantFrom(...codings), async (chunks, coding) => {
            const app = compression({ engine, threshold: 0 })(chunked(chunks));
            const response = await callApp(app, { headers: [['accept-encoding', coding]] });
            expect(response.header('content-encoding')).toBe(coding);
            expect(decode(coding, response.body)).toEqual(Buffer.concat(chunks));
          }),
          { numRuns: 40 },
        );
      });
    });
  }

  it('honours q-values, * and q=0', () => {
    const all = ['br', 'gzip', 'deflate'] as const;
    expect(preferredEncoding('gzip;q=0.5, deflate;q=0.8', all)).toBe('deflate');
    expect(preferredEncoding('br;q=0, *', all)).toBe('gzip');
    expect(preferredEncoding('*;q=0', all)).toBeUndefined();
    expect(preferredEncoding('x-gzip', all)).toBe('gzip');
    expect(preferredEncoding('gzip;q=0.5, identity', all)).toBeUndefined();
    expect(preferredEncoding('GZIP;Q=1.0, br;q=0.9', all)).toBe('gzip');
    expect(preferredEncoding('br;q=2, gzip;q=0.3', all)).toBe('gzip');
    expect(preferredEncoding('', all)).toBeUndefined();
    expect(preferredEncoding(undefined, all)).toBeUndefined();
  });

  it('MW-10: pulls one inner chunk at a time and flushes each, so the client can decode it at once', async () => {
    const events: string[] = [];
    const chunks = [bytes.slice(0, 100), bytes.slice(100, 300), bytes.slice(300)];
    const app = compression()(chunked(chunks, events));
    const probe = await callApp(app, { headers: [['accept-encoding', 'gzip']] });
    expect(probe.header('content-encoding')).toBe('gzip');
    // Each output chunk of a flushed stream decodes to exactly the input so far.
    let seen = Buffer.alloc(0);
    let decoded = '';
    for (const chunk of probe.chunks) {
      seen = Buffer.concat([seen, chunk]);
      decoded = gunzipSync(seen, { finishFlush: constants.Z_SYNC_FLUSH }).toString();
      expect(text.startsWith(decoded)).toBe(true);
    }
    expect(decoded).toBe(text);
    expect(probe.chunks.length).toBeGreaterThanOrEqual(chunks.length);
    expect(events).toEqual(['pull 0', 'pull 1', 'pull 2', 'finally', 'close']);
  });

  it('MW-10: hands on the first chunk before pulling the second', async () => {
    const events: string[] = [];
    const app = compression()(chunked([bytes.slice(0, 2000), bytes.slice(2000)], events));
    const environ = (await callApp((e, s) => sendText(s, '200 OK', ''), { headers: [['accept-encoding', 'gzip']] })).environ!;
    const body = (await app(environ, () => async () => {})) as AsyncIterable<Uint8Array> & { close(): Promise<void> };
    const iterator = body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(gunzipSync(first.value as Uint8Array, { finishFlush: constants.Z_SYNC_FLUSH }).toString()).toBe(text.slice(0, 2000));
    expect(events).toEqual(['pull 0']);
    // MW-6: the caller stops early; the inner body gets return() then close(), once.
    await iterator.return!();
    await body.close();
    await body.close();
    expect(events).toEqual(['pull 0', 'finally', 'close']);
  });

  it('MW-6: releases the inner body once when the client goes away mid-stream', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    const app = compression()((_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']]);
      const body = (async function* () {
        try {
          yield bytes;
          controller.abort();
          await new Promise((resolve) => setTimeout(resolve, 5));
          yield bytes;
        } finally {
          events.push('finally');
        }
      })();
      return Object.assign(body, { close: () => void events.push('close') });
    });
    await callApp(app, { headers: [['accept-encoding', 'gzip']], signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual(['finally', 'close']);
  });

  it('compresses chunks given to write, in order before the body', async () => {
    const app = compression()(((_environ, startResponse) => {
      const write = startResponse('200 OK', [['content-type', 'text/plain']]);
      return (async () => {
        await write(bytes.slice(0, 1000));
        return [bytes.slice(1000)];
      })();
    }) as App);
    const response = await callApp(app, { headers: [['accept-encoding', 'deflate']] });
    expect(inflateSync(response.body).toString()).toBe(text);
  });

  it.each<[string, App, [string, string][]]>([
    ['a small response', textApp([], '200 OK', 'short'), [['accept-encoding', 'gzip']]],
    ['an encoded response', textApp([['content-encoding', 'br']]), [['accept-encoding', 'gzip']]],
    ['Cache-Control: no-transform', textApp([['cache-control', 'public, no-transform']]), [['accept-encoding', 'gzip']]],
    ['an image', (_e, s) => sendText(s, '200 OK', text, [], 'image/png'), [['accept-encoding', 'gzip']]],
    ['a client that accepts none', textApp(), [['accept-encoding', 'identity']]],
    ['a client without Accept-Encoding', textApp(), []],
    ['a 206', textApp([['content-range', 'bytes 0-4599/9999']], '206 Partial Content'), [['accept-encoding', 'gzip']]],
  ])('leaves %s as it is', async (_name, inner, headers) => {
    const response = await callApp(compression()(inner), { headers });
    expect(response.header('content-encoding')).not.toBe('gzip');
    expect(response.body.length).toBeGreaterThan(0);
  });

  it('adds Vary to an uncompressed answer that depended on Accept-Encoding, not to others', async () => {
    expect((await callApp(compression()(textApp([], '200 OK', 'short')), { headers: [['accept-encoding', 'gzip']] })).header('vary')).toBe('Accept-Encoding');
    expect((await callApp(compression()(textApp([['vary', 'Origin']])), {})).header('vary')).toBe('Origin, Accept-Encoding');
    expect((await callApp(compression()((_e, s) => sendText(s, '200 OK', text, [], 'image/png')), {})).header('vary')).toBeUndefined();
  });

  it('skips HEAD, and 204 and 304 responses', async () => {
    const head = await callApp(compression()(textApp()), { method: 'HEAD', headers: [['accept-encoding', 'gzip']] });
    expect(head.header('content-encoding')).toBeUndefined();
    expect(head.header('content-length')).toBe(String(bytes.length));
    for (const status of ['204 No Content', '304 Not Modified'] as const) {
      const response = await callApp(
        compression()((_e, s) => {
          s(status, [['content-type', 'text/plain'], ['etag', '"x"']]);
          return [];
        }),
        { headers: [['accept-encoding', 'gzip']] },
      );
      expect(response.header('content-encoding')).toBeUndefined();
      expect(response.header('etag')).toBe('"x"');
    }
  });

  it('MW-9: an error page given with excInfo replaces a compressed start', async () => {
    const app = compression()(((_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'application/json']]);
      startResponse('500 Internal Server Error', [['content-type', 'text/plain'], ['content-length', '5']], new Error('x'));
      return [new TextEncoder().encode('oops!')];
    }) as App);
    const response = await callApp(app, { headers: [['accept-encoding', 'gzip']] });
    expect(response.status).toBe('500 Internal Server Error');
    expect(response.text()).toBe('oops!');
  });

  it('decides when a generator body starts its response lazily', async () => {
    const app = compression()((_environ, startResponse) =>
      (function* () {
        startResponse('200 OK', [['content-type', 'text/html']]);
        yield bytes;
      })(),
    );
    const response = await callApp(app, { headers: [['accept-encoding', 'gzip']] });
    expect(response.header('content-encoding')).toBe('gzip');
    expect(gunzipSync(response.body).toString()).toBe(text);
  });
});
