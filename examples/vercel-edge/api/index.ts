import { toFetchHandler, type FetchExecutionContext } from '@tsgi/adapters/fetch';
import { app } from '../src/app.js';

// Vercel runs this file as an Edge Function: a V8 isolate that calls the default export
// with the Request and a context whose waitUntil outlives the response.
export const config = { runtime: 'edge' };

const handler = toFetchHandler(app, {
  // Vercel's edge network sets x-real-ip to the client address and overwrites what the
  // client sent, so on Vercel it is trustworthy (HOST-33); on any other host it is not.
  clientAddress: (request) => {
    const address = request.headers.get('x-real-ip');
    return address ? { address } : undefined;
  },
});

export default function tsgiEdgeFunction(request: Request, context: FetchExecutionContext): Promise<Response> {
  return handler(request, undefined, context);
}
