import fc from 'fast-check';

/** Methods every HTTP host and platform carries. */
export const STANDARD_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;

/** Methods RFC 9110 and WebDAV define that strict parsers (llhttp) still accept. */
export const REGISTERED_METHODS = ['PROPFIND', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'PURGE'] as const;

export interface MethodOptions {
  /** Include HEAD (default true): its responses carry no body. */
  head?: boolean;
  /** Include registered extension methods (default false). */
  registered?: boolean;
  /** Include arbitrary token methods and letter-case variants such as `get` (default false). */
  hostile?: boolean;
}

/** Request methods: standard ones, optionally extension tokens and case variants (ENV-6). */
export function methodArbitrary(options: MethodOptions = {}): fc.Arbitrary<string> {
  const standard = STANDARD_METHODS.filter((m) => options.head !== false || m !== 'HEAD');
  const choices: fc.Arbitrary<string>[] = [fc.constantFrom(...standard)];
  if (options.registered) choices.push(fc.constantFrom(...REGISTERED_METHODS));
  if (options.hostile) {
    choices.push(fc.constantFrom(...standard).map((m) => m.toLowerCase()));
    choices.push(fc.stringMatching(/^[A-Z][A-Z0-9_-]{0,11}$/));
  }
  return choices.length === 1 ? choices[0]! : fc.oneof(...choices);
}
