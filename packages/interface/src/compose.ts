import type { App, Middleware } from './types.js';

/**
 * `compose(a, b, c)(app)` is `a(b(c(app)))`: the first middleware is outermost, so it sees
 * the request first and the response last (MW-2).
 */
export function compose(...middleware: Middleware[]): Middleware {
  for (const [i, m] of middleware.entries()) {
    if (typeof m !== 'function') throw new TypeError(`compose: middleware ${i} is not a function; got ${typeof m}`);
  }
  return (app: App): App => {
    let wrapped = app;
    for (let i = middleware.length - 1; i >= 0; i--) wrapped = middleware[i]!(wrapped);
    return wrapped;
  };
}
