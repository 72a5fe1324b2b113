import { toFetchHandler } from '@tsgi/adapters/fetch';
import { app } from './app.js';

/** The bindings declared in wrangler.jsonc. */
export interface Env {
  GREETING: string;
}

// Workers call `fetch(request, env, ctx)`: env reaches the app as `fetch.env`, and
// `tsgi.wait_until` goes to `ctx.waitUntil`.
export default {
  fetch: toFetchHandler<Env>(app),
};
