import fc from 'fast-check';
import type { Status } from '@tsgi/interface';
import { byteCharArbitrary } from './bytes.js';

/** Reason phrases as the status grammar allows them: tabs, spaces, visible ASCII, maybe empty. */
function reasonArbitrary(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('OK', 'Created', 'No Content', 'Not Found', 'I\'m a teapot', 'Internal Server Error', ''),
    fc.string({ unit: byteCharArbitrary([0x20, 0x7e], [0x09, 0x09]), maxLength: 20 }),
  );
}

export interface StatusOptions {
  /** Include 204, 205 and 304, whose responses carry no body (default true). */
  noBody?: boolean;
}

/** Valid final statuses, 200 to 599 (SR-1, SR-1). */
export function statusArbitrary(options: StatusOptions = {}): fc.Arbitrary<Status> {
  const common = fc.constantFrom(200, 201, 202, 203, 206, 301, 302, 303, 307, 308, 400, 401, 403, 404, 409, 410, 418, 422, 429, 500, 502, 503);
  const code = fc.oneof({ weight: 4, arbitrary: common }, { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) });
  const allowed = options.noBody === false ? code.filter((c) => c !== 204 && c !== 205 && c !== 304) : fc.oneof({ weight: 8, arbitrary: code }, { weight: 1, arbitrary: fc.constantFrom(204, 205, 304) });
  return fc.tuple(allowed, reasonArbitrary()).map(([c, reason]) => `${c} ${reason}` as Status);
}

/** Statuses an app must never pass: interim, out of range, no space, CR/LF, non-ASCII, non-strings. */
export function invalidStatusArbitrary(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom('200', '99 Foo', '1000 X', '103 Early Hints', '100 Continue', '600 X', '200 OK\r\n', '200 OK\r\nSet-Cookie: a=b', '200 Caf\xe9', ' 200 OK', '20O OK', '200\tOK', 200, null),
    fc.integer({ min: 0, max: 199 }).map((c) => `${String(c).padStart(3, '0')} Interim`),
    fc.integer({ min: 600, max: 999 }).map((c) => `${c} Out Of Range`),
  );
}
