/**
 * Byte ranges (RFC 9110 section 14): the `Range` request field and the `Content-Range`
 * response field. `parseRange` and `formatRange` are a pair.
 */

/** An inclusive byte range of a representation: `start` to `end`, both counted from 0. */
export interface ByteRange {
  start: number;
  end: number;
}

/** A range as the client wrote it: first-last, first- (to the end), or -suffix (the last N). */
export type RangeSpec = { first: number; last?: number } | { suffix: number };

/** Most ranges honoured in one request; more is a sign of abuse (RFC 9110 section 14.2). */
export const MAX_RANGES = 16;

const SPEC = /^(?:(\d{1,15})-(\d{0,15})|-(\d{1,15}))$/;

/** The specs of a `bytes=` Range value, or undefined when it is malformed or not in bytes. */
export function parseRange(value: string): RangeSpec[] | undefined {
  const eq = value.indexOf('=');
  if (eq === -1 || value.slice(0, eq).trim().toLowerCase() !== 'bytes') return undefined;
  const specs: RangeSpec[] = [];
  for (const part of value.slice(eq + 1).split(',')) {
    const text = part.trim();
    if (text === '') continue;
    const match = SPEC.exec(text);
    if (!match) return undefined;
    if (match[3] !== undefined) specs.push({ suffix: Number(match[3]) });
    else {
      const first = Number(match[1]);
      if (match[2] === '') specs.push({ first });
      else {
        const last = Number(match[2]);
        if (last < first) return undefined;
        specs.push({ first, last });
      }
    }
  }
  return specs.length ? specs : undefined;
}

/** A `Range` value for these specs. */
export function formatRange(specs: readonly RangeSpec[]): string {
  return `bytes=${specs.map((spec) => ('suffix' in spec ? `-${spec.suffix}` : `${spec.first}-${spec.last ?? ''}`)).join(', ')}`;
}

/**
 * The satisfiable ranges of a representation of `size` bytes, in order, overlapping and
 * adjacent ones merged; an empty array when none is satisfiable (416). More than
 * MAX_RANGES specs yield undefined: answer the whole representation instead.
 */
export function resolveRanges(specs: readonly RangeSpec[], size: number): ByteRange[] | undefined {
  if (specs.length > MAX_RANGES) return undefined;
  const ranges: ByteRange[] = [];
  for (const spec of specs) {
    if ('suffix' in spec) {
      if (spec.suffix > 0 && size > 0) ranges.push({ start: Math.max(0, size - spec.suffix), end: size - 1 });
    } else if (spec.first < size) ranges.push({ start: spec.first, end: Math.min(spec.last ?? size - 1, size - 1) });
  }
  ranges.sort((a, b) => a.start - b.start);
  const merged: ByteRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start <= last.end + 1) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** `bytes 0-99/1000`, or `bytes *\/1000` for a 416. */
export function formatContentRange(range: ByteRange | undefined, size: number): string {
  return range ? `bytes ${range.start}-${range.end}/${size}` : `bytes */${size}`;
}
