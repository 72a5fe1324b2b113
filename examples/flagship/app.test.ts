import { callApp, type MemoryRequest } from '@tsgi/interface';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createApi } from './api.js';
import { createApp, flagshipMiddleware } from './app.js';

const json = async (app: ReturnType<typeof createApp>, request: MemoryRequest) => {
  const response = await callApp(app, request);
  return { response, body: JSON.parse(response.text()) as Record<string, unknown> };
};
const form = (text: string): MemoryRequest => ({
  method: 'POST',
  target: '/like',
  headers: [['content-type', 'application/x-www-form-urlencoded'], ['content-length', String(text.length)]],
  body: new TextEncoder().encode(text),
});
const jsonBody = (value: unknown): MemoryRequest => {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return { method: 'POST', target: '/like', headers: [['content-type', 'application/json'], ['content-length', String(bytes.length)]], body: bytes };
};

describe('examples/flagship', () => {
  it('adds: GET /add?a=5&b=6 is {"status":"OK","sum":11}', async () => {
    const response = await callApp(createApp(), { target: '/add?a=5&b=6' });
    expect(response.status).toBe('200 OK');
    expect(response.header('content-type')).toBe('application/json');
    expect(response.text()).toBe('{"status":"OK","sum":11}');
  });

  it('refuses what is not a number with 400', async () => {
    const { response, body } = await json(createApp(), { target: '/add?a=five&b=6' });
    expect(response.status).toBe('400 Bad Request');
    expect(body.status).toBe('error');
  });

  it('lists news by page, newest first, with Link to the next and previous page', async () => {
    const { response, body } = await json(createApp(), { target: '/news?page=2&per_page=10', headers: [['host', 'api.example']] });
    expect(body).toMatchObject({ status: 'OK', page: 2, per_page: 10, pages: 3, total: 25 });
    expect((body.items as Array<{ id: number }>).map((s) => s.id)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(response.header('link')).toBe('<http://api.example/news?page=3&per_page=10>; rel="next", <http://api.example/news?page=1&per_page=10>; rel="prev"');
    const last = await json(createApp(), { target: '/news?page=3&per_page=10' });
    expect((last.body.items as unknown[]).length).toBe(5);
    expect((await callApp(createApp(), { target: '/news?per_page=500' })).status).toBe('400 Bad Request');
  });

  it('takes path parameters: GET /news/:id', async () => {
    const { body } = await json(createApp(), { target: '/news/7' });
    expect(body.story).toMatchObject({ id: 7, likes: 0 });
    expect((await callApp(createApp(), { target: '/news/99' })).status).toBe('404 Not Found');
    expect((await callApp(createApp(), { target: '/news/abc' })).status).toBe('404 Not Found');
  });

  it('likes from a form body and from a JSON body', async () => {
    const app = createApp();
    expect((await json(app, form('id=3'))).body.story).toMatchObject({ id: 3, likes: 1 });
    expect((await json(app, jsonBody({ id: 3 }))).body.story).toMatchObject({ id: 3, likes: 2 });
    expect((await json(app, { target: '/news/3' })).body.story).toMatchObject({ likes: 2 });
  });

  it('refuses bad like bodies: 400, 404, 413, 415', async () => {
    const app = createApp();
    expect((await callApp(app, jsonBody([3]))).status).toBe('400 Bad Request');
    expect((await callApp(app, form('id=x'))).status).toBe('400 Bad Request');
    expect((await callApp(app, jsonBody({ id: 999 }))).status).toBe('404 Not Found');
    expect((await callApp(app, { ...form('id=3'), headers: [['content-type', 'text/plain']] })).status).toBe('415 Unsupported Media Type');
    const big = new Uint8Array(70_000).fill(32);
    expect((await callApp(app, { method: 'POST', target: '/like', headers: [['content-type', 'application/json']], body: [big] })).status).toBe('413 Content Too Large');
    const malformed = new TextEncoder().encode('{"id":');
    expect((await callApp(app, { method: 'POST', target: '/like', headers: [['content-type', 'application/json']], body: malformed })).status).toBe('400 Bad Request');
  });

  it('answers 404 for unknown paths and 405 with Allow for other methods', async () => {
    expect((await callApp(createApp(), { target: '/nowhere' })).status).toBe('404 Not Found');
    const post = await callApp(createApp(), { method: 'POST', target: '/news' });
    expect(post.status).toBe('405 Method Not Allowed');
    expect(post.header('allow')).toBe('GET, HEAD');
    const get = await callApp(createApp(), { target: '/like' });
    expect(get.header('allow')).toBe('POST');
  });

  it('answers HEAD like GET, without a body', async () => {
    const head = await callApp(createApp(), { method: 'HEAD', target: '/add?a=1&b=2' });
    expect(head.status).toBe('200 OK');
    expect(head.body.length).toBe(0);
    const get = await callApp(createApp(), { target: '/add?a=1&b=2' });
    expect(head.header('content-length')).toBe(String(get.body.length));
    expect(head.header('etag')).toBe(get.header('etag'));
  });

  it('runs in its middleware: compression, ETag and 304, CORS, proxy headers, access log', async () => {
    const app = createApp();
    const page = await callApp(app, { target: '/news?per_page=50', headers: [['accept-encoding', 'gzip'], ['origin', 'https://web.example']] });
    expect(page.header('content-encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(page.body).toString()).total).toBe(25);
    expect(page.header('access-control-allow-origin')).toBe('*');
    expect(page.header('access-control-expose-headers')).toBe('Link');
    const etag = page.header('etag')!;
    expect(etag).toMatch(/^W\//);
    const again = await callApp(app, { target: '/news?per_page=50', headers: [['if-none-match', etag]] });
    expect(again.status).toBe('304 Not Modified');
    const proxied = await callApp(app, { target: '/news?page=1', remoteAddress: '127.0.0.1', headers: [['host', 'internal'], ['x-forwarded-for', '203.0.113.50'], ['x-forwarded-proto', 'https'], ['x-forwarded-host', 'news.example']] });
    expect(proxied.header('link')).toContain('<https://news.example/news?page=2&per_page=10>');
    expect(proxied.errors).toMatch(/^203\.0\.113\.50 - - \[/);
  });

  it('answers an app error with a safe page and logs the detail', async () => {
    const failing = flagshipMiddleware({ accessLog: false })(() => {
      throw new Error('secret detail');
    });
    const response = await callApp(failing, { headers: [['accept', 'application/json']] });
    expect(response.status).toBe('500 Internal Server Error');
    expect(response.text()).not.toContain('secret detail');
    expect(response.errors).toContain('secret detail');
  });

  it('the bare API and the stack answer the same for a small JSON response', async () => {
    const bare = await callApp(createApi(), { target: '/add?a=1.5&b=2' });
    const full = await callApp(createApp(), { target: '/add?a=1.5&b=2' });
    expect(full.text()).toBe(bare.text());
    expect(full.text()).toBe('{"status":"OK","sum":3.5}');
  });
});
