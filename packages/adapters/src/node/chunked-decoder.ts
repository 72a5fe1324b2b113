/**
 * Removes HTTP/1.1 chunked framing (RFC 9112 section 7.1) from a byte stream fed in pieces
 * of any size, giving back the chunk data. Trailer fields are read and dropped. `encodeChunked`
 * is its pair.
 */
export class ChunkedDecoder {
  #state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  #line = '';
  #remaining = 0;

  /** True once the last chunk and the trailer section have been read. */
  get done(): boolean {
    return this.#state === 'done';
  }

  /** The chunk data in `bytes`, possibly none; throws on framing that is not chunked. */
  push(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let i = 0;
    while (i < bytes.length && this.#state !== 'done') {
      if (this.#state === 'data') {
        const take = Math.min(this.#remaining, bytes.length - i);
        out.push(bytes.subarray(i, i + take));
        i += take;
        this.#remaining -= take;
        if (this.#remaining === 0) this.#state = 'data-end';
        continue;
      }
      const byte = bytes[i++]!;
      if (byte !== 10 /* LF */) {
        if (this.#line.length > 4096) throw new Error('chunked framing: line too long');
        this.#line += String.fromCharCode(byte);
        continue;
      }
      const line = this.#line.endsWith('\r') ? this.#line.slice(0, -1) : this.#line;
      this.#line = '';
      this.#lineEnded(line);
    }
    return out;
  }

  #lineEnded(line: string): void {
    switch (this.#state) {
      case 'size': {
        // chunk-size [ chunk-ext ]: the extension is ignored.
        const semicolon = line.indexOf(';');
        const hex = (semicolon === -1 ? line : line.slice(0, semicolon)).trim();
        if (!/^[0-9A-Fa-f]{1,12}$/.test(hex)) throw new Error(`chunked framing: bad chunk size ${JSON.stringify(line)}`);
        this.#remaining = parseInt(hex, 16);
        this.#state = this.#remaining === 0 ? 'trailer' : 'data';
        return;
      }
      case 'data-end':
        if (line !== '') throw new Error('chunked framing: chunk data longer than its size');
        this.#state = 'size';
        return;
      case 'trailer':
        if (line === '') this.#state = 'done';
        return;
      default:
        return;
    }
  }
}

/** Chunked framing for these pieces of data, empty ones left out, with the last chunk. */
export function encodeChunked(pieces: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const encoder = new TextEncoder();
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    parts.push(encoder.encode(`${piece.length.toString(16)}\r\n`), piece, encoder.encode('\r\n'));
  }
  parts.push(encoder.encode('0\r\n\r\n'));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
