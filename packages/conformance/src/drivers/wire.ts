/** A request as the suite sends it, before a driver turns it into its transport's form. */
export interface WireRequest {
  method: string;
  /** The request target as sent (a ByteString): `/a%2Fb?x`, `*`, `http://h/p`. */
  target: string;
  /** Field lines in order, names as sent, values as sent (ByteStrings). Host and framing are the driver's. */
  headers: Array<readonly [string, string]>;
  body: Uint8Array;
  /** How the body is handed over, piece by piece. */
  chunks: Uint8Array[];
  /** `length`: Content-Length; `chunked`: Transfer-Encoding: chunked; `none`: neither (no body). */
  framing: 'length' | 'chunked' | 'none';
}

/** A response as it arrived. */
export interface WireResponse {
  status: number;
  /** The reason phrase of the status line (HTTP/1.x), or the platform's status text. */
  reason: string;
  /** Field lines in order, names as received. */
  headers: Array<[string, string]>;
  body: Uint8Array;
  /** The body was framed and arrived in full. */
  complete: boolean;
  /** Interim 1xx responses seen before the final one. */
  interim: number[];
  /** Bytes that arrived after the framed end of the body (response splitting). */
  trailing: number;
}

/** Case-insensitive header lookup on a response: every value, in order. */
export function headerValues(headers: ReadonlyArray<readonly [string, string]>, name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The ByteString of some bytes. */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x2000) out += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  return out;
}

/** The bytes of a ByteString. */
export function bytesOf(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}
