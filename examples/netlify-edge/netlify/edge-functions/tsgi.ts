import { toFetchHandler } from '@tsgi/adapters/fetch';
import { app } from '../../src/app.ts';

/** The part of Netlify's edge Context that the handler reads. */
interface Context {
  ip: string;
  waitUntil(promise: Promise<unknown>): void;
}

const handler = toFetchHandler<Context>(app, {
  // Netlify puts the client address on the context, where no client can forge it.
  clientAddress: (_request, context) => context && { address: context.ip },
});

// Netlify calls (request, context): the context is both fetch.env (geo, site, cookies ...)
// and the execution context whose waitUntil keeps tsgi.wait_until work alive.
export default (request: Request, context: Context): Promise<Response> => handler(request, context, context);

export const config = { path: '/*' };
