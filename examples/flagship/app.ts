import { compose, type App, type Middleware } from '@tsgi/interface';
import {
  accessLog,
  bodyLimit,
  compression,
  conditionalGet,
  cors,
  errorPages,
  proxyHeaders,
  requestTimeout,
  type AccessLogOptions,
  type ProxyTrustOptions,
} from '@tsgi/interface/middleware';
import { createApi } from './api.js';
import { NewsStore } from './news-store.js';

export interface FlagshipOptions {
  /** Proxies whose Forwarded / X-Forwarded-* headers are believed (default loopback). */
  trust?: ProxyTrustOptions['trust'];
  /** Stack traces in error pages (default: when NODE_ENV is `development`). */
  development?: boolean;
  /** Access log settings, or false for none (default: combined format to tsgi.errors). */
  accessLog?: AccessLogOptions | false;
  /** Milliseconds a request may take (default 10 000). */
  timeout?: number;
  store?: NewsStore;
}

function developmentByDefault(): boolean {
  try {
    return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NODE_ENV === 'development';
  } catch {
    // Deno without --allow-env throws on reading the environment: production it is.
    return false;
  }
}

/**
 * The standard middleware around the API, outermost first: proxy headers (so the log and
 * the app see the client), the access log (so it sees the final status), error pages, a
 * deadline, a body limit, CORS, compression, and conditional GET with computed ETags.
 */
export function flagshipMiddleware(options: FlagshipOptions = {}): Middleware {
  return compose(
    proxyHeaders({ trust: options.trust ?? ['loopback'] }),
    ...(options.accessLog === false ? [] : [accessLog(options.accessLog ?? {})]),
    errorPages({ mode: options.development ?? developmentByDefault() ? 'development' : 'production' }),
    requestTimeout({ timeout: options.timeout ?? 10_000 }),
    bodyLimit({ maxBytes: 64 * 1024 }),
    cors({ exposedHeaders: ['Link'] }),
    compression(),
    conditionalGet({ etag: true }),
  );
}

/** The flagship app: the API in its middleware. */
export function createApp(options: FlagshipOptions = {}): App {
  return flagshipMiddleware(options)(createApi(options.store ?? new NewsStore()));
}

/** The app every host serves: `npm start`, `tsgi serve examples/flagship/app.ts`, Lambda, fetch. */
export const app: App = createApp();

export default app;
