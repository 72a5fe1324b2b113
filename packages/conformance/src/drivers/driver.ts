import type { WireRequest, WireResponse } from './wire.js';

/** What a driver can express and observe; checks that need more are reported as not applicable. */
export interface DriverFeatures {
  /** The request target reaches the host byte for byte (raw sockets). */
  rawTarget: boolean;
  /** Header field lines reach the host in order, duplicates kept, names in their letter case. */
  rawHeaders: boolean;
  /** The response's reason phrase is observable (HTTP/1.x status line, statusText). */
  reasonPhrase: boolean;
  /** The response's header lines are observable in order, each pair separately. */
  headerLines: boolean;
  /** Chunks can be observed as they arrive, before the body ends. */
  incremental: boolean;
  /** The client can go away in the middle of a response. */
  disconnect: boolean;
  /** The suite can send bytes that do not parse (malformed requests). */
  malformed: boolean;
  /** Chunked request bodies and request bodies sent in pieces over time. */
  streamingRequest: boolean;
  /** Whether the bytes before the commit can be observed (an HTTP socket, a pending fetch Promise). */
  commitVisible: boolean;
  /**
   * The host frames the response itself (Content-Length, chunked, closing the connection), so
   * what the suite sees is the host's doing; false where a runtime's HTTP server frames what
   * the host hands it (a fetch host on Bun, Deno or workerd).
   */
  framing: boolean;
}

/** One response in progress, as the client sees it. */
export interface DriverExchange {
  /** The status and header lines; rejects when none comes within `timeoutMs`. */
  head(timeoutMs: number): Promise<{ status: number; reason: string; headers: Array<[string, string]> }>;
  /** The next body bytes, or null at the end (or at a broken end: see `complete` of readAll). */
  nextChunk(timeoutMs: number): Promise<Uint8Array | null>;
  readAll(timeoutMs: number): Promise<WireResponse>;
  /** True when any part of the response became visible, before the call or within `ms` of it (BODY-5). */
  anyResponseWithin(ms: number): Promise<boolean>;
  /** The client goes away. */
  disconnect(): void;
  /** The client stops reading (its buffers fill, the transport pushes back). */
  pause?(): void;
}

/** What the host's platform shows of a request: the values the environ must hold. */
export interface RequestView {
  method: string;
  /** REQUEST_URI, when the platform fixes it. */
  requestUri: string | undefined;
  /** SCRIPT_NAME + PATH_INFO. */
  pathInfo: string;
  queryString: string;
  /** `fields`: QUERY_STRING is rebuilt by the host (LAMBDA-7); compared field by field, percent-decoded. */
  queryMatch?: 'exact' | 'fields';
  /** tsgi.headers: names lower-cased, values trimmed, in the platform's order. */
  headers: Array<[string, string]>;
  /** SERVER_NAME and SERVER_PORT the request names. */
  serverName: string | undefined;
  serverPort: string | undefined;
  protocol: string | undefined;
  scheme: 'http' | 'https';
  /** REMOTE_ADDR when the platform gives one. */
  remoteAddress: string | undefined;
}

/** Turns the suite's requests into the host's native input and its output back into responses. */
export interface Driver {
  readonly kind: 'http' | 'lambda' | 'fetch' | 'memory';
  /** A short label for reports: `http`, `lambda v2`, `fetch`. */
  readonly label: string;
  readonly features: DriverFeatures;
  /** The environ values a request must produce on this platform; undefined when it cannot carry the request. */
  view(request: WireRequest, expected: { pathInfo: string; queryString: string }): RequestView | undefined;
  open(request: WireRequest): DriverExchange;
  close(): Promise<void>;
}
