import { toFetchHandler } from '@tsgi/adapters/fetch';
import { app } from './app.ts';

/** The part of Bun's Server that the handler reads: the peer of the request's connection. */
interface BunServer {
  requestIP(request: Request): { address: string; port: number } | null;
}

const handler = toFetchHandler<BunServer>(app, {
  // Bun passes its Server as the second argument of fetch: REMOTE_ADDR and REMOTE_PORT.
  clientAddress: (request, server) => server?.requestIP(request),
});

const server = Bun.serve({
  hostname: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 3000),
  fetch: handler,
});
console.log(`listening on http://${server.hostname}:${server.port}/`);
