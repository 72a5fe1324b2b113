import type { Environ, ErrorStream, Status } from '@tsgi/interface';

/** Request limits. Header size and timeouts are enforced by Node's HTTP parser; the rest here. */
export interface NodeLimits {
  /** Largest request header section, request line included, in bytes (HOST-7: 431). Default 16384. */
  maxHeaderSize?: number;
  /** Most header field lines in a request (431 past it). Default 100. */
  maxHeaderCount?: number;
  /** Longest request line (method, target, protocol) in bytes (HOST-8: 414). Default 8192. */
  maxRequestLine?: number;
  /** Largest request body in bytes: 413 when Content-Length says more, `TSGI_INPUT_TOO_LARGE` when a chunked body grows past it. Default: no limit. */
  maxBodySize?: number;
  /** Milliseconds to receive the complete request headers (Node's `headersTimeout`; 408). */
  headersTimeout?: number;
  /** Milliseconds to receive the complete request, body included (Node's `requestTimeout`; 408). */
  requestTimeout?: number;
  /** Milliseconds an idle keep-alive connection stays open (Node's `keepAliveTimeout`). */
  keepAliveTimeout?: number;
  /** Milliseconds from the request's arrival to the end of its response: past it the host gives up (503 before the commit, aborted after; HOST-23). Default: none. */
  requestDeadline?: number;
}

/** What `onResponse` learns about each request once its response is over. */
export interface ResponseInfo {
  environ: Environ;
  /** The status sent, or `""` when the connection ended before the headers were sent. */
  status: Status | '';
  /** Body bytes handed to the transport. */
  bytesSent: number;
  /** Milliseconds from the request's arrival until the response ended or was aborted. */
  durationMs: number;
  /** True when the response did not complete: the client went away, or it was torn down. */
  aborted: boolean;
}

/** Trusted proxies: address patterns (`'10.0.0.0/8'`, `'::1'`, `'loopback'`, `'*'`), or a predicate. */
export type TrustedProxies = readonly string[] | ((address: string) => boolean);

/** Options of `toNodeHandler` (and, through `serve`, of every server it starts). */
export interface NodeHandlerOptions {
  limits?: NodeLimits;
  /** Peers whose `Forwarded` / `X-Forwarded-*` headers are believed (HOST-33). Default: none. */
  trustedProxies?: TrustedProxies;
  /** `tsgi.errors` of every request. Default: standard error. */
  errors?: ErrorStream;
  /** `tsgi.multiprocess` (the pre-fork host sets it). Default false. */
  multiprocess?: boolean;
  /** Called once per request when its response has ended or been aborted (access log, accounting). */
  onResponse?: (info: ResponseInfo) => void;
}

export const DEFAULT_MAX_HEADER_SIZE = 16 * 1024;
export const DEFAULT_MAX_HEADER_COUNT = 100;
export const DEFAULT_MAX_REQUEST_LINE = 8192;

/** Standard error as an ErrorStream: what `tsgi.errors` is when the deployer names nothing (ERR-4). */
export const stderrErrorStream: ErrorStream = {
  write(text: string) {
    process.stderr.write(text);
  },
  flush() {},
};
