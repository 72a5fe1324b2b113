import { describe, expect, it } from 'vitest';
import { sendJson } from '../helpers.js';
import { callApp } from '../memory-host.js';
import { notFoundApp } from '../mount.js';
import type { App } from '../types.js';
import { requestHost, urlMap } from './url-map.js';

const named =
  (name: string): App =>
  (environ, startResponse) =>
    sendJson(startResponse, '200 OK', { name, script: environ.SCRIPT_NAME, path: environ.PATH_INFO });

const map = urlMap({
  '/api': named('api'),
  '/api/v2': named('v2'),
  'http://admin.example.com/': named('admin'),
  '//admin.example.com/tools': named('admin-tools'),
  'https://*.example.com/': named('tenant'),
})(named('fallback'));

const get = async (target: string, host = 'www.other.org') => JSON.parse((await callApp(map, { target, headers: [['host', host]] })).text());

describe('urlMap', () => {
  it('MW-13: the longest prefix wins, on a segment boundary', async () => {
    expect(await get('/api/v2/users')).toEqual({ name: 'v2', script: '/api/v2', path: '/users' });
    expect(await get('/api/x')).toEqual({ name: 'api', script: '/api', path: '/x' });
    expect(await get('/apix')).toEqual({ name: 'fallback', script: '', path: '/apix' });
  });

  it('dispatches by host first, ignoring the port and letter case', async () => {
    expect(await get('/tools/x', 'Admin.Example.com:8080')).toEqual({ name: 'admin-tools', script: '/tools', path: '/x' });
    expect(await get('/other', 'admin.example.com')).toEqual({ name: 'admin', script: '', path: '/other' });
    expect(await get('/x', 'shop.example.com')).toEqual({ name: 'tenant', script: '', path: '/x' });
    expect(await get('/x', 'example.com')).toEqual({ name: 'fallback', script: '', path: '/x' });
  });

  it('falls back from a host without a matching prefix to the host-less apps', async () => {
    const partial = urlMap({ '//a.example/only': named('only'), '/api': named('api') })(notFoundApp);
    const response = await callApp(partial, { target: '/api/x', headers: [['host', 'a.example']] });
    expect(JSON.parse(response.text()).name).toBe('api');
    expect((await callApp(partial, { target: '/nothing', headers: [['host', 'a.example']] })).status).toBe('404 Not Found');
  });

  it('MW-14: the environ it passes is new; the one it received is left as it was', async () => {
    const response = await callApp(map, { target: '/api/v2/z' });
    expect(response.environ).toMatchObject({ SCRIPT_NAME: '', PATH_INFO: '/api/v2/z' });
  });

  it('reads the host from HTTP_HOST or SERVER_NAME', () => {
    expect(requestHost({ HTTP_HOST: '[::1]:8080', SERVER_NAME: 'x' } as never)).toBe('[::1]');
    expect(requestHost({ SERVER_NAME: 'Srv' } as never)).toBe('srv');
  });

  it('refuses bad keys', () => {
    expect(() => urlMap({ 'http://h:80/': named('x') })).toThrow(TypeError);
    expect(() => urlMap({ api: named('x') })(notFoundApp)).toThrow(TypeError);
    expect(() => urlMap({ '/x': 'nope' as never })).toThrow(TypeError);
  });
});
