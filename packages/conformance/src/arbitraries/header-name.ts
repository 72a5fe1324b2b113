import fc from 'fast-check';

/** Names a generated request must not carry: the driver owns framing and routing. */
export const RESERVED_REQUEST_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'http2-settings',
  'proxy-connection',
  'x-tsgi-probe',
  'x-tsgi-probe-id',
]);

/** True for a name a generated request may carry. */
export function isFreeHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return !RESERVED_REQUEST_HEADERS.has(lower) && !lower.startsWith('proxy-');
}

/** Field names that RFC 9110 allows and every platform carries: letters, digits, `-`. */
export function plainHeaderNameArbitrary(): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom('Accept', 'Accept-Language', 'User-Agent', 'Cookie', 'Content-Type', 'X-Request-Id', 'X-Forwarded-For', 'Authorization', 'Referer'),
      fc.stringMatching(/^[Xx]-[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,6})?$/),
    )
    .filter(isFreeHeaderName);
}

/** Any RFC 9110 token, including `_`, `.`, `!`, `~` (ENV-20, ENV-21). */
export function tokenHeaderNameArbitrary(): fc.Arbitrary<string> {
  return fc.stringMatching(/^[A-Za-z][!#$%&'*+\-.^_`|~0-9A-Za-z]{0,12}$/).filter(isFreeHeaderName);
}

/**
 * Names built to collide once mapped to HTTP_*: `X_Auth_User` against `X-Auth-User`,
 * dotted names, and letter-case variants of one name (ENV-21, ENV-22).
 */
export function hostileHeaderNameArbitrary(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('X_Auth_User', 'X-Auth_User', 'x_forwarded_for', 'X.Forwarded.For', 'X-Auth-User', 'x-auth-user', 'X-AUTH-USER', 'User_Agent'),
    fc.stringMatching(/^[Xx][-_.][A-Za-z]{1,6}([-_.][A-Za-z]{1,6})?$/),
  );
}

/** Header names: mostly plain, some arbitrary tokens, some hostile. */
export function headerNameArbitrary(options: { hostile?: boolean } = {}): fc.Arbitrary<string> {
  if (options.hostile === false) return plainHeaderNameArbitrary();
  return fc.oneof(
    { weight: 5, arbitrary: plainHeaderNameArbitrary() },
    { weight: 2, arbitrary: tokenHeaderNameArbitrary() },
    { weight: 2, arbitrary: hostileHeaderNameArbitrary() },
  );
}
