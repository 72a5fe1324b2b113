import fc from 'fast-check';

/** A body and the chunks it is sent or produced in. */
export interface BodySample {
  bytes: Uint8Array;
  /** The same bytes, split; may contain empty chunks when `empties` is set. */
  chunks: Uint8Array[];
}

export interface BodyOptions {
  maxBytes?: number;
  maxChunks?: number;
  /** Insert empty chunks (default true): they must neither be sent nor commit (BODY-3). */
  empties?: boolean;
}

/** Splits `bytes` at the given cut points (any numbers; taken modulo the length). */
export function splitBytes(bytes: Uint8Array, cuts: readonly number[], empties: readonly number[] = []): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].filter((p) => p > 0 && p < bytes.length).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = point;
  }
  for (const at of empties) chunks.splice(at % (chunks.length + 1), 0, new Uint8Array(0));
  return chunks;
}

/** Bodies of random bytes (binary, NUL and high bytes included) in random chunkings. */
export function bodyArbitrary(options: BodyOptions = {}): fc.Arbitrary<BodySample> {
  const maxBytes = options.maxBytes ?? 2048;
  const size = fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: fc.nat({ max: 64 }) }, { weight: 2, arbitrary: fc.nat({ max: maxBytes }) });
  return size.chain((length) =>
    fc
      .tuple(
        fc.uint8Array({ minLength: length, maxLength: length }),
        fc.array(fc.nat(), { maxLength: (options.maxChunks ?? 6) - 1 }),
        options.empties === false ? fc.constant([] as number[]) : fc.array(fc.nat(), { maxLength: 2 }),
      )
      .map(([bytes, cuts, empties]) => ({ bytes, chunks: splitBytes(bytes, cuts, empties) })),
  );
}
