import { ProtocolError } from '../errors.js';
import { parseContentLength, statusCode } from '../response-rules.js';
import type { Body, Environ, HeaderList, Middleware, StartResponse, Status, Write } from '../types.js';
import { preferredEncoding } from './accept-encoding.js';
import { availableCodings, compressorFlushes, createCompressor, type Coding, type Compressor, type CompressorOptions } from './compressor.js';
import { isPromise, releaseBody } from './release-body.js';
import { appendVary } from './vary.js';

export interface CompressionOptions extends CompressorOptions {
  /** Codings to offer, best first (default every one the runtime has: br, gzip, deflate). */
  encodings?: readonly Coding[];
  /** Responses whose Content-Length is below this many bytes go out as they are (default 1024). */
  threshold?: number;
  /** Which responses are worth compressing, by Content-Type (default: text and structured text). */
  filter?: (contentType: string, environ: Environ) => boolean;
}

const COMPRESSIBLE =
  /^(?:text\/|application\/(?:json|javascript|ecmascript|xml|wasm|x-www-form-urlencoded|graphql|manifest\+json)|application\/[^;\s]+\+(?:json|xml)|image\/svg\+xml|image\/x-icon|image\/vnd\.microsoft\.icon|font\/(?:otf|ttf))/i;

/** The default filter: text, JSON, JavaScript, XML, SVG, WebAssembly; not images, video, archives. */
export function isCompressible(contentType: string): boolean {
  return COMPRESSIBLE.test(contentType.trim());
}

interface State {
  coding: Coding | undefined;
  /** startResponse was called: `compress` holds a decision. */
  decided: boolean;
  compress: boolean;
  /** The choice can no longer change: the body or a write went through it. */
  frozen: boolean;
  /** The latest status forbids a body (a 204 or 304 replacing a compressed answer). */
  noBody: boolean;
  compressor: Compressor | undefined;
  write: Write | undefined;
}

/**
 * Compresses responses with the coding the client prefers by `Accept-Encoding` (q-values
 * honoured; br, gzip, deflate), chunk by chunk: each inner chunk is compressed and flushed
 * before the next is pulled, so memory stays flat and streamed responses keep streaming
 * (MW-10). Adds `Vary: Accept-Encoding` to every response whose compression depends on it,
 * drops Content-Length and Accept-Ranges from compressed ones (MW-7) and weakens their ETag
 * (the bytes differ, the meaning does not: RFC 9110 section 8.8.3). Leaves alone small
 * responses, already encoded ones, `Cache-Control: no-transform`, 204, 206, 304 and HEAD.
 */
export function compression(options: CompressionOptions = {}): Middleware {
  const available = availableCodings(options.engine);
  const codings = (options.encodings ?? available).filter((coding) => available.includes(coding));
  const threshold = options.threshold ?? 1024;
  const filter = options.filter ?? isCompressible;
  const flushes = compressorFlushes(options.engine);

  /** The headers with Vary when compression depends on Accept-Encoding, else undefined. */
  const decide = (status: Status, headers: HeaderList, environ: Environ): Fields | undefined => {
    const code = statusCode(status);
    if (code === 204 || code === 206 || code === 304) return undefined;
    const fields = fieldsOf(headers);
    if (fields.encoding !== undefined && fields.encoding.trim().toLowerCase() !== 'identity') return undefined;
    if (fields.cacheControl !== undefined && /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(fields.cacheControl)) return undefined;
    if (fields.type === undefined || !filter(fields.type, environ)) return undefined;
    fields.varied = appendVary(headers, 'Accept-Encoding');
    return fields;
  };

  // Clients send few distinct Accept-Encoding values; negotiate each once.
  const negotiated = new Map<string, Coding | undefined>();
  const negotiate = (accept: string | undefined): Coding | undefined => {
    if (accept === undefined) return undefined;
    if (negotiated.has(accept)) return negotiated.get(accept);
    const coding = preferredEncoding(accept, codings);
    if (negotiated.size >= 64) negotiated.clear();
    negotiated.set(accept, coding);
    return coding;
  };

  return (app) => (environ, startResponse) => {
    const head = environ.REQUEST_METHOD === 'HEAD';
    const state: State = {
      coding: negotiate(environ.HTTP_ACCEPT_ENCODING),
      decided: false,
      compress: false,
      frozen: false,
      noBody: false,
      compressor: undefined,
      write: undefined,
    };
    const start: StartResponse = (status, headers, excInfo) => {
      let out = headers;
      const code = statusCode(status);
      state.noBody = code === 204 || code === 304;
      if (state.frozen) {
        if (state.compress && !state.noBody) out = compressedHeaders(appendVary(headers, 'Accept-Encoding'), state.coding!);
      } else {
        const fields = decide(status, headers, environ);
        state.compress = false;
        if (fields) {
          out = fields.varied!;
          const small = fields.length !== undefined && parseContentLength(fields.length) < threshold;
          // An event stream must reach the client event by event; without flushes it would stall.
          const stalls = !flushes && /^text\/event-stream/i.test(fields.type!);
          if (!head && !small && !stalls && state.coding) {
            state.compress = true;
            out = compressedHeaders(out, state.coding);
          }
        }
      }
      state.decided = true;
      state.write = startResponse(status, out, excInfo);
      return (chunk) => write(state, chunk, options);
    };
    const wrap = (body: Body): Body => {
      if (state.decided && !state.compress) {
        state.frozen = true;
        return body;
      }
      return new CompressingBody(body, state, options);
    };
    const result = app(environ, start);
    return isPromise(result) ? result.then(wrap) : wrap(result);
  };
}

/** The fields compression looks at, found in one pass over the headers. */
interface Fields {
  type: string | undefined;
  length: string | undefined;
  encoding: string | undefined;
  cacheControl: string | undefined;
  varied: HeaderList | undefined;
}

function fieldsOf(headers: HeaderList): Fields {
  // Every key from the start: one shape for every response.
  const fields: Fields = { type: undefined, length: undefined, encoding: undefined, cacheControl: undefined, varied: undefined };
  for (const [name, value] of headers) {
    switch (name.length === 12 || name.length === 13 || name.length === 14 || name.length === 16 ? name.toLowerCase() : '') {
      case 'content-type':
        fields.type ??= value;
        break;
      case 'content-length':
        fields.length ??= value;
        break;
      case 'content-encoding':
        fields.encoding ??= value;
        break;
      case 'cache-control':
        fields.cacheControl ??= value;
        break;
    }
  }
  return fields;
}

function compressedHeaders(headers: HeaderList, coding: Coding): HeaderList {
  const out: HeaderList = [];
  for (const pair of headers) {
    const lower = pair[0].toLowerCase();
    if (lower === 'content-length' || lower === 'accept-ranges') continue;
    if (lower === 'etag' && !pair[1].startsWith('W/')) out.push([pair[0], `W/${pair[1]}`]);
    else out.push(pair);
  }
  out.push(['content-encoding', coding]);
  return out;
}

function compressorOf(state: State, options: CompressorOptions): Compressor {
  return (state.compressor ??= createCompressor(state.coding!, options));
}

async function write(state: State, chunk: Uint8Array, options: CompressorOptions): Promise<void> {
  state.frozen = true;
  const outer = state.write!;
  if (!state.compress || state.noBody) return outer(chunk);
  if (!(chunk instanceof Uint8Array)) throw new TypeError(`[SR-16] write() takes a Uint8Array; got ${typeof chunk}`);
  for (const output of joined(await compressorOf(state, options).write(chunk))) await outer(output);
}

/** One chunk for the output of one step (zlib emits a gzip header apart, for one). */
function joined(chunks: Uint8Array[]): Uint8Array[] {
  if (chunks.length <= 1) return chunks;
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return [out];
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** The body of a compressed response: pulls, compresses and hands on one chunk at a time. */
class CompressingBody implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array> {
  readonly #inner: Body;
  readonly #state: State;
  readonly #options: CompressorOptions;
  #iterator: Iterator<Uint8Array> | AsyncIterator<Uint8Array> | undefined;
  #innerFinished = false;
  #pending: Uint8Array[] = [];
  #ended = false;
  #released = false;

  constructor(inner: Body, state: State, options: CompressorOptions) {
    this.#inner = inner;
    this.#state = state;
    this.#options = options;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    const state = this.#state;
    for (;;) {
      if (this.#released) return DONE;
      const pending = this.#pending.shift();
      if (pending) return { done: false, value: pending };
      if (this.#ended) return DONE;
      const step = await this.#pull();
      // Decided for good only now: a generator may start its response during the first pull.
      state.frozen = true;
      if (this.#released) return DONE;
      const compress = state.compress && !state.noBody;
      if (step.done) {
        this.#ended = true;
        if (compress) this.#pending = joined(await compressorOf(state, this.#options).finish());
        continue;
      }
      const chunk = step.value as unknown;
      if (!(chunk instanceof Uint8Array)) {
        throw new ProtocolError('APP-4', `body chunks must be Uint8Array; got ${chunk === null ? 'null' : typeof chunk}`);
      }
      if (!compress) return { done: false, value: chunk };
      if (chunk.length > 0) this.#pending = joined(await compressorOf(state, this.#options).write(chunk));
    }
  }

  async #pull(): Promise<IteratorResult<Uint8Array>> {
    try {
      if (!this.#iterator) {
        const inner = this.#inner as Partial<AsyncIterable<Uint8Array> & Iterable<Uint8Array>> | null;
        const asyncIterator = inner?.[Symbol.asyncIterator];
        const syncIterator = inner?.[Symbol.iterator];
        if (typeof asyncIterator === 'function') this.#iterator = asyncIterator.call(inner);
        else if (typeof syncIterator === 'function') this.#iterator = syncIterator.call(inner);
        else throw new ProtocolError('APP-3', 'the body must be an iterable or async iterable of Uint8Array chunks');
      }
      const step = await this.#iterator.next();
      if (step.done) this.#innerFinished = true;
      return step;
    } catch (error) {
      this.#innerFinished = true;
      throw error;
    }
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    await this.#release().catch(() => {});
    return DONE;
  }

  close(): Promise<void> {
    return this.#release();
  }

  #releasing: Promise<void> | undefined;

  #release(): Promise<void> {
    if (this.#releasing) return this.#releasing;
    this.#released = true;
    if (!this.#ended || this.#pending.length > 0) this.#state.compressor?.destroy();
    this.#releasing = (async () => releaseBody(this.#inner, this.#iterator, this.#iterator !== undefined && !this.#innerFinished))();
    return this.#releasing;
  }
}
