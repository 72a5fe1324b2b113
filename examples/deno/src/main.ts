import { toFetchHandler } from '@tsgi/adapters/fetch';
import { app } from './app.ts';

/** The second argument of a Deno.serve handler: where the connection came from. */
interface ServeHandlerInfo {
  remoteAddr: { hostname: string; port: number };
}

const handler = toFetchHandler<ServeHandlerInfo>(app, {
  // Deno knows the peer of each connection: it becomes REMOTE_ADDR and REMOTE_PORT.
  clientAddress: (_request, info) => info && { address: info.remoteAddr.hostname, port: info.remoteAddr.port },
});

Deno.serve(
  {
    hostname: Deno.env.get('HOST') ?? '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 8000),
    onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}/`),
  },
  (request, info) => handler(request, info),
);
