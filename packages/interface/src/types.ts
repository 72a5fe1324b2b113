/**
 * The tsgi 1.0 contract as TypeScript types. The types narrow what editors accept; the
 * conformance lint (`@tsgi/conformance`) stays authoritative for values that cross untyped
 * boundaries. Clause ids refer to `spec/`.
 */

/** A final status line without the protocol: `"200 OK"`, `"404 Not Found"` (SR-1). */
export type Status = `${number} ${string}`;

/** One response or request header as a `[name, value]` pair. */
export type HeaderPair = [name: string, value: string];

/** Response headers: pairs in order, duplicates kept (several Set-Cookie are several pairs). */
export type HeaderList = HeaderPair[];

/** A read-only view of a header list, as hosts hand it to apps in `tsgi.headers`. */
export type ReadonlyHeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/** Something a host releases once the response is over, whatever the path. */
export interface Closable {
  close?(): void | Promise<void>;
}

/** A response body: bytes only, sync or async, optionally closable (APP-3, APP-4, APP-6). */
export type Body = (Iterable<Uint8Array> | AsyncIterable<Uint8Array>) & Closable;

/** The legacy imperative path: resolves when the chunk may be followed by more. */
export type Write = (chunk: Uint8Array) => Promise<void>;

/** `startResponse(status, headers, excInfo?)`; returns the legacy `write`. */
export type StartResponse = (status: Status, headers: HeaderList, excInfo?: unknown) => Write;

/** A tsgi application. */
export type App = (environ: Environ, startResponse: StartResponse) => Body | Promise<Body>;

/** A middleware: a server to the app below it, an app to the server above it. */
export type Middleware = (app: App) => App;

/** `tsgi.input`: the request body, pulled by the app. */
export interface InputStream extends AsyncIterable<Uint8Array> {
  /** Up to `size` bytes (any amount when omitted); an empty array only at end of input. */
  read(size?: number): Promise<Uint8Array>;
  /** Bytes up to and including the next LF, at most `limit` bytes; empty at end of input. */
  readLine(limit?: number): Promise<Uint8Array>;
}

/** `tsgi.errors`: a text stream for diagnostics. */
export interface ErrorStream {
  write(text: string): void;
  flush(): void | Promise<void>;
}

/** Keys that request headers map to: `HTTP_ACCEPT`, `HTTP_X_REQUEST_ID` ... */
export type HttpEnvironKey = `HTTP_${Uppercase<string>}`;

/** The CGI part of the environ. Every value is a ByteString. */
export interface CgiVariables {
  REQUEST_METHOD: string;
  SCRIPT_NAME: string;
  PATH_INFO: string;
  QUERY_STRING: string;
  SERVER_NAME: string;
  SERVER_PORT: string;
  SERVER_PROTOCOL: string;
  REQUEST_URI: string;
  CONTENT_TYPE?: string;
  CONTENT_LENGTH?: string;
  REMOTE_ADDR?: string;
  REMOTE_PORT?: string;
}

/** The `tsgi.*` part of the environ. */
export interface TsgiVariables {
  'tsgi.version': readonly [1, 0];
  'tsgi.url_scheme': 'http' | 'https';
  'tsgi.input': InputStream;
  'tsgi.errors': ErrorStream;
  'tsgi.multithread': boolean;
  'tsgi.multiprocess': boolean;
  'tsgi.run_once': boolean;
  'tsgi.input_terminated': true;
  'tsgi.headers': ReadonlyHeaderList;
  'tsgi.signal': AbortSignal;
  'tsgi.wait_until': (promise: Promise<unknown>) => void;
}

/**
 * Host escape hatches. Each host package adds its own keys by declaration merging
 * (`declare module '@tsgi/interface' { interface HostVariables { 'node.request'?: ... } }`),
 * so the interface package needs no host's types.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface HostVariables {}

/** The request as an app sees it: a fresh plain object (ENV-1). */
export interface Environ extends CgiVariables, TsgiVariables, HostVariables {
  [key: HttpEnvironKey]: string | undefined;
  /** Extension keys live under a dotted prefix: `tsgi.`, a host's, or a middleware's own. */
  [key: `${string}.${string}`]: unknown;
}

/** What a host can do; the conformance suite asks only what a host advertises. */
export type Capability =
  | 'streaming-request-body'
  | 'streaming-response'
  | 'request-trailers'
  | 'response-trailers'
  | 'remote-address'
  | 'client-disconnect'
  | 'wait-until'
  | 'expect-continue'
  | 'raw-request-target'
  | 'http2';

/** Every capability name, for iteration and validation. */
export const CAPABILITIES: readonly Capability[] = [
  'streaming-request-body',
  'streaming-response',
  'request-trailers',
  'response-trailers',
  'remote-address',
  'client-disconnect',
  'wait-until',
  'expect-continue',
  'raw-request-target',
  'http2',
];

/** A host's description of itself. */
export interface HostInfo {
  readonly name: string;
  readonly capabilities: readonly Capability[];
}
