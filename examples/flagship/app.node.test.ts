import { MemoryErrorStream } from '@tsgi/interface';
import { serve, type NodeServerHandle } from '@tsgi/adapters/node';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createApp } from './app.js';
import { checkFlagship } from './host-checks.js';
import { httpSend } from './http-send.js';

let server: NodeServerHandle;
const errors = new MemoryErrorStream();

beforeAll(async () => {
  server = await serve(createApp(), { host: '127.0.0.1', port: 0, errors });
});
afterAll(() => server?.close({ timeout: 1000 }));

describe('examples/flagship on the Node host', () => {
  it('passes the flagship checks over a real socket', async () => {
    await checkFlagship(httpSend(server.url));
  });
});
