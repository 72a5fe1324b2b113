import { callApp } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { app } from './app.js';

describe('examples/hello', () => {
  it('greets the name in the path', async () => {
    const response = await callApp(app, { target: '/world' });
    expect(response.status).toBe('200 OK');
    expect(response.header('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.text()).toBe('Hello, world!\n');
  });

  it('decodes a UTF-8 path, percent-encoded on the wire', async () => {
    const response = await callApp(app, { target: '/Zo%C3%AB' });
    expect(response.text()).toBe('Hello, Zoë!\n');
  });

  it('answers 400 for a path that is not UTF-8, 405 with Allow for other methods', async () => {
    expect((await callApp(app, { target: '/%FF' })).status).toBe('400 Bad Request');
    const post = await callApp(app, { method: 'POST', target: '/' });
    expect(post.status).toBe('405 Method Not Allowed');
    expect(post.header('allow')).toBe('GET, HEAD');
  });

  it('BODY-20, BODY-23: HEAD gets the headers and the length of GET, and no body', async () => {
    const head = await callApp(app, { method: 'HEAD', target: '/world' });
    expect(head.header('content-length')).toBe('14');
    expect(head.body.length).toBe(0);
  });
});
