import { decodeByteStringUtf8, sendJson, type App, type Body, type Environ, type StartResponse } from '@tsgi/interface';

/** Path parameters by name, decoded as UTF-8: `/news/:id` gives `{ id: '42' }`. */
export type Params = Readonly<Record<string, string>>;

/** A route handler: a tsgi app that also gets the path parameters. */
export type Handler = (environ: Environ, startResponse: StartResponse, params: Params) => Body | Promise<Body>;

interface Route {
  segments: string[];
  handlers: Map<string, Handler>;
}

/**
 * A compact router that is itself a tsgi app. Patterns are literal segments and `:name`
 * parameters (`/news/:id/like`); routes match `PATH_INFO` segment by segment, so the
 * router works unchanged when mounted below a prefix. A path that matches no pattern is a
 * 404; a path that matches with another method is a 405 with `Allow`. GET routes answer
 * HEAD too, and the host drops the body.
 */
export class Router {
  readonly #routes: Route[] = [];

  get(pattern: string, handler: Handler): this {
    return this.on('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler): this {
    return this.on('POST', pattern, handler);
  }

  put(pattern: string, handler: Handler): this {
    return this.on('PUT', pattern, handler);
  }

  delete(pattern: string, handler: Handler): this {
    return this.on('DELETE', pattern, handler);
  }

  on(method: string, pattern: string, handler: Handler): this {
    if (!pattern.startsWith('/')) throw new TypeError(`a route pattern starts with "/"; got ${JSON.stringify(pattern)}`);
    const segments = split(pattern);
    const key = segments.map((s) => (s.startsWith(':') ? ':' : s)).join('/');
    let route = this.#routes.find((r) => r.segments.map((s) => (s.startsWith(':') ? ':' : s)).join('/') === key);
    if (!route) this.#routes.push((route = { segments, handlers: new Map() }));
    if (route.handlers.has(method)) throw new TypeError(`${method} ${pattern} is routed twice`);
    route.handlers.set(method, handler);
    return this;
  }

  /** The router as a tsgi app. */
  readonly app: App = (environ, startResponse) => {
    const path = decodeByteStringUtf8(environ.PATH_INFO);
    if (path === undefined) return sendJson(startResponse, '400 Bad Request', { status: 'error', message: 'the path is not valid UTF-8' });
    const parts = split(path);
    const method = environ.REQUEST_METHOD;
    let allowed: string[] | undefined;
    for (const route of this.#routes) {
      const params = match(route.segments, parts);
      if (!params) continue;
      const handler = route.handlers.get(method) ?? (method === 'HEAD' ? route.handlers.get('GET') : undefined);
      if (handler) return handler(environ, startResponse, params);
      allowed ??= [];
      for (const name of route.handlers.keys()) allowed.push(name, ...(name === 'GET' ? ['HEAD'] : []));
    }
    if (allowed) {
      const allow = [...new Set(allowed)].join(', ');
      return sendJson(startResponse, '405 Method Not Allowed', { status: 'error', message: `${method} is not allowed here; use ${allow}` }, [['allow', allow]]);
    }
    return sendJson(startResponse, '404 Not Found', { status: 'error', message: 'Not Found' });
  };
}

export function router(): Router {
  return new Router();
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function match(pattern: string[], parts: string[]): Params | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    if (want.startsWith(':')) params[want.slice(1)] = parts[i]!;
    else if (want !== parts[i]) return undefined;
  }
  return params;
}
