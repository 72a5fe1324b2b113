/**
 * A `ReadableStream` of bytes as the async iterable tsgi reads: one `reader.read()` per
 * `next()`, nothing read ahead (INP-14), `return()` cancels the stream so the producer
 * learns that nobody wants the rest. Written out instead of relying on
 * `ReadableStream.prototype[Symbol.asyncIterator]`, which not every runtime has.
 */
export function byteSourceFromStream(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      const reader = stream.getReader();
      let done = false;
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          if (done) return { done: true, value: undefined };
          const step = await reader.read();
          if (step.done) {
            done = true;
            reader.releaseLock();
            return { done: true, value: undefined };
          }
          return { done: false, value: asBytes(step.value) };
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          if (!done) {
            done = true;
            await reader.cancel();
          }
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/** Runtimes yield Uint8Array; a stream a user built may yield another view or a buffer. */
function asBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError(`[FETCH-12] a body stream must yield bytes; got ${typeof value}`);
}
