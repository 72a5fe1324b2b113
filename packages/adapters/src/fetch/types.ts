import type { ErrorStream } from '@tsgi/interface';

/**
 * The execution context a fetch runtime passes as the third argument: Cloudflare Workers'
 * `ExecutionContext`, or any object with the same `waitUntil`. Only what tsgi reads is
 * declared, so no runtime's type package is needed.
 */
export interface FetchExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException?(): void;
}

/**
 * The context fromFetchHandler passes to a fetch handler: Workers' `ExecutionContext`
 * shape, which Hono's `fetch` also expects. `props` is Workers' per-entrypoint data.
 */
export interface FetchHandlerContext extends FetchExecutionContext {
  passThroughOnException(): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Workers and Hono type it so
  props: any;
}

/** A fetch handler: what Workers, Deno, Bun, Vercel, Netlify and Hono call. */
export type FetchHandler<Env = unknown> = (request: Request, env: Env, ctx: FetchHandlerContext) => Response | Promise<Response>;

/** The client's address as a runtime reports it (Deno's `info.remoteAddr`, Bun's `server.requestIP`). */
export interface ClientAddress {
  address: string;
  port?: number | string | undefined;
}

export interface ToFetchHandlerOptions<Env = unknown> {
  /**
   * The path the app is mounted under, moved from `PATH_INFO` to `SCRIPT_NAME` when the
   * request path starts with it: `'/legacy'` under `hono.mount('/legacy', ..., { replaceRequest: false })`.
   */
  scriptName?: string;
  /** Where `tsgi.errors` writes; `console.error` by default. */
  errors?: ErrorStream;
  /** Most request body bytes an app may read; past it reads fail with 413 (INP-11). */
  maxBodySize?: number;
  /**
   * The client's address, when the runtime knows it: `(request, info) => info.remoteAddr`
   * on Deno, `(request, server) => server.requestIP(request)` on Bun. Never read from a
   * header a client could forge unless the platform guarantees it (HOST-33).
   */
  clientAddress?: (request: Request, env: Env | undefined, ctx: FetchExecutionContext | undefined) => ClientAddress | null | undefined;
  /** Where `tsgi.wait_until` goes when the runtime passes no `ctx` (Deno, Bun, Node). */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** `tsgi.multiprocess`: true by default, since edge platforms run many isolates of one app. */
  multiprocess?: boolean;
}

declare module '@tsgi/interface' {
  interface HostVariables {
    /** The `Request` the runtime passed (FETCH-3). Read its body through `tsgi.input`, not here. */
    'fetch.request'?: Request;
    /** The second argument of the fetch call: Workers' bindings, Deno's `info`, Bun's `server`. */
    'fetch.env'?: unknown;
    /** The third argument of the fetch call: Workers' `ExecutionContext`. */
    'fetch.ctx'?: FetchExecutionContext;
  }
}
