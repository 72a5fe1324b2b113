import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError } from '../errors.js';
import { sendText, utf8 } from '../helpers.js';
import { callApp } from '../memory-host.js';
import type { App } from '../types.js';
import { errorPages } from './error-pages.js';

const secret = 'db password is hunter2';
const boom = (): never => {
  throw new Error(secret);
};

describe('errorPages', () => {
  it('production pages name the status and an error id, never the message or stack', async () => {
    const response = await callApp(errorPages()(boom), { headers: [['accept', 'text/html']] });
    expect(response.status).toBe('500 Internal Server Error');
    expect(response.header('content-type')).toBe('text/html; charset=utf-8');
    expect(response.text()).not.toContain(secret);
    expect(response.text()).not.toContain('at ');
    const id = /Error id <code>([0-9a-f]{8})<\/code>/.exec(response.text())?.[1];
    expect(id).toBeDefined();
    // The detail, and the id that ties it to the page, go to tsgi.errors.
    expect(response.errors).toContain(secret);
    expect(response.errors).toContain(`error ${id} answered 500`);
    expect(response.errors).toContain('error-pages.test.ts');
  });

  it('development pages show the escaped message and stack', async () => {
    const app = errorPages({ mode: 'development' })(() => {
      throw new Error('<script>alert(1)</script>');
    });
    const response = await callApp(app, { headers: [['accept', 'text/html,*/*;q=0.8']], target: '/x?a=<b>' });
    expect(response.text()).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(response.text()).not.toContain('<script>');
    expect(response.text()).toContain('error-pages.test.ts');
    expect(response.text()).toContain('GET /x?a=&lt;b&gt;');
  });

  it('answers JSON or text by Accept', async () => {
    const json = await callApp(errorPages()(boom), { headers: [['accept', 'application/json']] });
    expect(JSON.parse(json.text())).toMatchObject({ error: { status: 500, message: 'Internal Server Error' } });
    const text = await callApp(errorPages()(boom), { headers: [] });
    expect(text.header('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.text()).toMatch(/^500 Internal Server Error\nError id [0-9a-f]{8}\n$/);
  });

  it('catches rejections', async () => {
    const response = await callApp(errorPages()(async () => boom()));
    expect(response.status).toBe('500 Internal Server Error');
  });

  it('MW-9: replaces a started response with excInfo', async () => {
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'application/json'], ['set-cookie', 'a=1']]);
      return boom();
    };
    const response = await callApp(errorPages()(app));
    expect(response.status).toBe('500 Internal Server Error');
    expect(response.header('set-cookie')).toBeUndefined();
  });

  it('MW-6: replaces a body that fails before its first chunk, and releases it once', async () => {
    const events: string[] = [];
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']]);
      const body = (async function* () {
        try {
          yield new Uint8Array(0);
          boom();
        } finally {
          events.push('finally');
        }
      })();
      return Object.assign(body, { close: () => void events.push('close') });
    };
    const response = await callApp(errorPages()(app));
    expect(response.status).toBe('500 Internal Server Error');
    expect(response.destroyed).toBe(false);
    expect(events).toEqual(['finally', 'close']);
  });

  it('lets an error after the commit through, so the host aborts the response', async () => {
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']]);
      return (function* () {
        yield utf8('partial');
        boom();
      })();
    };
    const response = await callApp(errorPages()(app));
    expect(response.status).toBe('200 OK');
    expect(response.destroyed).toBe(true);
  });

  it('an error after a write() commit is not replaced either', async () => {
    const app: App = async (_environ, startResponse) => {
      const write = startResponse('200 OK', [['content-type', 'text/plain']]);
      await write(utf8('partial'));
      return boom();
    };
    const response = await callApp(errorPages()(app));
    expect(response.status).toBe('200 OK');
    expect(response.destroyed).toBe(true);
  });

  it('keeps the status of request errors (413 for a body over the limit)', async () => {
    const limit = await callApp(errorPages()(() => {
      throw new PayloadTooLargeError(10);
    }));
    expect(limit.status).toBe('413 Content Too Large');
    const coded = await callApp(errorPages()(() => {
      throw Object.assign(new Error('too big'), { code: 'TSGI_INPUT_TOO_LARGE' });
    }));
    expect(coded.status).toBe('413 Content Too Large');
  });

  it('passes good responses through untouched, arrays as arrays', async () => {
    let body: unknown;
    const app = errorPages()((environ, startResponse) => sendText(startResponse, '201 Created', 'made'));
    const response = await callApp((environ, startResponse) => (body = app(environ, startResponse)) as never);
    expect(response.status).toBe('201 Created');
    expect(response.text()).toBe('made');
    expect(Array.isArray(body)).toBe(true);
  });

  it('uses a custom renderer', async () => {
    const app = errorPages({ render: (page) => ({ status: page.status, headers: [['content-type', 'text/plain']], body: [utf8(`custom ${page.id}`)] }) })(boom);
    expect((await callApp(app)).text()).toMatch(/^custom [0-9a-f]{8}$/);
  });

  it('refuses an unknown mode', () => {
    expect(() => errorPages({ mode: 'debug' as 'development' })).toThrow(TypeError);
  });
});
