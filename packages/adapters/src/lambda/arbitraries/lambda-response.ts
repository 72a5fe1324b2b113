import fc from 'fast-check';
import { byteStringFromUtf8, type HeaderList, type Status } from '@tsgi/interface';
import type { LambdaResponse } from '../lambda-response.js';

const phrase = fc.oneof(fc.constantFrom('OK', 'Not Found', 'Created', 'I Am Fine', ''), fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,12}[A-Za-z]$/));

const headerName = fc.oneof(
  fc.constantFrom('Content-Type', 'cache-control', 'X-Tag', 'ETag', 'vary', 'Location'),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,6}(-[A-Za-z0-9]{1,6})?$/),
);

const headerValue = fc
  .oneof(
    fc.constantFrom('text/plain; charset=utf-8', 'no-store', 'a, b', 'caf\u00e9', '"abc"'),
    fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 16 }),
  )
  .map(byteStringFromUtf8);

const setCookie = fc
  .tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[A-Za-z0-9]{0,8}$/), fc.constantFrom('', '; Path=/', '; Expires=Wed, 21 Oct 2026 07:28:00 GMT', '; HttpOnly'))
  .map(([k, v, attributes]): [string, string] => ['Set-Cookie', `${k}=${v}${attributes}`]);

const RESERVED = /^(set-cookie|content-length|content-encoding|connection|keep-alive|transfer-encoding|te|trailer|upgrade|proxy-.*|expect|via|x-cache|x-real-ip|x-forwarded-proto|x-accel-.*|x-amzn?-.*|x-edge-.*)$/i;

/** A whole response: any final status, headers with repeats and several Set-Cookie, any body bytes. */
export function lambdaResponse(): fc.Arbitrary<LambdaResponse> {
  return fc
    .record({
      code: fc.integer({ min: 200, max: 599 }),
      phrase,
      headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
      cookies: fc.array(setCookie, { maxLength: 3 }),
      encoding: fc.option(fc.constantFrom('gzip', 'br'), { nil: undefined }),
      body: fc.oneof(
        fc.uint8Array({ maxLength: 64 }),
        fc.string({ unit: 'grapheme', maxLength: 24 }).map((s) => new TextEncoder().encode(s)),
      ),
    })
    .chain(({ code, phrase, headers, cookies, encoding, body }) => {
      const kept: HeaderList = headers.filter(([name]) => !RESERVED.test(name));
      if (encoding) kept.push(['Content-Encoding', encoding]);
      // Set-Cookie pairs land anywhere among the others.
      return fc.shuffledSubarray([...kept, ...cookies], { minLength: kept.length + cookies.length }).map(
        (all): LambdaResponse => ({ status: `${code} ${phrase}` as Status, headers: all, body }),
      );
    });
}
