import { Buffer } from 'node:buffer';
import type { Writable } from 'node:stream';
import type { HeaderList, ResponseSink, Status } from '@tsgi/interface';
import { statusCodeOf } from './lambda-response.js';
import { joinedHeaderMap } from './result-headers.js';

/**
 * The parts of the `awslambda` global that the Node.js runtime (and AWS's runtime interface
 * client, `aws-lambda-ric`) defines for response streaming. Declared here, so that no type
 * package is needed to build or use the streaming handler.
 */
export interface AwsLambdaStreaming {
  streamifyResponse<H>(handler: H, options?: { highWaterMark?: number }): H;
  HttpResponseStream: { from(stream: Writable, prelude: Record<string, unknown>): Writable };
}

const EMPTY = Buffer.alloc(0);

/**
 * The prelude of a streamed HTTP response: status, headers (repeated names joined with
 * `, `) and cookies, the payload 2.0 result shape without a body.
 */
export function streamingPrelude(status: Status, headers: HeaderList): Record<string, unknown> {
  const { headers: map, cookies } = joinedHeaderMap(headers);
  const prelude: Record<string, unknown> = { statusCode: statusCodeOf(status), headers: map };
  if (cookies.length > 0) prelude.cookies = cookies;
  return prelude;
}

/**
 * The response sink of a streamed invocation (LAMBDA-20): the status and headers go out as
 * the prelude through `awslambda.HttpResponseStream.from` at the commit; each chunk is
 * written as the body yields it, and `false` from `write` makes the exchange wait for
 * `drain`. The runtime writes the prelude before the first write only, so an empty body
 * (HEAD, 204, `[]`) gets one empty write before the end: the prelude always goes out.
 */
export class StreamingSink implements ResponseSink {
  readonly #runtime: AwsLambdaStreaming;
  readonly #raw: Writable;
  #stream: Writable | undefined;
  #wrote = false;
  #settle!: () => void;
  /** Resolves once the stream has finished, failed or closed. */
  readonly done: Promise<void>;
  /** Set when the response could not complete after the commit; the invocation then fails. */
  failure: { error: unknown } | undefined = undefined;
  /** Called when the runtime's stream breaks before the response is complete. */
  onBroken: ((error: unknown) => void) | undefined = undefined;

  constructor(runtime: AwsLambdaStreaming, responseStream: Writable) {
    this.#runtime = runtime;
    this.#raw = responseStream;
    this.done = new Promise((resolve) => (this.#settle = resolve));
    const broken = (error?: unknown): void => {
      if (this.#raw.writableFinished) return;
      const reason = error ?? new Error('the response stream closed before the response was complete');
      this.failure ??= { error: reason };
      this.onBroken?.(reason);
      this.#settle();
    };
    responseStream.on('error', broken);
    responseStream.once('close', broken);
    responseStream.once('finish', () => this.#settle());
  }

  start(status: Status, headers: HeaderList): void {
    this.#stream = this.#runtime.HttpResponseStream.from(this.#raw, streamingPrelude(status, headers));
  }

  write(chunk: Uint8Array): boolean {
    this.#wrote = true;
    // The runtime JSON-encodes anything that is neither a Buffer nor a plain Uint8Array.
    return this.#stream!.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  drain(): Promise<void> {
    const stream = this.#stream!;
    if (!stream.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const go = (): void => {
        stream.off('drain', go);
        this.#raw.off('close', go);
        resolve();
      };
      stream.on('drain', go);
      // A broken stream never drains: closing wakes the exchange, which then sees it is done.
      this.#raw.on('close', go);
    });
  }

  end(chunk?: Uint8Array): void {
    if (chunk) this.write(chunk);
    else if (!this.#wrote) this.#stream!.write(EMPTY);
    this.#stream!.end();
  }

  destroy(error: unknown): void {
    // Not stream.destroy(): the runtime reports a failed invocation by ending the stream with
    // error trailers when the handler rejects, which the handler does on seeing `failure`.
    this.failure = { error };
    this.#settle();
  }
}
