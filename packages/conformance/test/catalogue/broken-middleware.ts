/** Broken middleware: each breaks one rule towards its caller or towards the app it wraps. */
import type { App, Body, Middleware } from '@tsgi/interface';
import type { CatalogueEntry } from './entry.js';

function mw(name: string, expect: string, middleware: Middleware): CatalogueEntry {
  return { kind: 'middleware', name, expect, middleware };
}

async function collect(body: Body): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return chunks;
}

export const BROKEN_MIDDLEWARE: CatalogueEntry[] = [
  mw('rewrites PATH_INFO in place and restores it afterwards', 'MW-5', (app) => (environ, startResponse) => {
    const e = environ as { PATH_INFO: string };
    const saved = e.PATH_INFO;
    e.PATH_INFO = '/inner';
    try {
      return app(environ, startResponse);
    } finally {
      e.PATH_INFO = saved;
    }
  }),
  mw('appends to the body and keeps the old Content-Length', 'MW-7', (app) => async (environ, startResponse) => {
    const body = await app(environ, startResponse);
    return (async function* () {
      yield* body as AsyncIterable<Uint8Array>;
      yield new TextEncoder().encode('<!-- footer -->');
    })();
  }),
  mw('replaces the body and never releases the one it replaced', 'MW-6', (app) => async (environ, startResponse) => {
    const body = await app(environ, startResponse);
    const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]?.() ?? (body as Iterable<Uint8Array>)[Symbol.iterator]();
    const first = await iterator.next();
    return first.done ? [] : [first.value as Uint8Array];
  }),
  mw('drops excInfo when it wraps startResponse', 'MW-9', (app) => (environ, startResponse) => app(environ, (status, headers) => startResponse(status, headers))),
  mw('adds a Connection header', 'SR-6', (app) => (environ, startResponse) => app(environ, (status, headers, excInfo) => startResponse(status, [...headers, ['Connection', 'keep-alive']], excInfo))),
  mw('gives the app a tsgi.signal that never aborts', 'MW-8', (app) => (environ, startResponse) => app({ ...environ, 'tsgi.signal': new AbortController().signal }, startResponse)),
  mw('buffers the whole body and returns it as a string', 'APP-3', (app): App => async (environ, startResponse) => {
    const chunks = await collect(await app(environ, startResponse));
    return new TextDecoder().decode(Buffer.concat(chunks)) as unknown as Body;
  }),
];
