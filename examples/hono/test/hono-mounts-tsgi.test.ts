import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hono } from '../src/hono-app.js';
import { send } from '@tsgi-examples/testing';
import { checkHonoServer } from './hono-server-checks.js';

describe('examples/hono: the tsgi app inside Hono, in process', () => {
  it('FETCH-1: hono.request reaches the mounted tsgi app', async () => {
    const response = await hono.request('/legacy/hello');
    expect([response.status, await response.text()]).toEqual([200, 'Hello from the tsgi app\n']);
  });

  it('FETCH-6: the tsgi body streams out of Hono chunk by chunk', async () => {
    const response = await hono.request('/legacy/countdown');
    const reader = response.body!.getReader();
    const chunks: string[] = [];
    for (let step = await reader.read(); !step.done; step = await reader.read()) chunks.push(new TextDecoder().decode(step.value));
    expect(chunks).toEqual(['3\n', '2\n', '1\n', 'liftoff\n']);
  });
});

// Node's own fetch stack: @hono/node-server turns node:http requests into fetch Requests.
let server: ServerType;
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: hono.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      port = info.port;
      resolve();
    });
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

checkHonoServer('examples/hono: the Hono app on @hono/node-server (Node fetch stack)', () => ({ port, stop: async () => {} }));

describe('examples/hono on @hono/node-server', () => {
  it('FETCH-2: Node\'s fetch stack normalises the URL before Hono and the tsgi app see it', async () => {
    const environ = JSON.parse((await send(port, '/scoped/./x/../where?q=%2F')).body);
    expect(environ).toEqual({ SCRIPT_NAME: '/scoped', PATH_INFO: '/where', REQUEST_URI: '/scoped/where?q=%2F', QUERY_STRING: 'q=%2F' });
  });
});
