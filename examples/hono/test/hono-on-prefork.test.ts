import { fileURLToPath } from 'node:url';
import { servePrefork, type PreforkServer } from '@tsgi/adapters/prefork';
import { afterAll, beforeAll } from 'vitest';
import { checkHonoServer } from './hono-server-checks.js';

const module = fileURLToPath(new URL('../src/hono-on-tsgi.ts', import.meta.url));

let server: PreforkServer;

beforeAll(async () => {
  // The workers are separate processes: the app is named by module, as `tsgi serve` names it.
  server = await servePrefork({ app: `${module}:app`, workers: 2, bind: '127.0.0.1:0', handleSignals: false, accessLogfile: null, logLevel: 'error' });
  await server.ready;
}, 60_000);

afterAll(async () => {
  await server?.stop({ graceful: true });
}, 30_000);

checkHonoServer('examples/hono: the Hono app on the pre-fork host, two workers (fromFetchHandler)', () => ({
  port: Number(new URL(server.urls[0]!).port),
  stop: async () => void (await server.stop()),
}));
