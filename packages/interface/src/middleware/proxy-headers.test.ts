import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { environFromRequest } from '../environ-from-request.js';
import { requestHeader, requestUrl, sendJson } from '../helpers.js';
import { EMPTY_INPUT } from '../input-stream.js';
import { callApp } from '../memory-host.js';
import type { App, Environ } from '../types.js';
import { applyProxyView, environBehindProxy, proxyHeaders, PROXY_ORIGINAL_KEY } from './proxy-headers.js';
import { compileProxyTrust, type ProxyTrustOptions } from './resolve-proxy-headers.js';

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

describe('applyProxyView', () => {
  const lifecycle = { signal: new AbortController().signal };
  const noop = () => {};
  const errors = { write: noop, flush: noop };
  function build(rawHeaders: string[], remoteAddress: string, remotePort: string | undefined, scheme: 'http' | 'https'): Environ {
    return environFromRequest({
      method: 'GET',
      target: '/app/x?y=1',
      rawHeaders,
      protocol: 'HTTP/1.1',
      scheme,
      serverName: '10.0.0.1',
      serverPort: '8080',
      remoteAddress,
      remotePort,
      input: EMPTY_INPUT,
      errors,
      lifecycle,
      waitUntil: noop,
      multithread: true,
      multiprocess: false,
      runOnce: false,
    });
  }
  const snapshot = (environ: Environ) => Object.fromEntries(Object.keys(environ).sort().map((key) => [key, (environ as unknown as Record<string, unknown>)[key]]));

  const field = (name: string, values: string[]) => fc.option(fc.constantFrom(...values).map((value) => [name, value] as const), { nil: undefined });
  const request = fc.record({
    headers: fc.tuple(
      field('Host', ['example.com', 'example.com:8443', '[2001:db8::1]:80', 'internal']),
      field('X-Forwarded-For', ['198.51.100.7', '198.51.100.7:4711', 'unknown', '203.0.113.9, 10.0.0.2', '[2001:db8::7]:80, 127.0.0.1', 'nonsense']),
      field('X-Forwarded-Proto', ['https', 'http', 'HTTPS', 'ftp', 'http, https']),
      field('X-Forwarded-Host', ['shop.example', 'shop.example:444', 'bad host']),
      field('X-Forwarded-Port', ['443', '99999', '8443']),
      field('X-Forwarded-Prefix', ['/shop', '/shop/', 'shop']),
      field('Forwarded', ['for=192.0.2.60;proto=https;host=a.example', 'for=unknown', 'for="[2001:db8::1]:9"', 'for=_hidden, for=10.0.0.3']),
    ),
    peer: fc.constantFrom('127.0.0.1', '10.0.0.2', '192.0.2.1', '::1'),
    port: fc.option(fc.constantFrom('50000', '1'), { nil: undefined }),
    scheme: fc.constantFrom<'http' | 'https'>('http', 'https'),
    trust: fc.constantFrom<ProxyTrustOptions>({}, { trust: ['10.0.0.0/8', 'loopback'] }, { trust: 1 }, { trust: 2 }, { trust: '*', headers: ['x-forwarded'] }),
  });

  // The host's path (build without REMOTE_PORT, change in place) must give what a middleware
  // gets from environBehindProxy: the same keys, the same values, the same proxy.original.
  it('gives the environ environBehindProxy gives, without a copy', () => {
    fc.assert(
      fc.property(request, ({ headers, peer, port, scheme, trust }) => {
        const raw = headers.flatMap((pair) => (pair === undefined ? [] : [pair[0], pair[1]]));
        const resolve = compileProxyTrust(trust);
        const derivedFrom = build(raw, peer, port, scheme);
        const view = resolve(peer, (name) => requestHeader(derivedFrom, name));
        const expected = view === undefined ? derivedFrom : environBehindProxy(derivedFrom, view);
        const inPlace = build(raw, peer, undefined, scheme);
        applyProxyView(inPlace, view, port);
        expect(snapshot(inPlace)).toEqual(snapshot(expected));
        expect(inPlace['tsgi.signal']).toBe(lifecycle.signal);
      }),
    );
  });
});
