import { describe, expect, it } from 'vitest';
import { sendText } from '../helpers.js';
import { callApp } from '../memory-host.js';
import type { App } from '../types.js';
import { cors } from './cors.js';

let called = 0;
const app: App = (_environ, startResponse) => {
  called++;
  return sendText(startResponse, '200 OK', 'data', [['x-total', '3'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
};
const preflight = (origin: string, extra: [string, string][] = []) => ({
  method: 'OPTIONS',
  headers: [['origin', origin], ['access-control-request-method', 'PUT'], ...extra] as [string, string][],
});

describe('cors', () => {
  it('answers a preflight itself, reflecting the requested headers', async () => {
    called = 0;
    const response = await callApp(cors({ origin: 'https://app.example', maxAge: 600 })(app), preflight('https://app.example', [['access-control-request-headers', 'content-type, x-token']]));
    expect(response.status).toBe('204 No Content');
    expect(called).toBe(0);
    expect(response.header('access-control-allow-origin')).toBe('https://app.example');
    expect(response.header('access-control-allow-methods')).toBe('GET, HEAD, PUT, PATCH, POST, DELETE');
    expect(response.header('access-control-allow-headers')).toBe('content-type, x-token');
    expect(response.header('access-control-max-age')).toBe('600');
    expect(response.header('vary')).toBe('Access-Control-Request-Headers, Origin');
    expect(response.header('content-length')).toBeUndefined();
  });

  it('gives a preflight from a foreign origin no CORS fields', async () => {
    const response = await callApp(cors({ origin: ['https://app.example', /^https:\/\/.*\.trusted\.example$/] })(app), preflight('https://evil.example'));
    expect(response.status).toBe('204 No Content');
    expect(response.header('access-control-allow-origin')).toBeUndefined();
    expect(response.header('vary')).toBe('Origin');
  });

  it('adds the origin, credentials and exposed headers to an allowed request, keeping its cookies', async () => {
    const response = await callApp(cors({ origin: /^https:\/\/.*\.trusted\.example$/, credentials: true, exposedHeaders: ['X-Total'] })(app), {
      headers: [['origin', 'https://a.trusted.example']],
    });
    expect(response.header('access-control-allow-origin')).toBe('https://a.trusted.example');
    expect(response.header('access-control-allow-credentials')).toBe('true');
    expect(response.header('access-control-expose-headers')).toBe('X-Total');
    expect(response.header('vary')).toBe('Origin');
    expect(response.headers.filter(([name]) => name === 'set-cookie')).toHaveLength(2);
  });

  it('answers * to any origin without credentials, and needs no Vary then', async () => {
    const response = await callApp(cors()(app), { headers: [['origin', 'https://x.example']] });
    expect(response.header('access-control-allow-origin')).toBe('*');
    expect(response.header('vary')).toBeUndefined();
    expect((await callApp(cors()(app))).header('access-control-allow-origin')).toBeUndefined();
  });

  it('varies by Origin even for requests without one, when the answer depends on it', async () => {
    const response = await callApp(cors({ origin: 'https://app.example' })(app));
    expect(response.header('vary')).toBe('Origin');
    expect(response.header('access-control-allow-origin')).toBeUndefined();
  });

  it('does not allow an origin that only a stateful /g pattern would match once', async () => {
    const middleware = cors({ origin: /^https:\/\/ok\.example$/g })(app);
    for (let i = 0; i < 3; i++) {
      expect((await callApp(middleware, { headers: [['origin', 'https://ok.example']] })).header('access-control-allow-origin')).toBe('https://ok.example');
    }
  });

  it('replaces CORS fields the app set itself', async () => {
    const inner: App = (_e, s) => sendText(s, '200 OK', 'x', [['access-control-allow-origin', '*']]);
    const response = await callApp(cors({ origin: 'https://app.example' })(inner), { headers: [['origin', 'https://app.example']] });
    expect(response.headers.filter(([name]) => name === 'access-control-allow-origin')).toEqual([['access-control-allow-origin', 'https://app.example']]);
  });

  it('refuses an origin with a trailing slash', () => {
    expect(() => cors({ origin: 'https://app.example/' })).toThrow(TypeError);
  });
});
