import { fromFetchHandler } from '@tsgi/adapters/fetch';
import { hono } from './hono-app.js';

/**
 * The Hono app as a tsgi app: it runs on every tsgi host.
 *
 *   tsgi serve examples/hono/src/hono-on-tsgi.ts:app -w 4 -b 127.0.0.1:8000   (pre-fork)
 *   node --import tsx examples/hono/src/serve-node.ts                           (Node host)
 */
export const app = fromFetchHandler(hono.fetch);
