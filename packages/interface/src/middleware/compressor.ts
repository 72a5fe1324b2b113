/**
 * Streaming compressors for the HTTP content codings `br`, `gzip` and `deflate` (RFC 9110
 * section 8.4.1), chosen at run time: `node:zlib` where the platform has it (Node, Bun,
 * Deno, Workers with nodejs_compat), reached through `process.getBuiltinModule` so that no
 * bundler for an edge runtime ever sees an import of it; the web `CompressionStream`
 * elsewhere. Nothing is imported at module load.
 */
import type * as Zlib from 'node:zlib';

export type Coding = 'br' | 'gzip' | 'deflate';

export interface CompressorOptions {
  /** zlib level for gzip and deflate, 0-9 (default 6). */
  level?: number;
  /** Brotli quality, 0-11 (default 4: dynamic responses favour speed). */
  brotliQuality?: number;
  /** `auto` (default): `node:zlib` when the platform has it; `web`: `CompressionStream` always. */
  engine?: 'auto' | 'web';
}

/** One compression stream. Calls are queued, so each sees the previous one finished. */
export interface Compressor {
  /** Compressed bytes for `chunk`; with `flushes`, enough for the client to decode it all. */
  write(chunk: Uint8Array): Promise<Uint8Array[]>;
  /** The rest of the stream, trailer included. */
  finish(): Promise<Uint8Array[]>;
  /** Frees the stream without finishing it (the response was abandoned). */
  destroy(): void;
  /** True when `write` flushes, so that streamed responses reach the client chunk by chunk. */
  readonly flushes: boolean;
}

type ZlibModule = typeof Zlib;

let zlibModule: ZlibModule | null | undefined;

function zlib(): ZlibModule | null {
  if (zlibModule === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    let found: unknown;
    try {
      found = proc?.getBuiltinModule?.('node:zlib');
    } catch {
      found = undefined;
    }
    zlibModule = found && typeof (found as ZlibModule).createGzip === 'function' ? (found as ZlibModule) : null;
  }
  return zlibModule;
}

let webBrotli: boolean | undefined;

function hasWebCompression(format: string): boolean {
  const Stream = (globalThis as { CompressionStream?: new (format: string) => unknown }).CompressionStream;
  if (!Stream) return false;
  try {
    new Stream(format);
    return true;
  } catch {
    return false;
  }
}

/** The codings this runtime can produce, best first. */
export function availableCodings(engine: CompressorOptions['engine'] = 'auto'): Coding[] {
  if (engine !== 'web' && zlib()) return ['br', 'gzip', 'deflate'];
  webBrotli ??= hasWebCompression('brotli');
  const codings: Coding[] = webBrotli ? ['br'] : [];
  if (hasWebCompression('gzip')) codings.push('gzip', 'deflate');
  return codings;
}

/** True when compressors of this engine flush each write (node:zlib does, CompressionStream cannot). */
export function compressorFlushes(engine: CompressorOptions['engine'] = 'auto'): boolean {
  return engine !== 'web' && zlib() !== null;
}

/** A compressor for `coding`: `node:zlib` when present, else `CompressionStream`. */
export function createCompressor(coding: Coding, options: CompressorOptions = {}): Compressor {
  const z = options.engine === 'web' ? null : zlib();
  return z ? new ZlibCompressor(z, coding, options) : new WebCompressor(coding);
}

/** Serialises async operations on one stream. */
class Queue {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(op);
    this.#tail = next.catch(() => {});
    return next;
  }
}

class ZlibCompressor implements Compressor {
  readonly flushes = true;
  readonly #stream: Zlib.Gzip | Zlib.Deflate | Zlib.BrotliCompress;
  readonly #flushKind: number;
  readonly #queue = new Queue();
  #output: Uint8Array[] = [];
  #error: unknown;

  constructor(z: ZlibModule, coding: Coding, options: CompressorOptions) {
    const c = z.constants;
    if (coding === 'br') {
      this.#stream = z.createBrotliCompress({
        params: { [c.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? 4, [c.BROTLI_PARAM_MODE]: c.BROTLI_MODE_TEXT },
      });
      this.#flushKind = c.BROTLI_OPERATION_FLUSH;
    } else {
      const level = options.level ?? 6;
      this.#stream = coding === 'gzip' ? z.createGzip({ level }) : z.createDeflate({ level });
      // A sync flush ends the compressed data on a byte boundary without resetting the
      // dictionary, so the client can decode everything so far at a cost of a few bytes.
      this.#flushKind = c.Z_SYNC_FLUSH;
    }
    this.#stream.on('data', (chunk: Uint8Array) => this.#output.push(chunk));
    this.#stream.on('error', (error) => (this.#error = error));
  }

  #take(): Uint8Array[] {
    if (this.#error !== undefined) throw this.#error;
    const output = this.#output;
    this.#output = [];
    return output;
  }

  write(chunk: Uint8Array): Promise<Uint8Array[]> {
    return this.#queue.run(
      () =>
        new Promise<Uint8Array[]>((resolve, reject) => {
          this.#stream.write(chunk);
          this.#stream.flush(this.#flushKind, () => {
            try {
              resolve(this.#take());
            } catch (error) {
              reject(error);
            }
          });
        }),
    );
  }

  finish(): Promise<Uint8Array[]> {
    return this.#queue.run(
      () =>
        new Promise<Uint8Array[]>((resolve, reject) => {
          this.#stream.once('end', () => {
            try {
              resolve(this.#take());
            } catch (error) {
              reject(error);
            }
          });
          this.#stream.once('error', reject);
          this.#stream.end();
        }),
    );
  }

  destroy(): void {
    this.#stream.destroy();
  }
}

interface WebStreamPair {
  readonly writable: WritableStream<Uint8Array>;
  readonly readable: ReadableStream<Uint8Array>;
}

class WebCompressor implements Compressor {
  /** CompressionStream has no flush: output comes as the compressor's buffers fill. */
  readonly flushes = false;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #reading: Promise<void>;
  readonly #queue = new Queue();
  #output: Uint8Array[] = [];
  #error: unknown;

  constructor(coding: Coding) {
    const Stream = (globalThis as unknown as { CompressionStream: new (format: string) => WebStreamPair }).CompressionStream;
    const pair = new Stream(coding === 'br' ? 'brotli' : coding);
    this.#writer = pair.writable.getWriter();
    const reader = pair.readable.getReader();
    this.#reading = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        this.#output.push(value);
      }
    })().catch((error: unknown) => {
      this.#error = error;
    });
  }

  #take(): Uint8Array[] {
    if (this.#error !== undefined) throw this.#error;
    const output = this.#output;
    this.#output = [];
    return output;
  }

  write(chunk: Uint8Array): Promise<Uint8Array[]> {
    return this.#queue.run(async () => {
      await this.#writer.write(chunk);
      return this.#take();
    });
  }

  finish(): Promise<Uint8Array[]> {
    return this.#queue.run(async () => {
      await this.#writer.close();
      await this.#reading;
      return this.#take();
    });
  }

  destroy(): void {
    this.#writer.abort().catch(() => {});
  }
}
