/**
 * Test support: a client that writes raw bytes to a server and reads back raw responses, for
 * the requests that no well-behaved client sends (malformed lines, conflicting lengths,
 * bodies cut off) and for looking at exactly what the server wrote.
 */
import { connect, type Socket } from 'node:net';
import { ChunkedDecoder } from '../chunked-decoder.js';
import { parseResponseHead } from '../response-head.js';

export interface RawResponse {
  status: string;
  headers: Array<[string, string]>;
  body: Buffer;
  header(name: string): string | undefined;
}

/** An open connection to `url`'s host and port. */
export class RawConnection {
  readonly socket: Socket;
  #received = Buffer.alloc(0);
  #closed = false;
  #waiters: Array<() => void> = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (data: Buffer) => {
      this.#received = Buffer.concat([this.#received, data]);
      this.#wake();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
    socket.on('error', () => {});
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''), () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Bytes received so far. */
  get received(): Buffer {
    return this.#received;
  }

  get closed(): boolean {
    return this.#closed;
  }

  write(data: string | Uint8Array): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Waits until `ready()` holds (checked on every arrival and on close), or throws after `timeoutMs`. */
  async until(ready: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error(`timed out; received so far: ${JSON.stringify(this.#received.toString('latin1').slice(0, 300))}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 20);
      });
    }
  }

  /** Waits for the server to close the connection. */
  untilClosed(timeoutMs?: number): Promise<void> {
    return this.until(() => this.#closed, timeoutMs);
  }

  /** Reads the next complete response (sized, chunked, or ended by the close), consuming its bytes. */
  async response(options: { head?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
    let parsed: { response: RawResponse; length: number } | undefined;
    await this.until(() => (parsed = parseOne(this.#received, this.#closed, options.head === true)) !== undefined, options.timeoutMs);
    this.#received = this.#received.subarray(parsed!.length);
    return parsed!.response;
  }

  close(): void {
    this.socket.destroy();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** One response at the start of `bytes`, skipping 1xx heads, or undefined while incomplete. */
function parseOne(bytes: Buffer, closed: boolean, head: boolean): { response: RawResponse; length: number } | undefined {
  let offset = 0;
  for (;;) {
    const end = bytes.indexOf('\r\n\r\n', offset, 'latin1');
    if (end === -1) return undefined;
    const parsed = parseResponseHead(bytes.toString('latin1', offset, end));
    if (!parsed) throw new Error(`not an HTTP response: ${JSON.stringify(bytes.toString('latin1', offset, end))}`);
    const start = end + 4;
    if (parsed.status.startsWith('1')) {
      offset = start;
      continue;
    }
    const headers = parsed.headers as Array<[string, string]>;
    const find = (name: string) => headers.find(([key]) => key.toLowerCase() === name)?.[1];
    const make = (body: Buffer): RawResponse => ({
      status: parsed.status,
      headers,
      body,
      header: (name) => find(name.toLowerCase()),
    });
    const code = Number(parsed.status.slice(0, 3));
    if (head || code === 204 || code === 304) return { response: make(Buffer.alloc(0)), length: start };
    const length = find('content-length');
    if (length !== undefined) {
      const total = start + Number(length);
      return bytes.length >= total ? { response: make(bytes.subarray(start, total)), length: total } : undefined;
    }
    if (/chunked/i.test(find('transfer-encoding') ?? '')) {
      const decoder = new ChunkedDecoder();
      const parts: Uint8Array[] = [];
      // Feed byte by byte up to the end of the framing so that what follows stays unread.
      for (let i = start; i < bytes.length; i++) {
        parts.push(...decoder.push(bytes.subarray(i, i + 1)));
        if (decoder.done) return { response: make(Buffer.concat(parts)), length: i + 1 };
      }
      return undefined;
    }
    return closed ? { response: make(bytes.subarray(start)), length: bytes.length } : undefined;
  }
}

/** Sends `request` on a new connection and returns the first response. */
export async function rawRequest(url: string, request: string | Uint8Array, options: { head?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
  const connection = await RawConnection.open(url);
  try {
    connection.write(request);
    return await connection.response(options);
  } finally {
    connection.close();
  }
}
