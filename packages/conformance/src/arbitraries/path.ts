import fc from 'fast-check';
import { byteCharArbitrary, utf8ByteStringArbitrary } from './bytes.js';

/** A request path as sent and the PATH_INFO it must become (ENV-8). */
export interface PathSample {
  /** The path as it goes on the wire, a ByteString. */
  raw: string;
  /** The percent-decoded path: SCRIPT_NAME + PATH_INFO, a ByteString. */
  decoded: string;
}

/** A piece of a path segment: what is sent and what it decodes to. */
type Piece = readonly [raw: string, decoded: string];

const HEX = '0123456789ABCDEF';
function pct(code: number, lower: boolean): string {
  const text = '%' + HEX[code >> 4] + HEX[code & 15];
  return lower ? text.toLowerCase() : text;
}

/** Characters a path may carry literally (RFC 3986 pchar, without `%`). */
const PCHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;

export interface PathOptions {
  /** Send some bytes >= 0x80 unencoded (not valid RFC 9112; hosts may answer 400). */
  rawHighBytes?: boolean;
  /** Dot segments, empty segments and malformed `%` escapes (default true). */
  hostile?: boolean;
  maxSegments?: number;
}

/** One byte, literal when the grammar allows it and the draw says so, else %XX. */
function bytePiece(rawHighBytes: boolean): fc.Arbitrary<Piece> {
  const byte = fc.oneof(
    { weight: 6, arbitrary: byteCharArbitrary([0x61, 0x7a], [0x30, 0x39], [0x41, 0x5a]) },
    { weight: 2, arbitrary: fc.constantFrom(...'-._~!$&\'()*+,;=:@') },
    { weight: 2, arbitrary: fc.constantFrom('/', '%', '?', '#', ' ', '"', '<', '>', '\\', '^', '`', '{', '|', '}') },
    { weight: 1, arbitrary: byteCharArbitrary([0x00, 0x1f], [0x7f, 0x7f]) },
    { weight: 2, arbitrary: byteCharArbitrary([0x80, 0xff]) },
  );
  return fc.tuple(byte, fc.boolean(), fc.boolean(), fc.boolean()).map(([ch, encode, lower, raw]): Piece => {
    const code = ch.charCodeAt(0);
    if (PCHAR.test(ch) && !encode) return [ch, ch];
    if (code >= 0x80 && rawHighBytes && raw) return [ch, ch];
    return [pct(code, lower), ch];
  });
}

/** UTF-8 text, percent-encoded byte by byte: `/caf%C3%A9` decodes to `/caf\xC3\xA9`. */
function utf8Piece(): fc.Arbitrary<Piece> {
  return utf8ByteStringArbitrary(3).map((bytes): Piece => {
    let raw = '';
    for (const ch of bytes) raw += PCHAR.test(ch) ? ch : pct(ch.charCodeAt(0), false);
    return [raw, bytes];
  });
}

/** A `%` not followed by two hex digits: it stays as it is (ENV-8). */
const MALFORMED: fc.Arbitrary<Piece> = fc.constantFrom<Piece>(['%zz', '%zz'], ['%G1', '%G1'], ['%-', '%-']);

function segmentArbitrary(options: PathOptions): fc.Arbitrary<Piece> {
  const pieces: Array<{ weight: number; arbitrary: fc.Arbitrary<Piece> }> = [
    { weight: 8, arbitrary: bytePiece(options.rawHighBytes === true) },
    { weight: 2, arbitrary: utf8Piece() },
  ];
  if (options.hostile !== false) pieces.push({ weight: 1, arbitrary: MALFORMED });
  const segment = fc.array(fc.oneof(...pieces), { maxLength: 6 }).map((list): Piece => [list.map((p) => p[0]).join(''), list.map((p) => p[1]).join('')]);
  if (options.hostile === false) return segment;
  return fc.oneof({ weight: 8, arbitrary: segment }, { weight: 1, arbitrary: fc.constantFrom<Piece>(['.', '.'], ['..', '..'], ['', '']) });
}

/**
 * Request paths that exercise percent-decoding: encoded slashes (`%2F`), encoded percent
 * signs (`%25`), UTF-8, any byte encoded, literal characters encoded or not, lower-case
 * hex, malformed escapes, dot segments and empty segments, and optionally raw high bytes.
 */
export function pathArbitrary(options: PathOptions = {}): fc.Arbitrary<PathSample> {
  return fc
    .array(segmentArbitrary(options), { minLength: 0, maxLength: options.maxSegments ?? 5 })
    .map((segments): PathSample => ({
      raw: '/' + segments.map((s) => s[0]).join('/'),
      decoded: '/' + segments.map((s) => s[1]).join('/'),
    }));
}
