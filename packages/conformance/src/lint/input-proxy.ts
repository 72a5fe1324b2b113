import type { InputStream } from '@tsgi/interface';
import { isChunk } from './body-proxy.js';
import type { RequestMonitor } from './request-monitor.js';

const TRUNCATED = 'TSGI_INPUT_TRUNCATED';
const TOO_LARGE = 'TSGI_INPUT_TOO_LARGE';
const BUSY = 'TSGI_INPUT_BUSY';

function validSize(size: unknown): boolean {
  return size === undefined || (typeof size === 'number' && Number.isSafeInteger(size) && size > 0);
}

function codeOf(error: unknown): unknown {
  return error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
}

type Op = 'read' | 'readLine' | 'next';

/**
 * `tsgi.input` as the app sees it under the lint: each call is checked on the app side
 * (INP-6, INP-13) and each answer on the host side: sizes, end of input,
 * CONTENT_LENGTH, truncation and the errors' codes (INP-2 .. INP-12).
 */
export class LintedInput implements InputStream {
  readonly #input: InputStream;
  readonly #monitor: RequestMonitor;
  #pending = 0;
  #delivered = 0;
  #eof = false;
  /** The previous readLine answer had no LF and was short: only the end of input may follow. */
  #mustEndNext: string | undefined;
  #failedWith: string | undefined;
  #brokeOff = false;

  constructor(input: InputStream, monitor: RequestMonitor) {
    this.#input = input;
    this.#monitor = monitor;
  }

  read(size?: number): Promise<Uint8Array> {
    return this.#call('read', size, () => this.#input.read(size));
  }

  readLine(limit?: number): Promise<Uint8Array> {
    return this.#call('readLine', limit, () => this.#input.readLine(limit));
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const iterator = this.#input[Symbol.asyncIterator]();
    const wrapped: AsyncIterator<Uint8Array> = {
      next: () =>
        this.#call('next', undefined, () => iterator.next() as unknown as Promise<Uint8Array>) as unknown as Promise<IteratorResult<Uint8Array>>,
    };
    if (typeof iterator.return === 'function') {
      wrapped.return = (value?: unknown) => {
        this.#brokeOff = true;
        return iterator.return!(value);
      };
    }
    return wrapped;
  }

  async #call(op: Op, size: number | undefined, run: () => Promise<unknown>): Promise<never> {
    const fail = this.#monitor.fail;
    const subject = op === 'next' ? 'tsgi.input iterator next()' : `tsgi.input.${op}(${size === undefined ? '' : String(size)})`;
    const badSize = op !== 'next' && !validSize(size);
    if (badSize) fail('app', 'INP-6', subject, 'must get undefined or a positive safe integer', size);
    const busy = this.#pending > 0;
    if (busy) fail('app', 'INP-13', subject, 'must not start while another read is pending');
    this.#pending++;
    let result: unknown;
    try {
      result = await run();
    } catch (error) {
      this.#pending--;
      const code = codeOf(error);
      if (busy && code !== BUSY) fail('host', 'INP-12', subject, `must reject with code ${BUSY}`, code);
      if (!busy && !badSize && (code === TRUNCATED || code === TOO_LARGE)) this.#failedWith = code as string;
      throw error;
    }
    this.#pending--;
    if (badSize) fail('host', 'INP-5', subject, 'must be refused (thrown or rejected): the argument is not a positive safe integer', size);
    if (busy) fail('host', 'INP-12', subject, `must reject with code ${BUSY} while another read is pending`);
    this.#check(op, size, result, subject);
    return result as never;
  }

  #check(op: Op, size: number | undefined, result: unknown, subject: string): void {
    const fail = this.#monitor.fail;
    if (this.#failedWith !== undefined) {
      const clause = this.#failedWith === TRUNCATED ? 'INP-10' : 'INP-11';
      fail('host', clause, subject, `must reject again: an earlier read failed with ${this.#failedWith}`, result);
    }
    let chunk: unknown;
    let end: boolean;
    if (op === 'next') {
      const step = result as IteratorResult<unknown> | undefined;
      end = step?.done === true;
      chunk = end ? new Uint8Array(0) : step?.value;
      if (!end && (!isChunk(chunk) || chunk.length === 0)) {
        fail('host', 'INP-7', subject, 'must yield non-empty Uint8Array chunks', chunk);
        return;
      }
    } else {
      chunk = result;
      if (!isChunk(chunk)) {
        fail('host', op === 'read' ? 'INP-2' : 'INP-4', subject, 'must resolve to a Uint8Array', chunk);
        return;
      }
      end = chunk.length === 0;
    }
    const bytes = chunk as Uint8Array;
    if (end) return this.#checkEnd(subject);
    if (this.#eof) fail('host', 'INP-3', subject, 'must resolve to an empty Uint8Array after the end of the body', bytes.length);
    if (this.#mustEndNext !== undefined) fail('host', this.#mustEndNext, subject, 'must be the end of the body: the previous answer was short', bytes.length);
    this.#mustEndNext = undefined;
    this.#delivered += bytes.length;
    const length = this.#monitor.requestLength;
    if (length !== undefined && this.#delivered > length) {
      fail('host', 'INP-9', 'tsgi.input', `must not deliver more than CONTENT_LENGTH ${length} bytes`, this.#delivered);
    }
    if (op === 'read') {
      if (size !== undefined && bytes.length > size) fail('host', 'INP-2', subject, `must resolve to at most ${size} bytes`, bytes.length);
    } else if (op === 'readLine') {
      const lf = bytes.indexOf(10);
      if (lf !== -1 && lf !== bytes.length - 1) fail('host', 'INP-4', subject, 'must stop after the first LF', bytes.length);
      if (size !== undefined && bytes.length > size) fail('host', 'INP-4', subject, `must resolve to at most ${size} bytes`, bytes.length);
      else if (lf === -1 && (size === undefined || bytes.length < size)) this.#mustEndNext = 'INP-4';
    }
  }

  #checkEnd(subject: string): void {
    this.#eof = true;
    this.#mustEndNext = undefined;
    const length = this.#monitor.requestLength;
    if (length !== undefined && this.#delivered < length) {
      const clause = this.#brokeOff ? 'INP-8' : 'INP-10';
      this.#monitor.fail('host', clause, subject, `must not report the end of the body after ${this.#delivered} of CONTENT_LENGTH ${length} bytes`);
    }
  }
}
