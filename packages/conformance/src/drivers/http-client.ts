import net from 'node:net';
import { HttpResponseReader, type ResponseHead } from './http-response-reader.js';
import { bytesOf, concatBytes, type WireRequest, type WireResponse } from './wire.js';

export interface Address {
  host: string;
  port: number;
}

export interface RawRequestOptions {
  /** Extra field lines the driver adds after the request's own (Host comes first always). */
  framingHeaders?: Array<readonly [string, string]>;
  /** Send the head only; the caller sends the body with `sendBody` (Expect: 100-continue, slow uploads). */
  holdBody?: boolean;
  /** Send `Connection: close` (default true), so that the end of the response is the end of the connection. */
  close?: boolean;
}

/** The field lines a driver adds for a request: Host first, then framing, then Connection. */
export function driverHeaders(request: WireRequest, address: Address, close = true): { before: Array<[string, string]>; after: Array<[string, string]> } {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  const after: Array<[string, string]> = [];
  if (request.framing === 'length') after.push(['Content-Length', String(request.body.length)]);
  else if (request.framing === 'chunked') after.push(['Transfer-Encoding', 'chunked']);
  if (close) after.push(['Connection', 'close']);
  return { before: [['Host', `${host}:${address.port}`]], after };
}

/** Serialises a request head, byte for byte (ByteStrings go out as Latin-1). */
export function serializeHead(request: WireRequest, lines: ReadonlyArray<readonly [string, string]>): Uint8Array {
  let head = `${request.method} ${request.target} HTTP/1.1\r\n`;
  for (const [name, value] of lines) head += `${name}: ${value}\r\n`;
  return bytesOf(head + '\r\n');
}

/** One body piece in the request's framing. */
export function frameChunk(chunk: Uint8Array, framing: WireRequest['framing']): Uint8Array {
  if (framing !== 'chunked') return chunk;
  if (chunk.length === 0) return chunk;
  return concatBytes([bytesOf(chunk.length.toString(16) + '\r\n'), chunk, bytesOf('\r\n')]);
}

const LAST_CHUNK = bytesOf('0\r\n\r\n');

/**
 * One request on a fresh TCP connection, written byte for byte, with the response read
 * incrementally: the suite sees exactly what the host put on the wire and when, and can
 * stop reading, pause, or disconnect at any point.
 */
export class RawExchange {
  readonly socket: net.Socket;
  readonly reader: HttpResponseReader;
  readonly request: WireRequest;
  /** Raw response bytes received so far. */
  received = 0;
  closed = false;
  /** When the socket closed, and whether it was reset by the peer. */
  closeError: Error | undefined;
  #waiters: Array<() => void> = [];
  #connected: Promise<void>;

  constructor(address: Address, request: WireRequest, options: RawRequestOptions = {}) {
    this.request = request;
    this.reader = new HttpResponseReader(request.method === 'HEAD');
    this.socket = net.connect({ host: address.host, port: address.port });
    this.socket.setNoDelay(true);
    const { before, after } = driverHeaders(request, address, options.close !== false);
    const lines = [...before, ...request.headers, ...(options.framingHeaders ?? []), ...after];
    this.#connected = new Promise((resolve) => this.socket.once('connect', () => resolve()));
    this.socket.on('data', (data: Buffer) => {
      this.received += data.length;
      this.reader.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      this.#wake();
    });
    this.socket.on('error', (error) => {
      this.closeError = error;
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.reader.close();
      this.#wake();
    });
    this.socket.write(serializeHead(request, lines));
    if (!options.holdBody) this.sendBody();
  }

  /** Sends the request body in its framing (all of it, or the given pieces). */
  sendBody(chunks: readonly Uint8Array[] = this.request.chunks, end = true): void {
    if (this.closed) return;
    for (const chunk of chunks) if (chunk.length) this.socket.write(frameChunk(chunk, this.request.framing));
    if (end && this.request.framing === 'chunked') this.socket.write(LAST_CHUNK);
  }

  connected(): Promise<void> {
    return this.#connected;
  }

  #wake(): void {
    const waiters = this.#waiters.splice(0);
    for (const wake of waiters) wake();
  }

  /** Resolves at the next data or close event, or after `ms`. */
  #next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The status line and headers; rejects when the connection ends first or after `timeoutMs`. */
  async head(timeoutMs: number): Promise<ResponseHead> {
    const deadline = Date.now() + timeoutMs;
    while (!this.reader.head) {
      if (this.reader.error) throw new Error(`unparseable response: ${this.reader.error}`);
      if (this.closed) throw new Error('the connection closed before a response head arrived');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response head within ${timeoutMs} ms`);
      await this.#next(left);
    }
    return this.reader.head;
  }

  /** The next decoded body bytes; null at the end of the body or of the connection. */
  async nextChunk(timeoutMs: number): Promise<Uint8Array | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const taken = this.reader.take();
      if (taken.length) return concatBytes(taken);
      if (this.reader.ended || this.closed || this.reader.error) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no body bytes within ${timeoutMs} ms`);
      await this.#next(left);
    }
  }

  /** True when any response bytes arrived, before the call or within `ms` of it. */
  async anyBytesWithin(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.received === 0 && !this.closed && Date.now() < deadline) await this.#next(deadline - Date.now());
    return this.received > 0;
  }

  /** Waits until the connection closes, for at most `ms`; true when it did. */
  async waitClosed(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) await this.#next(deadline - Date.now());
    return this.closed;
  }

  /** Reads the whole response (the connection closes after it: `Connection: close`). */
  async readAll(timeoutMs: number): Promise<WireResponse> {
    const head = await this.head(timeoutMs);
    const parts: Uint8Array[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const chunk = await this.nextChunk(Math.max(1, deadline - Date.now()));
      if (chunk === null) break;
      parts.push(chunk);
    }
    // Give stray bytes after the framed end a moment to show (response splitting).
    if (this.reader.ended && !this.closed) await this.waitClosed(Math.min(200, Math.max(1, deadline - Date.now())));
    return {
      status: head.status,
      reason: head.reason,
      headers: head.headers,
      body: concatBytes(parts),
      complete: this.reader.ended,
      interim: this.reader.interim,
      trailing: this.reader.trailing,
    };
  }

  /** The client goes away. */
  destroy(): void {
    this.socket.destroy();
  }
}

/** Sends raw bytes (a malformed request) and reads whatever comes back until close. */
export async function sendRawBytes(address: Address, bytes: Uint8Array, timeoutMs: number): Promise<{ head: ResponseHead | undefined; closed: boolean }> {
  const socket = net.connect({ host: address.host, port: address.port });
  const reader = new HttpResponseReader(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ head: reader.head, closed });
    };
    socket.on('data', (data: Buffer) => {
      reader.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (reader.ended) finish(false);
    });
    socket.on('error', () => {});
    socket.on('close', () => finish(true));
    socket.write(bytes);
  });
}
