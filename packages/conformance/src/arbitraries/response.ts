import fc from 'fast-check';
import type { HeaderList, Status } from '@tsgi/interface';
import { byteCharArbitrary } from './bytes.js';
import { bodyArbitrary, type BodyOptions } from './body.js';
import { statusArbitrary, type StatusOptions } from './status.js';

/** How a generated app hands its body over. */
export type BodyStyle = 'array' | 'sync' | 'async' | 'lazy' | 'write';

/** A response a generated app produces: what it passes to startResponse and yields. */
export interface ResponsePlan {
  status: Status;
  headers: HeaderList;
  /** The chunks the app yields (or writes), empty ones included. */
  chunks: Uint8Array[];
  style: BodyStyle;
  /** The body has a close() method. */
  closable: boolean;
  /** Content-Length is declared (and exact). */
  declaresLength: boolean;
}

const NAMES = ['Content-Type', 'Cache-Control', 'ETag', 'Vary', 'X-Frame-Options', 'Location', 'Link', 'X-Custom'];
const VALUE_CHAR = byteCharArbitrary([0x21, 0x7e], [0x80, 0xff]);

/** Response header values: no control characters, no padding (SR-4, SR-5). */
export function responseHeaderValueArbitrary(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.string({ unit: fc.oneof({ weight: 6, arbitrary: VALUE_CHAR }, { weight: 1, arbitrary: fc.constantFrom(' ', '\t') }), maxLength: 24 }), VALUE_CHAR)
    .map(([middle, last]) => (middle.trim() === middle ? middle + last : last));
}

/** Response header lists: several Set-Cookie pairs, repeated names, mixed letter case. */
export function responseHeadersArbitrary(): fc.Arbitrary<HeaderList> {
  const named = fc.tuple(fc.oneof(fc.constantFrom(...NAMES), fc.stringMatching(/^[Xx]-[A-Za-z0-9]{1,8}$/)), responseHeaderValueArbitrary());
  const cookie = fc.tuple(fc.constantFrom('Set-Cookie', 'set-cookie'), fc.stringMatching(/^[a-z]{1,6}=[A-Za-z0-9]{0,8}(; Path=\/)?(; HttpOnly)?$/));
  return fc.array(fc.oneof({ weight: 3, arbitrary: named }, { weight: 1, arbitrary: cookie }), { maxLength: 6 }).map((pairs) => pairs.map(([n, v]) => [n, v] as [string, string]));
}

export interface ResponseOptions {
  status?: StatusOptions;
  body?: BodyOptions;
  styles?: readonly BodyStyle[];
}

/** Whole responses for generated apps: status, headers, body chunks and how they are produced. */
export function responsePlanArbitrary(options: ResponseOptions = {}): fc.Arbitrary<ResponsePlan> {
  return fc
    .record({
      status: statusArbitrary(options.status),
      headers: responseHeadersArbitrary(),
      body: bodyArbitrary(options.body),
      style: fc.constantFrom(...(options.styles ?? (['array', 'sync', 'async', 'lazy', 'write'] as const))),
      closable: fc.boolean(),
      declaresLength: fc.boolean(),
    })
    .map(({ status, headers, body, style, closable, declaresLength }) => {
      const code = Number(status.slice(0, 3));
      const noBody = code === 204 || code === 205 || code === 304;
      const chunks = noBody ? body.chunks.filter((c) => c.length === 0) : body.chunks;
      const declare = declaresLength && code !== 204;
      const length = chunks.reduce((n, c) => n + c.length, 0);
      return {
        status,
        headers: declare ? [...headers, ['Content-Length', String(length)] as [string, string]] : headers,
        chunks,
        style,
        closable,
        declaresLength: declare,
      };
    });
}
