import {
  EMPTY_INPUT,
  Exchange,
  RequestAbortedError,
  RequestError,
  SourceInputStream,
  describeError,
  environFromRequest,
  parseContentLength,
  type App,
  type Environ,
  type ErrorStream,
} from '@tsgi/interface';
import { byteSourceFromStream } from './byte-source-from-stream.js';
import { consoleErrorStream } from './console-error-stream.js';
import { FetchResponseSink } from './fetch-response-sink.js';
import { requestDescriptionFromFetchRequest } from './request-description-from-fetch-request.js';
import type { FetchExecutionContext, ToFetchHandlerOptions } from './types.js';

/** What `toFetchHandler` returns: the signature Workers, Deno, Bun and Hono's `mount` call. */
export type TsgiFetchHandler<Env = unknown> = (request: Request, env?: Env, ctx?: FetchExecutionContext) => Promise<Response>;

function reportRejection(errors: ErrorStream): (error: unknown) => void {
  return (error) => errors.write(`[HOST-28] a promise passed to tsgi.wait_until rejected\n${describeError(error)}\n`);
}

function reportRefusal(errors: ErrorStream): (error: unknown) => void {
  // HOST-25: tsgi.wait_until never throws, even when the platform's waitUntil does.
  return (error) => errors.write(`[HOST-25] the runtime's waitUntil refused a promise\n${describeError(error)}\n`);
}

function errorResponse(error: RequestError): Response {
  // The message names the clause and the offending value, never app internals (HOST-12).
  return new Response(error.message + '\n', {
    status: error.status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}

/**
 * Serves a tsgi app as a fetch handler (FETCH-1): `export default { fetch: toFetchHandler(app) }`
 * on Workers, `Deno.serve(toFetchHandler(app))`, `Bun.serve({ fetch: toFetchHandler(app) })`,
 * `hono.mount('/legacy', toFetchHandler(app))`.
 */
export function toFetchHandler<Env = unknown>(app: App, options: ToFetchHandlerOptions<Env> = {}): TsgiFetchHandler<Env> {
  const errors = options.errors ?? consoleErrorStream;
  const report = reportRejection(errors);
  const refused = reportRefusal(errors);
  const limit = options.maxBodySize;
  const multiprocess = options.multiprocess ?? true;
  const scriptName = options.scriptName;
  const clientAddress = options.clientAddress;
  const fallback = options.waitUntil;
  // HOST-25: any thenable, never throws; HOST-28: rejections are reported, never unhandled.
  const settle = (promise: PromiseLike<unknown>): Promise<unknown> => Promise.resolve(promise).then(undefined, report);
  // Without a ctx, one function serves every request.
  const waitUntilWithoutContext = (promise: PromiseLike<unknown>): void => {
    const settled = settle(promise);
    try {
      fallback?.(settled);
    } catch (error) {
      refused(error);
    }
  };

  const getOptions = { errors, head: false };
  const headOptions = { errors, head: true };

  return function fetchHandler(request: Request, env?: Env, ctx?: FetchExecutionContext): Promise<Response> {
    const method = request.method;
    const head = method === 'HEAD';
    const sink = new FetchResponseSink(head);
    const exchange = new Exchange(sink, head ? headOptions : getOptions);
    sink.attach(exchange);
    let environ: Environ;
    try {
      let input = EMPTY_INPUT;
      // A fetch Request cannot carry a body on GET or HEAD; not asking spares a stream on some runtimes.
      const body = method === 'GET' || head ? null : request.body;
      if (body !== null) {
        const declared = request.headers.get('content-length');
        const length = declared === null ? undefined : parseContentLength(declared);
        input = new SourceInputStream(byteSourceFromStream(body), {
          contentLength: length === undefined || length < 0 ? undefined : length,
          limit,
        });
      }
      const waitUntil =
        ctx && typeof ctx.waitUntil === 'function'
          ? (promise: PromiseLike<unknown>): void => {
              const settled = settle(promise);
              try {
                ctx.waitUntil(settled);
              } catch (error) {
                refused(error);
              }
            }
          : waitUntilWithoutContext;
      environ = environFromRequest(
        requestDescriptionFromFetchRequest(request, {
          input,
          errors,
          lifecycle: exchange,
          waitUntil,
          scriptName,
          multiprocess,
          client: clientAddress?.(request, env, ctx),
        }),
      );
    } catch (error) {
      return error instanceof RequestError ? Promise.resolve(errorResponse(error)) : Promise.reject(error);
    }
    environ['fetch.request'] = request;
    if (env !== undefined) environ['fetch.env'] = env;
    if (ctx !== undefined) environ['fetch.ctx'] = ctx;

    const pending = exchange.run(app, environ);
    // Fully synchronous (an array body): the Response already exists. request.signal is not
    // even read: some runtimes create it on first access, and nothing is left to abort.
    if (pending === undefined && sink.response !== undefined) return Promise.resolve(sink.response);

    const signal = request.signal;
    const response = sink.promise();
    // The client left before the response completed (HOST-22, HOST-24).
    const onAbort = (): void => {
      const reason = signal.reason ?? new RequestAbortedError();
      exchange.abort(reason);
      sink.fail(reason);
    };
    if (signal.aborted) onAbort();
    else if (!sink.finished) {
      signal.addEventListener('abort', onAbort);
      // A runtime may abort request.signal once the response is done: by then the exchange
      // is finished and must not see it (HOST-21).
      sink.onFinish = () => signal.removeEventListener('abort', onAbort);
    }
    const unsettled = (): void => sink.fail(new RequestAbortedError('the exchange ended before committing a response'));
    if (pending === undefined) unsettled();
    else {
      const done = pending.then(unsettled, (error: unknown) => sink.fail(error));
      // Workers cancel a request's timers and I/O once the client leaves, which would leave
      // a body suspended in an await forever, never released. Until the exchange is over,
      // the request's work is work after the response (FETCH-13, BODY-9).
      if (ctx && typeof ctx.waitUntil === 'function') {
        try {
          ctx.waitUntil(done);
        } catch (error) {
          refused(error);
        }
      }
    }
    return response;
  };
}
