import { servePrefork, type PreforkServer } from '@tsgi/adapters/prefork';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import { checkFlagship } from './host-checks.js';
import { httpSend } from './http-send.js';

let server: PreforkServer | undefined;
afterAll(async () => {
  await server?.stop({ graceful: false });
});

describe('examples/flagship on the pre-fork host', () => {
  it('passes the flagship checks, app.ts loaded by a worker process', async () => {
    // One worker: the likes are counted per worker, and the checks count them.
    server = await servePrefork({
      app: fileURLToPath(new URL('./app.ts', import.meta.url)),
      workers: 1,
      bind: '127.0.0.1:0',
      handleSignals: false,
      accessLogfile: null,
      errorLogfile: '/dev/null',
      bootTimeout: 60,
    });
    await server.ready;
    await checkFlagship(httpSend(server.urls[0]!));
  }, 90_000);
});
