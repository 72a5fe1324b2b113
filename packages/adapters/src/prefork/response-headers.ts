import type { App, Environ, HeaderList } from '@tsgi/interface';

/**
 * Wraps an app so that the headers it starts its response with can be read back once the
 * response is over, for the access log's `%({name}o)s` atoms. Only used when the format
 * asks for them: it costs one WeakMap entry per request.
 */
export function withResponseHeaders(app: App): { app: App; headersOf(environ: Environ): HeaderList | undefined } {
  const seen = new WeakMap<Environ, HeaderList>();
  const wrapped: App = (environ, startResponse) =>
    app(environ, (status, headers, excInfo) => {
      seen.set(environ, headers);
      return startResponse(status, headers, excInfo);
    });
  return { app: wrapped, headersOf: (environ) => seen.get(environ) };
}
