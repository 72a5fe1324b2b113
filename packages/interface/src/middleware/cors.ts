import type { Environ, HeaderList, Middleware, StartResponse } from '../types.js';
import { appendVary } from './vary.js';

export interface CorsOptions {
  /**
   * Which origins may read responses: `*` (default: any, without credentials), one origin,
   * a list of origins and patterns, a pattern, or a predicate. Compared exactly with the
   * `Origin` field (`https://app.example.com`, no trailing slash).
   */
  origin?: '*' | string | RegExp | ReadonlyArray<string | RegExp> | ((origin: string, environ: Environ) => boolean);
  /** Methods a preflight allows (default GET, HEAD, PUT, PATCH, POST, DELETE). */
  methods?: readonly string[];
  /** Request headers a preflight allows; default: those the preflight asks for. */
  allowedHeaders?: readonly string[];
  /** Response headers scripts may read beyond the safelisted ones. */
  exposedHeaders?: readonly string[];
  /** Allow cookies and HTTP authentication; the origin is then named, never `*`. */
  credentials?: boolean;
  /** Seconds a browser may cache a preflight answer. */
  maxAge?: number;
}

const DEFAULT_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];
const OWN_FIELDS = new Set(['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers']);

/**
 * Cross-origin resource sharing (the Fetch standard's CORS protocol): answers preflight
 * requests itself (204, without calling the app), and adds `Access-Control-Allow-Origin`,
 * `-Allow-Credentials` and `-Expose-Headers` to the app's answers for allowed origins. Adds
 * `Vary: Origin` whenever the answer depends on the origin, so caches keep them apart.
 * Requests from origins not allowed get no CORS fields: the browser then withholds the
 * response from the script.
 */
export function cors(options: CorsOptions = {}): Middleware {
  const allowed = originPredicate(options.origin ?? '*');
  const anyOrigin = options.origin === undefined || options.origin === '*';
  const credentials = options.credentials === true;
  // With credentials a browser refuses `*`, so the origin is echoed and the answer varies by it.
  const varies = !anyOrigin || credentials;
  const methods = (options.methods ?? DEFAULT_METHODS).join(', ');
  const exposed = options.exposedHeaders?.length ? options.exposedHeaders.join(', ') : undefined;
  const allowedHeaders = options.allowedHeaders?.join(', ');
  const maxAge = options.maxAge === undefined ? undefined : String(Math.max(0, Math.floor(options.maxAge)));

  const originFields = (origin: string): HeaderList => {
    const fields: HeaderList = [['access-control-allow-origin', varies ? origin : '*']];
    if (credentials) fields.push(['access-control-allow-credentials', 'true']);
    return fields;
  };

  return (app) => (environ, startResponse) => {
    const origin = environ.HTTP_ORIGIN;
    const preflight = environ.REQUEST_METHOD === 'OPTIONS' && origin !== undefined && environ.HTTP_ACCESS_CONTROL_REQUEST_METHOD !== undefined;
    if (preflight) {
      let headers: HeaderList = [];
      if (allowed(origin, environ)) {
        headers = originFields(origin);
        headers.push(['access-control-allow-methods', methods]);
        const requested = environ.HTTP_ACCESS_CONTROL_REQUEST_HEADERS;
        const allowHeaders = allowedHeaders ?? requested;
        if (allowHeaders) headers.push(['access-control-allow-headers', allowHeaders]);
        if (maxAge !== undefined) headers.push(['access-control-max-age', maxAge]);
        if (allowedHeaders === undefined && requested !== undefined) headers = appendVary(headers, 'Access-Control-Request-Headers');
      }
      if (varies) headers = appendVary(headers, 'Origin');
      startResponse('204 No Content', headers);
      return [];
    }
    if (origin === undefined) {
      if (!varies) return app(environ, startResponse);
      return app(environ, (status, headers, excInfo) => startResponse(status, appendVary(headers, 'Origin'), excInfo));
    }
    const ok = allowed(origin, environ);
    if (!ok && !varies) return app(environ, startResponse);
    const start: StartResponse = (status, headers, excInfo) => {
      let out = headers;
      if (ok) {
        out = headers.filter(([name]) => !OWN_FIELDS.has(name.toLowerCase()));
        out.push(...originFields(origin));
        if (exposed) out.push(['access-control-expose-headers', exposed]);
      }
      if (varies) out = appendVary(out, 'Origin');
      return startResponse(status, out, excInfo);
    };
    return app(environ, start);
  };
}

function originPredicate(origin: NonNullable<CorsOptions['origin']>): (origin: string, environ: Environ) => boolean {
  if (typeof origin === 'function') return origin;
  if (origin === '*') return () => true;
  const list = typeof origin === 'string' || origin instanceof RegExp ? [origin] : origin;
  for (const entry of list) {
    if (typeof entry === 'string' && entry.endsWith('/')) {
      throw new TypeError(`cors: an origin has no path or trailing slash; got ${JSON.stringify(entry)}`);
    }
  }
  return (value) =>
    list.some((entry) => {
      if (typeof entry === 'string') return entry === value;
      entry.lastIndex = 0; // a /g pattern would otherwise resume where its last match ended
      return entry.test(value);
    });
}
