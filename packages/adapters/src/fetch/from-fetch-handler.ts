import { sendText, type App, type Body, type Environ } from '@tsgi/interface';
import { byteSourceFromStream } from './byte-source-from-stream.js';
import { fetchRequestFromEnviron } from './fetch-request-from-environ.js';
import { headFromResponse } from './response-head.js';
import type { FetchHandler, FetchHandlerContext } from './types.js';

export interface FromFetchHandlerOptions<Env = unknown> {
  /**
   * The second argument for the handler (Workers-style bindings). Defaults to the
   * environ's `fetch.env`, so a fetch handler behind toFetchHandler still sees its bindings.
   */
  env?: Env;
}

/** Methods a fetch `Request` refuses to carry (Fetch standard, "forbidden method"). */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** `fetch.ctx` when the request came through the fetch host, else a context over `tsgi.wait_until`. */
function contextFor(environ: Environ): FetchHandlerContext {
  const native = environ['fetch.ctx'];
  if (native !== undefined) return native as FetchHandlerContext;
  const waitUntil = environ['tsgi.wait_until'];
  return {
    waitUntil: (promise) => waitUntil(promise),
    passThroughOnException: () => {},
    props: {},
  };
}

/** The Response body as a tsgi body: released by cancelling the stream (FETCH-12). */
function bodyFromResponse(response: Response): Body {
  const stream = response.body;
  return stream === null ? [] : byteSourceFromStream(stream);
}

/**
 * Runs any fetch handler (a Hono app's `fetch`, an itty-router, a Workers module's `fetch`)
 * as a tsgi app on every tsgi host (FETCH-12): the request body streams from `tsgi.input`,
 * the response body streams back chunk by chunk, each `Set-Cookie` stays its own pair, and
 * `tsgi.signal` aborts `request.signal`.
 */
export function fromFetchHandler<Env = unknown>(handler: FetchHandler<Env>, options: FromFetchHandlerOptions<Env> = {}): App {
  const hasEnv = 'env' in options;
  return async function fetchHandlerApp(environ, startResponse) {
    if (FORBIDDEN_METHODS.has(environ.REQUEST_METHOD.toUpperCase())) {
      return sendText(startResponse, '501 Not Implemented', `a fetch handler cannot receive ${environ.REQUEST_METHOD} requests\n`);
    }
    const request = fetchRequestFromEnviron(environ);
    const env = (hasEnv ? options.env : environ['fetch.env']) as Env | undefined;
    const response = await handler(request, env as Env, contextFor(environ));
    if (!(response instanceof Response)) {
      throw new TypeError(`[FETCH-12] the fetch handler must resolve to a Response; got ${typeof response}`);
    }
    const { status, headers } = headFromResponse(response);
    startResponse(status, headers);
    return bodyFromResponse(response);
  };
}
