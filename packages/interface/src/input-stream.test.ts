import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_INPUT, SourceInputStream } from './input-stream.js';

async function* chunksOf(parts: Uint8Array[], failAtEnd = false): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
  if (failAtEnd) throw new Error('connection reset');
}

/** A body and a way to cut it into chunks (some empty). */
const chunkedBody = fc
  .tuple(fc.uint8Array({ maxLength: 200 }), fc.array(fc.integer({ min: 0, max: 64 }), { maxLength: 12 }))
  .map(([body, cuts]) => {
    const parts: Uint8Array[] = [];
    let at = 0;
    for (const cut of cuts) {
      parts.push(body.subarray(at, Math.min(body.length, at + cut)));
      at = Math.min(body.length, at + cut);
    }
    parts.push(body.subarray(at));
    return { body, parts };
  });

async function drain(read: () => Promise<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for (;;) {
    const chunk = await read();
    if (chunk.length === 0) return out;
    out.push(...chunk);
  }
}

describe('SourceInputStream', () => {
  it('INP-2, INP-3, INP-9: any chunking, read with any sizes, gives the body back exactly, then EOF', async () => {
    await fc.assert(
      fc.asyncProperty(chunkedBody, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }), async ({ body, parts }, sizes) => {
        const input = new SourceInputStream(chunksOf(parts), { contentLength: body.length });
        let i = 0;
        const got = await drain(async () => {
          const size = sizes[i++ % sizes.length]!;
          const chunk = await input.read(size);
          expect(chunk.length).toBeLessThanOrEqual(size);
          return chunk;
        });
        expect(got).toEqual([...body]);
        expect((await input.read()).length).toBe(0);
      }),
    );
  });

  it('INP-9: never more than CONTENT_LENGTH, whatever the source has', async () => {
    await fc.assert(
      fc.asyncProperty(chunkedBody, fc.nat(), async ({ body, parts }, n) => {
        const declared = body.length === 0 ? 0 : n % body.length;
        const input = new SourceInputStream(chunksOf(parts), { contentLength: declared });
        expect(await drain(() => input.read())).toEqual([...body.subarray(0, declared)]);
      }),
    );
  });

  it('INP-4: readLine returns lines with their LF, at most limit bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^[a-z\n]{0,12}$/), { maxLength: 6 }),
        fc.integer({ min: 1, max: 10 }),
        async (pieces, limit) => {
          const text = pieces.join('');
          const bytes = new TextEncoder().encode(text);
          const input = new SourceInputStream(chunksOf(pieces.map((p) => new TextEncoder().encode(p))), { contentLength: bytes.length });
          const lines: string[] = [];
          for (;;) {
            const line = await input.readLine(limit);
            if (line.length === 0) break;
            expect(line.length).toBeLessThanOrEqual(limit);
            const s = new TextDecoder().decode(line);
            // A line ends at its first LF, or is cut at the limit, or is the tail.
            expect(s.indexOf('\n') === -1 || s.indexOf('\n') === s.length - 1).toBe(true);
            lines.push(s);
          }
          expect(lines.join('')).toBe(text);
        },
      ),
    );
  });

  it('INP-7, INP-8: async iteration yields the chunks; break keeps unread bytes for later reads', async () => {
    const input = new SourceInputStream(chunksOf([Uint8Array.of(1, 2), Uint8Array.of(3), Uint8Array.of(4, 5)]), { contentLength: 5 });
    for await (const chunk of input) {
      expect([...chunk]).toEqual([1, 2]);
      break;
    }
    expect(await drain(() => input.read())).toEqual([3, 4, 5]);
  });

  it('INP-10: a body that ends early rejects every read with TSGI_INPUT_TRUNCATED, never EOF', async () => {
    const short = new SourceInputStream(chunksOf([Uint8Array.of(1)]), { contentLength: 4 });
    expect([...(await short.read())]).toEqual([1]);
    await expect(short.read()).rejects.toMatchObject({ code: 'TSGI_INPUT_TRUNCATED' });
    await expect(short.read()).rejects.toMatchObject({ code: 'TSGI_INPUT_TRUNCATED' });
    const reset = new SourceInputStream(chunksOf([Uint8Array.of(1)], true));
    await reset.read();
    await expect(reset.read()).rejects.toMatchObject({ code: 'TSGI_INPUT_TRUNCATED' });
  });

  it('INP-11: a body over the limit rejects with TSGI_INPUT_TOO_LARGE, chunked or declared', async () => {
    const chunked = new SourceInputStream(chunksOf([new Uint8Array(6), new Uint8Array(6)]), { limit: 10 });
    await chunked.read();
    await expect(chunked.read()).rejects.toMatchObject({ code: 'TSGI_INPUT_TOO_LARGE' });
    const declared = new SourceInputStream(chunksOf([new Uint8Array(20)]), { contentLength: 20, limit: 10 });
    await expect(declared.read()).rejects.toMatchObject({ code: 'TSGI_INPUT_TOO_LARGE' });
  });

  it('INP-12: a second read while one is pending is refused with TSGI_INPUT_BUSY; the first completes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const input = new SourceInputStream(
      (async function* () {
        await gate;
        yield Uint8Array.of(9);
      })(),
    );
    const first = input.read();
    await expect(input.read()).rejects.toMatchObject({ code: 'TSGI_INPUT_BUSY' });
    release();
    expect([...(await first)]).toEqual([9]);
  });

  it('INP-5: sizes must be positive safe integers', async () => {
    const input = new SourceInputStream(chunksOf([]), { contentLength: 0 });
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => input.read(bad)).toThrow(/INP-5/);
      expect(() => input.readLine(bad)).toThrow(/INP-5/);
      expect(() => EMPTY_INPUT.read(bad)).toThrow(/INP-5/);
    }
  });

  it('INP-14: nothing is pulled from the source before the app reads; onFirstRead runs once, first', async () => {
    const log: string[] = [];
    const source = (async function* () {
      log.push('pulled');
      yield Uint8Array.of(1);
    })();
    const input = new SourceInputStream(source, { contentLength: 1, onFirstRead: () => log.push('continue') });
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual([]);
    await input.read();
    await input.read();
    expect(log).toEqual(['continue', 'pulled']);
  });
});
