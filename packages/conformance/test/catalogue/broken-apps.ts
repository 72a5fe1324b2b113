/** Broken apps: each breaks one app rule that real apps break. */
import type { App, Body, Status } from '@tsgi/interface';
import type { CatalogueEntry } from './entry.js';

const encoder = new TextEncoder();
const ok = encoder.encode('ok');

function app(name: string, expect: string, body: App): CatalogueEntry {
  return { kind: 'app', name, expect, app: body };
}

export const BROKEN_APPS: CatalogueEntry[] = [
  app('passes a status with CR LF', 'SR-1', (_e, sr) => (sr('200 OK\r\nX-Injected: 1' as Status, []), [ok])),
  app('passes an interim 1xx status', 'SR-1', (_e, sr) => (sr('103 Early Hints', []), [ok])),
  app('passes headers as an object', 'SR-2', (_e, sr) => (sr('200 OK', { 'content-type': 'text/plain' } as never), [ok])),
  app('passes a header name with a space', 'SR-3', (_e, sr) => (sr('200 OK', [['Content Type', 'text/plain']]), [ok])),
  app('passes a header value with a NUL byte', 'SR-4', (_e, sr) => (sr('200 OK', [['x-a', 'a\0b']]), [ok])),
  app('passes a Connection header', 'SR-6', (_e, sr) => (sr('200 OK', [['Connection', 'close']]), [ok])),
  app('passes two Content-Length headers', 'SR-7', (_e, sr) => (sr('200 OK', [['Content-Length', '2'], ['Content-Length', '2']]), [ok])),
  app('passes Content-Length with 204', 'SR-8', (_e, sr) => (sr('204 No Content', [['Content-Length', '0']]), [])),
  app('calls startResponse twice without excInfo', 'SR-9', (_e, sr) => {
    sr('200 OK', []);
    try {
      sr('404 Not Found', []);
    } catch {
      // the host refused, as it must; the app still broke SR-9
    }
    return [ok];
  }),
  app('declares a Content-Length that the body does not match', 'BODY-14', (e, sr) => {
    const text = encoder.encode(String(e.PATH_INFO));
    sr('200 OK', [['Content-Length', String(text.length + 1)]]);
    return [text];
  }),
  app('yields a string chunk', 'APP-4', (_e, sr) => {
    sr('200 OK', []);
    return ['a string' as unknown as Uint8Array];
  }),
  app('returns a Uint8Array as its body', 'APP-3', (_e, sr) => (sr('200 OK', []), ok as unknown as Body)),
  app('returns a string as its body', 'APP-3', (_e, sr) => (sr('200 OK', []), 'hello' as unknown as Body)),
  app('yields a chunk before calling startResponse', 'APP-2', (_e, sr) =>
    (async function* () {
      yield ok;
      sr('200 OK', []);
    })(),
  ),
  app('gives its body a close property that is not a function', 'APP-6', (_e, sr) => (sr('200 OK', []), Object.assign([ok], { close: 'yes' }) as unknown as Body)),
  app('writes after returning its body', 'SR-21', (_e, sr) => {
    const write = sr('200 OK', []);
    return (async function* () {
      yield ok;
      await write(ok).catch(() => {});
    })();
  }),
  app('writes a string', 'SR-16', async (_e, sr) => {
    await sr('200 OK', [])('text' as unknown as Uint8Array).catch(() => {});
    return [ok];
  }),
  app('changes PATH_INFO in the environ it received', 'ENV-4', (e, sr) => {
    (e as { PATH_INFO: string }).PATH_INFO = '/rewritten';
    sr('200 OK', []);
    return [ok];
  }),
  app('writes a non-string to tsgi.errors', 'ERR-2', (e, sr) => {
    e['tsgi.errors'].write({ message: 'oops' } as unknown as string);
    sr('200 OK', []);
    return [ok];
  }),
  app('reads tsgi.input twice at once', 'INP-13', async (e, sr) => {
    await Promise.allSettled([e['tsgi.input'].read(), e['tsgi.input'].read()]);
    sr('200 OK', []);
    return [ok];
  }),
  app('passes read(0)', 'INP-6', async (e, sr) => {
    await e['tsgi.input'].read(0).catch(() => {});
    sr('200 OK', []);
    return [ok];
  }),
  app('yields body bytes in a 204 response', 'BODY-19', (_e, sr) => (sr('204 No Content', []), [ok])),
  app('gives tsgi.wait_until a function instead of a promise', 'HOST-26', (e, sr) => {
    e['tsgi.wait_until']((() => {}) as unknown as Promise<void>);
    sr('200 OK', []);
    return [ok];
  }),
  app('is not a function', 'APP-1', { handler: () => {} } as unknown as App),
];
