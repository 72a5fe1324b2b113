import { serve, type NodeServerHandle } from '@tsgi/adapters/node';
import { afterAll, beforeAll } from 'vitest';
import { app } from '../src/hono-on-tsgi.js';
import { checkHonoServer } from './hono-server-checks.js';

let server: NodeServerHandle;

beforeAll(async () => {
  server = await serve(app, { host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close({ timeout: 2000 });
});

checkHonoServer('examples/hono: the Hono app on the tsgi Node host (fromFetchHandler)', () => ({
  port: Number(new URL(server.url).port),
  stop: () => server.close(),
}));
