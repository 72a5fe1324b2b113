import type { HeaderList, Status } from '../types.js';
import { formatContentRange, parseRange, resolveRanges, type ByteRange } from './byte-ranges.js';

/** What to answer for a file of `size` bytes, given the request's `Range` (already If-Range checked). */
export interface ServedFileResponse {
  status: Status;
  contentType: string;
  /** The exact number of body bytes. */
  length: number;
  /** Headers beyond the common ones (Content-Range). */
  headers: HeaderList;
  /** Literal bytes and file ranges, in order. */
  parts: Array<Uint8Array | ByteRange>;
}

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * The status, framing and parts of a file response: 200 with the whole file; 206 with one
 * range; 206 `multipart/byteranges` for several (RFC 9110 section 14.6); 416 when no range
 * is satisfiable. A malformed Range, or one of too many parts, is ignored (200), as
 * RFC 9110 section 14.2 allows.
 */
export function servedFileResponse(size: number, contentType: string, range: string | undefined, boundary = newBoundary()): ServedFileResponse {
  const whole: ServedFileResponse = { status: '200 OK', contentType, length: size, headers: [], parts: size > 0 ? [{ start: 0, end: size - 1 }] : [] };
  if (range === undefined) return whole;
  const specs = parseRange(range);
  const ranges = specs && resolveRanges(specs, size);
  if (!ranges) return whole;
  if (ranges.length === 0) {
    const body = encoder.encode('Range Not Satisfiable\n');
    return {
      status: '416 Range Not Satisfiable',
      contentType: 'text/plain; charset=utf-8',
      length: body.length,
      headers: [['content-range', formatContentRange(undefined, size)]],
      parts: [body],
    };
  }
  if (ranges.length === 1) {
    const only = ranges[0]!;
    return { status: '206 Partial Content', contentType, length: only.end - only.start + 1, headers: [['content-range', formatContentRange(only, size)]], parts: [only] };
  }
  const parts: Array<Uint8Array | ByteRange> = [];
  let length = 0;
  for (const [i, part] of ranges.entries()) {
    const head = encoder.encode(`${i === 0 ? '' : '\r\n'}--${boundary}\r\ncontent-type: ${contentType}\r\ncontent-range: ${formatContentRange(part, size)}\r\n\r\n`);
    parts.push(head, part);
    length += head.length + part.end - part.start + 1;
  }
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  parts.push(tail);
  length += tail.length;
  return { status: '206 Partial Content', contentType: `multipart/byteranges; boundary=${boundary}`, length, headers: [], parts };
}

function newBoundary(): string {
  let text = '';
  for (let i = 0; i < 24; i++) text += Math.floor(Math.random() * 36).toString(36);
  return `tsgi-${text}`;
}
