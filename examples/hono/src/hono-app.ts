import { toFetchHandler } from '@tsgi/adapters/fetch';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { mount } from 'hono/mount';
import { stream } from 'hono/streaming';
import { legacyApp } from './legacy-app.js';

/** A Hono app with native routes, and the tsgi app mounted inside it twice. */
export const hono = new Hono();

hono.get('/', (c) => c.text('Hello from Hono\n'));

hono.get('/hello/:name', (c) => c.json({ hello: c.req.param('name') }));

hono.get('/cookies', (c) => {
  setCookie(c, 'session', 'abc', { path: '/', httpOnly: true });
  setCookie(c, 'theme', 'dark', { path: '/' });
  return c.text('two cookies\n');
});

hono.post('/upload', async (c) => {
  // The request body streams: count it chunk by chunk.
  let bytes = 0;
  const reader = c.req.raw.body!.getReader();
  for (let step = await reader.read(); !step.done; step = await reader.read()) bytes += step.value.length;
  return c.json({ bytes });
});

hono.get('/ticks', (c) =>
  stream(c, async (out) => {
    for (let i = 0; i < 5; i++) await out.write(`tick ${i}\n`);
  }),
);

// Hono strips the mount path: the tsgi app sees PATH_INFO "/hello" for "/legacy/hello".
hono.mount('/legacy', toFetchHandler(legacyApp));

// With the request left as it is, the tsgi host moves the prefix to SCRIPT_NAME itself.
hono.all('/scoped/*', mount(toFetchHandler(legacyApp, { scriptName: '/scoped' }), { replaceRequest: false }));
