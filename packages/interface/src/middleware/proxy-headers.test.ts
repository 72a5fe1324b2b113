import { describe, expect, it } from 'vitest';
import { callApp } from '../memory-host.js';
import { sendJson } from '../helpers.js';
import type { App, Environ } from '../types.js';
import { proxyHeaders, PROXY_ORIGINAL_KEY } from './proxy-headers.js';
import { requestUrl } from '../helpers.js';

let seen: Environ | undefined;
const echo: App = (environ, startResponse) => {
  seen = environ;
  return sendJson(startResponse, '200 OK', { url: requestUrl(environ).href, remote: environ.REMOTE_ADDR ?? null });
};

describe('proxyHeaders', () => {
  it('MW-5: rewrites the client view in a new environ behind a trusted proxy', async () => {
    const app = proxyHeaders()(echo);
    const response = await callApp(app, {
      target: '/x?y=1',
      remoteAddress: '127.0.0.1',
      headers: [
        ['host', 'internal:8000'],
        ['x-forwarded-for', '198.51.100.7'],
        ['x-forwarded-proto', 'https'],
        ['x-forwarded-host', 'example.com'],
        ['x-forwarded-prefix', '/shop'],
      ],
    });
    expect(JSON.parse(response.text())).toEqual({ url: 'https://example.com/shop/x?y=1', remote: '198.51.100.7' });
    expect(seen).toMatchObject({ SERVER_NAME: 'example.com', SERVER_PORT: '443', SCRIPT_NAME: '/shop', PATH_INFO: '/x', 'tsgi.url_scheme': 'https' });
    expect(seen![PROXY_ORIGINAL_KEY]).toMatchObject({ REMOTE_ADDR: '127.0.0.1', HTTP_HOST: 'internal:8000', 'tsgi.url_scheme': 'http' });
    // The host's environ was left as it was.
    expect(response.environ).toMatchObject({ REMOTE_ADDR: '127.0.0.1', HTTP_HOST: 'internal:8000', SCRIPT_NAME: '' });
  });

  it('ignores spoofed headers from an untrusted peer and passes the same environ', async () => {
    const app = proxyHeaders()(echo);
    const response = await callApp(app, {
      remoteAddress: '203.0.113.9',
      headers: [
        ['host', 'example.com'],
        ['x-forwarded-for', '1.1.1.1'],
        ['x-forwarded-proto', 'https'],
        ['forwarded', 'for=2.2.2.2;proto=https'],
      ],
    });
    expect(JSON.parse(response.text())).toEqual({ url: 'http://example.com/', remote: '203.0.113.9' });
    expect(seen).toBe(response.environ);
  });

  it('moves SERVER_PORT to the scheme default when only the proto changes', async () => {
    await callApp(proxyHeaders()(echo), { remoteAddress: '::1', headers: [['host', 'example.com'], ['x-forwarded-proto', 'https']] });
    expect(seen).toMatchObject({ SERVER_PORT: '443', 'tsgi.url_scheme': 'https', REMOTE_ADDR: '::1' });
  });

  it('takes SERVER_PORT from X-Forwarded-Port', async () => {
    await callApp(proxyHeaders()(echo), { remoteAddress: '127.0.0.1', headers: [['host', 'example.com'], ['x-forwarded-host', 'example.com'], ['x-forwarded-port', '8443'], ['x-forwarded-proto', 'https']] });
    expect(seen).toMatchObject({ SERVER_NAME: 'example.com', SERVER_PORT: '8443' });
  });

  it('leaves REMOTE_ADDR and REMOTE_PORT out when the proxy reports the client unknown', async () => {
    await callApp(proxyHeaders()(echo), { remoteAddress: '127.0.0.1', headers: [['forwarded', 'for=unknown']], extra: {} });
    expect(seen && 'REMOTE_ADDR' in seen).toBe(false);
    expect(seen && 'REMOTE_PORT' in seen).toBe(false);
  });

  it('reads Forwarded with an IPv6 node and port', async () => {
    await callApp(proxyHeaders()(echo), { remoteAddress: '127.0.0.1', headers: [['host', 'h'], ['forwarded', 'for="[2001:db8::5]:4711";proto=https;host="example.org:444"']] });
    expect(seen).toMatchObject({ REMOTE_ADDR: '2001:db8::5', REMOTE_PORT: '4711', SERVER_NAME: 'example.org', SERVER_PORT: '444', HTTP_HOST: 'example.org:444' });
  });

  it('accepts the IPv4-mapped form of a trusted peer', async () => {
    await callApp(proxyHeaders({ trust: '10.0.0.0/8' })(echo), { remoteAddress: '::ffff:10.1.2.3', headers: [['x-forwarded-for', '198.51.100.1']] });
    expect(seen?.REMOTE_ADDR).toBe('198.51.100.1');
  });
});
