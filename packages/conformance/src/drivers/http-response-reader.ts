import { concatBytes, latin1 } from './wire.js';

export interface ResponseHead {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  version: string;
}

type Framing = { kind: 'none' } | { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'close' };

const CRLF_CRLF = [13, 10, 13, 10];

function indexOfSequence(buffer: Uint8Array, sequence: readonly number[], from = 0): number {
  outer: for (let i = from; i <= buffer.length - sequence.length; i++) {
    for (let j = 0; j < sequence.length; j++) if (buffer[i + j] !== sequence[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * An incremental HTTP/1.x response parser for the suite's raw-socket client: it keeps the
 * status line, header lines and body bytes exactly as they arrived, de-chunks, skips (and
 * counts) interim 1xx responses, and notices bytes after the framed end of the body.
 */
export class HttpResponseReader {
  head: ResponseHead | undefined;
  readonly interim: number[] = [];
  /** Body bytes decoded so far that nobody has taken yet. */
  readonly #pending: Uint8Array[] = [];
  #buffer: Uint8Array = new Uint8Array(0);
  #framing: Framing | undefined;
  /** The body reached its framed end. */
  ended = false;
  /** Bytes received after the framed end. */
  trailing = 0;
  /** Something did not parse. */
  error: string | undefined;

  constructor(private readonly headRequest: boolean) {}

  /** Feeds bytes from the socket. */
  push(data: Uint8Array): void {
    if (this.ended) {
      this.trailing += data.length;
      return;
    }
    this.#buffer = this.#buffer.length === 0 ? data : concatBytes([this.#buffer, data]);
    this.#advance();
  }

  /** Body bytes decoded since the last call. */
  take(): Uint8Array[] {
    return this.#pending.splice(0);
  }

  /** The connection closed: a close-delimited body ends here. */
  close(): void {
    if (this.#framing?.kind === 'close') this.ended = true;
  }

  #advance(): void {
    for (;;) {
      if (this.ended || this.error) return;
      if (!this.head) {
        const end = indexOfSequence(this.#buffer, CRLF_CRLF);
        if (end === -1) return;
        const text = latin1(this.#buffer.subarray(0, end));
        this.#buffer = this.#buffer.subarray(end + 4);
        if (!this.#parseHead(text)) return;
        continue;
      }
      const framing = this.#framing!;
      if (framing.kind === 'none') {
        this.ended = true;
        this.trailing += this.#buffer.length;
        this.#buffer = new Uint8Array(0);
        return;
      }
      if (framing.kind === 'close') {
        if (this.#buffer.length) this.#pending.push(this.#buffer);
        this.#buffer = new Uint8Array(0);
        return;
      }
      if (framing.kind === 'length') {
        const take = Math.min(framing.remaining, this.#buffer.length);
        if (take > 0) this.#pending.push(this.#buffer.subarray(0, take));
        framing.remaining -= take;
        this.#buffer = this.#buffer.subarray(take);
        if (framing.remaining === 0) {
          this.ended = true;
          this.trailing += this.#buffer.length;
          this.#buffer = new Uint8Array(0);
        }
        return;
      }
      // chunked: size line, data, CRLF; a zero size ends it after the trailer section.
      const lineEnd = indexOfSequence(this.#buffer, [13, 10]);
      if (lineEnd === -1) return;
      const sizeText = latin1(this.#buffer.subarray(0, lineEnd)).split(';')[0]!.trim();
      if (!/^[0-9A-Fa-f]+$/.test(sizeText)) {
        this.error = `bad chunk size line ${JSON.stringify(sizeText)}`;
        return;
      }
      const size = parseInt(sizeText, 16);
      if (size === 0) {
        const trailerEnd = indexOfSequence(this.#buffer, CRLF_CRLF, lineEnd);
        const bare = this.#buffer.length >= lineEnd + 4 && this.#buffer[lineEnd + 2] === 13 && this.#buffer[lineEnd + 3] === 10;
        const end = bare ? lineEnd + 4 : trailerEnd === -1 ? -1 : trailerEnd + 4;
        if (end === -1) return;
        this.ended = true;
        this.trailing += this.#buffer.length - end;
        this.#buffer = new Uint8Array(0);
        return;
      }
      if (this.#buffer.length < lineEnd + 2 + size + 2) return;
      this.#pending.push(this.#buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      this.#buffer = this.#buffer.subarray(lineEnd + 2 + size + 2);
    }
  }

  #parseHead(text: string): boolean {
    const lines = text.split('\r\n');
    const match = /^(HTTP\/\d(?:\.\d)?) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
    if (!match) {
      this.error = `bad status line ${JSON.stringify(lines[0])}`;
      return false;
    }
    const status = Number(match[2]);
    const headers: Array<[string, string]> = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) {
        this.error = `bad header line ${JSON.stringify(line)}`;
        return false;
      }
      headers.push([line.slice(0, colon), line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')]);
    }
    if (status >= 100 && status < 200) {
      this.interim.push(status);
      return true;
    }
    this.head = { status, reason: match[3] ?? '', headers, version: match[1]! };
    const lower = (name: string) => headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
    const te = lower('transfer-encoding').join(',').toLowerCase();
    const length = lower('content-length');
    if (this.headRequest || status === 204 || status === 304) this.#framing = { kind: 'none' };
    else if (te.includes('chunked')) this.#framing = { kind: 'chunked' };
    else if (length.length > 0 && /^\d+$/.test(length[0]!)) this.#framing = { kind: 'length', remaining: Number(length[0]) };
    else this.#framing = { kind: 'close' };
    return true;
  }
}
