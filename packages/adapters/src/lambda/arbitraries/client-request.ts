import fc from 'fast-check';
import { byteStringFromUtf8 } from '@tsgi/interface';
import type { LambdaClientRequest } from '../lambda-request.js';
import { queryParameters } from './query-parameters.js';

/** One path segment, percent-encoded as a browser would (`encodeURIComponent`), so `%2F` occurs. */
const segment = fc.oneof(
  fc.constantFrom('a', 'items', 'a b', 'a/b', 'caf\u00e9', '100%', '\u2713', '~x.y-z_', "it's"),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

/** A header value as a ByteString: printable, no leading or trailing blanks, sometimes UTF-8 beyond ASCII. */
const headerValue = fc
  .oneof(fc.constantFrom('1', 'text/html', 'a, b', 'caf\u00e9', 'x;y=z'), fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 12 }))
  .map(byteStringFromUtf8);

/** Header names a client may send that no platform rewrites (host, forwarding, framing and cookies are set apart). */
const headerName = fc.oneof(
  fc.constantFrom('accept', 'x-tag', 'user-agent', 'x-request-id', 'authorization'),
  fc.stringMatching(/^x-[a-z0-9]{1,8}(-[a-z0-9]{1,4})?$/),
);

const cookie = fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[A-Za-z0-9]{0,8}$/)).map(([k, v]) => `${k}=${v}`);

const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6();

/** A client's request, as a platform receives it; what each `xEventFromRequest` turns into an event. */
export function clientRequest(): fc.Arbitrary<LambdaClientRequest> {
  return fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
      segments: fc.array(segment, { maxLength: 4 }),
      trailingSlash: fc.boolean(),
      query: queryParameters(),
      headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
      cookies: fc.array(cookie, { maxLength: 3 }),
      body: fc.option(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map((s) => new TextEncoder().encode(s))), { nil: undefined }),
      sourceIp: fc.oneof(ipv4, ipv6),
    })
    .map(({ method, segments, trailingSlash, query, headers, cookies, body, sourceIp }) => {
      let path = '/' + segments.map(encodeURIComponent).join('/');
      if (trailingSlash && segments.length > 0) path += '/';
      const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      const all: Array<[string, string]> = [['host', 'example.com'], ...headers];
      if (cookies.length > 0) all.push(['cookie', cookies.join('; ')]);
      if (body !== undefined) all.push(['content-length', String(body.length)]);
      return { method, target: search === '' ? path : `${path}?${search}`, headers: all, body, sourceIp };
    });
}
