/**
 * ByteStrings: strings whose every character is one byte (code unit 0-255), the way WHATWG
 * and PEP 3333 define them. Bytes on the wire and characters in the environ map 1:1.
 */

const utf8Decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = /* @__PURE__ */ new TextEncoder();

/** True when every code unit of `value` is in 0-255. */
export function isByteString(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return false;
  return true;
}

/** The bytes of a ByteString (Latin-1 code units to bytes). */
export function bytesFromByteString(value: string): Uint8Array {
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) bytes[i] = value.charCodeAt(i) & 0xff;
  return bytes;
}

/** The ByteString of some bytes (each byte one character). */
export function byteStringFromBytes(bytes: Uint8Array): string {
  let out = '';
  const step = 0x2000;
  for (let i = 0; i < bytes.length; i += step) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + step) as unknown as number[]);
  }
  return out;
}

/** The UTF-8 encoding of any string, as a ByteString (what a client sends for `/é`). */
export function byteStringFromUtf8(value: string): string {
  return byteStringFromBytes(utf8Encoder.encode(value));
}

/**
 * Decodes a ByteString as UTF-8 (e.g. PATH_INFO for routing on Unicode paths).
 * Returns `undefined` when the bytes are not valid UTF-8, so callers choose their answer
 * (usually 400 or 404) instead of getting replacement characters silently.
 */
export function decodeByteStringUtf8(value: string): string | undefined {
  let ascii = true;
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return value;
  try {
    return utf8Decoder.decode(bytesFromByteString(value));
  } catch {
    return undefined;
  }
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/**
 * Percent-decodes a ByteString into a ByteString: `%XX` becomes the byte 0xXX, every other
 * character stays as it is; a `%` not followed by two hex digits stays literal (ENV-5).
 */
export function percentDecodeByteString(value: string): string {
  let i = value.indexOf('%');
  if (i === -1) return value;
  let out = value.slice(0, i);
  const n = value.length;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (c === 37 /* % */ && i + 2 < n) {
      const hi = hexValue(value.charCodeAt(i + 1));
      const lo = hi === -1 ? -1 : hexValue(value.charCodeAt(i + 2));
      if (lo !== -1) {
        out += String.fromCharCode((hi << 4) | lo);
        i += 3;
        continue;
      }
    }
    out += value[i];
    i++;
  }
  return out;
}

const UNRESERVED_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;

/**
 * Percent-encodes a ByteString path so that `percentDecodeByteString` gives it back:
 * the inverse used by tests, clients and hosts that must rebuild a request target.
 */
export function percentEncodePath(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = ch.charCodeAt(0);
    if (code < 0x80 && UNRESERVED_PATH.test(ch)) out += ch;
    else out += '%' + (code & 0xff).toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
