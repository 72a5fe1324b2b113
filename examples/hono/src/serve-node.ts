import { serve } from '@tsgi/adapters/node';
import { app } from './hono-on-tsgi.js';

// The Hono app on tsgi's Node host; Ctrl-C shuts it down gracefully.
const server = await serve(app, { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 8000) });
console.log(`listening on ${server.url}/`);
process.once('SIGINT', () => void server.close());
process.once('SIGTERM', () => void server.close());
