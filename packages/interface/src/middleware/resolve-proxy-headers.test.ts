import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp } from './ip-address.js';
import { compileProxyTrust, parseNode, resolveProxyHeaders } from './resolve-proxy-headers.js';

const lookup = (headers: Record<string, string>) => (name: string) => headers[name];

describe('resolveProxyHeaders', () => {
  it('ignores every header when the peer is not a trusted proxy', () => {
    const headers = lookup({ 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https', forwarded: 'for=1.2.3.4' });
    expect(resolveProxyHeaders('203.0.113.5', headers)).toBeUndefined();
    expect(resolveProxyHeaders(undefined, headers)).toBeUndefined();
  });

  it('takes the client from X-Forwarded-For behind a trusted proxy', () => {
    const view = resolveProxyHeaders('127.0.0.1', lookup({ 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'example.com' }));
    expect(view).toEqual({ hops: 1, remoteAddr: '198.51.100.7', scheme: 'https', host: 'example.com' });
  });

  it('stops at the first untrusted hop from the nearest, so a spoofed left part is never read', () => {
    const headers = lookup({ 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.0.0.2' });
    const view = resolveProxyHeaders('10.0.0.1', headers, { trust: ['10.0.0.0/8'] });
    expect(view?.remoteAddr).toBe('198.51.100.7');
    expect(view?.hops).toBe(2);
  });

  it('takes the leftmost address when every hop is trusted', () => {
    const view = resolveProxyHeaders('10.0.0.1', lookup({ 'x-forwarded-for': '10.9.9.9, 10.0.0.2' }), { trust: 'private' });
    expect(view?.remoteAddr).toBe('10.9.9.9');
  });

  it('with a hop count, takes the entry that many places from the end whatever the addresses', () => {
    const headers = lookup({ 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 203.0.113.1', 'x-forwarded-proto': 'http, https, http' });
    expect(resolveProxyHeaders('192.0.2.99', headers, { trust: 2 })).toMatchObject({ remoteAddr: '198.51.100.7', scheme: 'https', hops: 2 });
    expect(resolveProxyHeaders('192.0.2.99', lookup({ 'x-forwarded-for': '1.1.1.1' }), { trust: 2 })).toBeUndefined();
  });

  it('reads the proto list entry of the outermost trusted proxy', () => {
    // The client wrote "https"; the trusted proxy appended what it saw: "http".
    const view = resolveProxyHeaders('127.0.0.1', lookup({ 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https, http' }));
    expect(view?.scheme).toBe('http');
  });

  it('reports an unknown, obfuscated or malformed client as null', () => {
    for (const client of ['unknown', '_hidden', 'not-an-ip', '1.2.3.4:99999']) {
      expect(resolveProxyHeaders('127.0.0.1', lookup({ 'x-forwarded-for': client }))?.remoteAddr).toBeNull();
    }
  });

  it('prefers Forwarded (RFC 7239) over X-Forwarded-* and reads the port of the node', () => {
    const headers = lookup({ forwarded: 'for="[2001:db8:cafe::17]:4711";proto=https;host="example.com:8443"', 'x-forwarded-for': '9.9.9.9' });
    expect(resolveProxyHeaders('::1', headers)).toEqual({ hops: 1, remoteAddr: '2001:db8:cafe::17', remotePort: '4711', scheme: 'https', host: 'example.com:8443' });
  });

  it('walks Forwarded elements like X-Forwarded-For hops', () => {
    const headers = lookup({ forwarded: 'for=6.6.6.6;proto=https, for=198.51.100.7;proto=http, for=10.0.0.2' });
    expect(resolveProxyHeaders('10.0.0.1', headers, { trust: ['10.0.0.0/8'] })).toMatchObject({ remoteAddr: '198.51.100.7', scheme: 'http', hops: 2 });
  });

  it('reads only the families it is told to', () => {
    const headers = lookup({ forwarded: 'for=1.1.1.1', 'x-forwarded-for': '2.2.2.2' });
    expect(resolveProxyHeaders('127.0.0.1', headers, { headers: ['x-forwarded'] })?.remoteAddr).toBe('2.2.2.2');
    expect(resolveProxyHeaders('127.0.0.1', lookup({ 'x-forwarded-for': '2.2.2.2' }), { headers: ['forwarded'] })).toBeUndefined();
  });

  it('drops malformed proto, host, port and prefix values', () => {
    const view = resolveProxyHeaders('127.0.0.1', lookup({ 'x-forwarded-proto': 'gopher', 'x-forwarded-host': 'evil.com/x', 'x-forwarded-port': '70000', 'x-forwarded-prefix': 'nope' }));
    expect(view).toBeUndefined();
  });

  it('decodes X-Forwarded-Prefix and drops its trailing slash', () => {
    expect(resolveProxyHeaders('127.0.0.1', lookup({ 'x-forwarded-prefix': '/my%20app/' }))?.prefix).toBe('/my app');
  });

  it('never names a client that an untrusted peer wrote (property)', () => {
    const ip = fc.uint8Array({ minLength: 4, maxLength: 4 }).map(formatIp);
    fc.assert(
      fc.property(fc.array(ip, { maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 254 }), { maxLength: 3 }), ip, (spoofed, proxies, client) => {
        // The client sends spoofed entries; each trusted proxy (10.0.0.x) appends what it saw.
        const seen = [client, ...proxies.map((n) => `10.0.0.${n}`)];
        const chain = [...spoofed, ...seen.slice(0, -1)];
        const peer = seen.at(-1)!;
        const view = resolveProxyHeaders(peer, lookup(chain.length ? { 'x-forwarded-for': chain.join(', ') } : {}), { trust: ['10.0.0.0/24'] });
        if (!peer.startsWith('10.0.0.')) expect(view).toBeUndefined();
        else if (client.startsWith('10.0.0.')) expect(chain).toContain(view?.remoteAddr);
        else expect(view?.remoteAddr).toBe(client);
      }),
    );
  });

  it('refuses bad options with a TypeError', () => {
    expect(() => resolveProxyHeaders('1.1.1.1', lookup({}), { trust: 0 })).toThrow(TypeError);
    expect(() => resolveProxyHeaders('1.1.1.1', lookup({}), { trust: ['nope'] })).toThrow(TypeError);
    expect(() => resolveProxyHeaders('1.1.1.1', lookup({}), { headers: ['x-real-ip' as 'forwarded'] })).toThrow(TypeError);
  });
});

describe('parseNode', () => {
  it.each([
    ['192.0.2.1', { address: '192.0.2.1' }],
    ['192.0.2.1:8080', { address: '192.0.2.1', port: '8080' }],
    ['[2001:db8::1]', { address: '2001:db8::1' }],
    ['[2001:db8::1]:443', { address: '2001:db8::1', port: '443' }],
    ['2001:db8::1', { address: '2001:db8::1' }],
    ['192.0.2.1:_abc', { address: '192.0.2.1' }],
    ['unknown', { address: null }],
    ['_secret', { address: null }],
  ])('%s', (text, node) => {
    expect(parseNode(text)).toEqual(node);
  });

  it.each(['[2001:db8::1', '[::1]x', 'host:80', '1.2.3.4:0', '1.2.3.4:abc', ''])('refuses %j', (text) => {
    expect(parseNode(text)).toBeNull();
  });
});

describe('X-Forwarded-For with one entry', () => {
  const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map(formatIp);
  const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(formatIp);
  const entry = fc.oneof(
    ipv4,
    ipv6,
    fc.tuple(ipv4, fc.integer({ min: 0, max: 70000 })).map(([address, port]) => `${address}:${port}`),
    fc.tuple(ipv6, fc.integer({ min: 0, max: 70000 })).map(([address, port]) => `[${address}]:${port}`),
    fc.constantFrom('unknown', 'UNKNOWN', '_hidden', '127.0.0.1', '::1', '01.2.3.4', '1.2.3', '[::1', 'host:80', ''),
    fc.string({ unit: fc.constantFrom(...'0123456789.:[]abcdef_ '), maxLength: 20 }),
  );
  const spaced = fc.tuple(entry, fc.constantFrom('', ' ', '\t'), fc.constantFrom('', ' ')).map(([text, before, after]) => before + text + after);

  // A list that repeats the entry ends at the same client, whatever the walk believes: the
  // single entry (read without the list) must say what the list says.
  it('names the client a list of the entry twice names', () => {
    fc.assert(
      fc.property(spaced, fc.constantFrom<'loopback' | '*' | 1>('loopback', '*', 1), fc.constantFrom('127.0.0.1', '::1'), (value, trust, peer) => {
        const one = resolveProxyHeaders(peer, lookup({ 'x-forwarded-for': value }), { trust });
        const two = resolveProxyHeaders(peer, lookup({ 'x-forwarded-for': `${value}, ${value}` }), { trust });
        expect(one === undefined).toBe(two === undefined);
        expect(one?.remoteAddr).toBe(two?.remoteAddr);
        expect(one?.remotePort).toBe(two?.remotePort);
      }),
    );
  });

  it('says nothing when more proxies are trusted than the list names', () => {
    expect(resolveProxyHeaders('192.0.2.99', lookup({ 'x-forwarded-for': '198.51.100.7' }), { trust: 2 })).toBeUndefined();
    expect(resolveProxyHeaders('192.0.2.99', lookup({ 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https' }), { trust: 2 })).toEqual({
      hops: 2,
      scheme: 'https',
    });
  });

  it('keeps an invalid entry as an unknown client', () => {
    expect(resolveProxyHeaders('127.0.0.1', lookup({ 'x-forwarded-for': 'not-an-address' }))).toEqual({ hops: 1, remoteAddr: null });
    expect(resolveProxyHeaders('127.0.0.1', lookup({ 'x-forwarded-for': ' 198.51.100.7:8080 ' }))).toEqual({ hops: 1, remoteAddr: '198.51.100.7', remotePort: '8080' });
  });
});

describe('compileProxyTrust', () => {
  it('answers each peer as its patterns say, also when the same peer comes again or the first is empty', () => {
    const resolve = compileProxyTrust({ trust: ['10.0.0.0/8', '*'] });
    const headers = lookup({ 'x-forwarded-for': '198.51.100.7' });
    const anyone = compileProxyTrust({ trust: '*' });
    expect(anyone('', headers)).toEqual(resolveProxyHeaders('', headers, { trust: '*' }));
    for (const peer of ['10.1.1.1', '10.1.1.1', '192.0.2.1', '192.0.2.1', '10.1.1.1']) {
      expect(resolve(peer, headers)).toEqual(resolveProxyHeaders(peer, headers, { trust: ['10.0.0.0/8', '*'] }));
    }
    const private10 = compileProxyTrust({ trust: '10.0.0.0/8' });
    expect(private10('10.1.1.1', headers)?.remoteAddr).toBe('198.51.100.7');
    expect(private10('192.0.2.1', headers)).toBeUndefined();
    expect(private10('192.0.2.1', headers)).toBeUndefined();
    expect(private10('10.1.1.1', headers)?.remoteAddr).toBe('198.51.100.7');
  });
});
