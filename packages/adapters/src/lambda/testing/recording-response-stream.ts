import { Buffer } from 'node:buffer';
import { Writable } from 'node:stream';
import type { AwsLambdaStreaming } from '../streaming-sink.js';

/**
 * An in-memory stand-in for the response stream of the Lambda Node.js runtime, for unit
 * tests; the end-to-end test runs the real one (aws-lambda-ric). It keeps the contract the
 * runtime documents and implements: `HttpResponseStream.from` sets the prelude content type
 * and writes the JSON prelude and eight NUL bytes just before the first write, and no
 * sooner; writes are real Writable writes, so `write()` returns false past the high-water
 * mark and `drain` follows.
 */
export class RecordingResponseStream extends Writable {
  contentType = 'application/octet-stream';
  /** Every buffer that reached the transport, prelude included, in order. */
  readonly received: Buffer[] = [];
  beforeFirstWrite: ((write: (chunk: Uint8Array | string) => void) => void) | undefined;
  #untouched = true;
  readonly #delayMs: number;

  constructor(options: { highWaterMark?: number; delayMs?: number } = {}) {
    super({ highWaterMark: options.highWaterMark ?? 16 * 1024 });
    this.#delayMs = options.delayMs ?? 0;
  }

  setContentType(type: string): void {
    if (!this.#untouched) throw new Error('Cannot set content-type, too late.');
    this.contentType = type;
  }

  override write(chunk: unknown, ...rest: unknown[]): boolean {
    if (this.#untouched) {
      this.#untouched = false;
      this.beforeFirstWrite?.((first) => void super.write(first));
    }
    return (super.write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.received.push(Buffer.from(chunk));
    if (this.#delayMs > 0) setTimeout(callback, this.#delayMs);
    else callback();
  }

  /** Everything received, as one buffer. */
  get bytes(): Buffer {
    return Buffer.concat(this.received);
  }
}

/** The `awslambda` global's streaming parts, over RecordingResponseStream. */
export function recordingRuntime(): AwsLambdaStreaming & { options: unknown[] } {
  const options: unknown[] = [];
  return {
    options,
    streamifyResponse(handler, option) {
      options.push(option);
      return handler;
    },
    HttpResponseStream: {
      from(stream, prelude) {
        const target = stream as RecordingResponseStream;
        target.setContentType('application/vnd.awslambda.http-integration-response');
        target.beforeFirstWrite = (write) => {
          write(JSON.stringify(prelude));
          write(new Uint8Array(8));
        };
        return stream;
      },
    },
  };
}
