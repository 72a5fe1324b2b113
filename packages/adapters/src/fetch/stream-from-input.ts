import type { InputStream } from '@tsgi/interface';

/**
 * `tsgi.input` as a `ReadableStream`, for the Request that fromFetchHandler builds: one
 * `input.read()` per `pull()`, so the fetch handler's pace decides how fast the client's
 * body is read (INP-14). A read error (413, a truncated body) errors the stream.
 */
export function streamFromInput(input: InputStream): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = await input.read();
        if (chunk.length === 0) controller.close();
        else controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}
