import fc from 'fast-check';
import { bodyArbitrary, type BodyOptions } from './body.js';
import { headersArbitrary, type HeaderLine, type HeadersOptions } from './headers.js';
import { methodArbitrary, type MethodOptions } from './method.js';
import { targetArbitrary, type TargetOptions, type TargetSample } from './target.js';

/**
 * A whole generated request, as a client sends it, with the environ values it must
 * produce. Drivers add what they own: Host, Content-Length or chunked framing.
 */
export interface RequestSample {
  method: string;
  target: TargetSample;
  /** Field lines in order, as sent; `value` is what the host must show (trimmed). */
  headers: HeaderLine[];
  body: Uint8Array;
  /** How the client hands the body over. */
  chunks: Uint8Array[];
  /** `length`: Content-Length; `chunked`: Transfer-Encoding: chunked (HTTP/1.1 only). */
  framing: 'length' | 'chunked';
}

export interface RequestOptions {
  method?: MethodOptions;
  target?: TargetOptions;
  headers?: HeadersOptions;
  body?: BodyOptions;
  /** Allow chunked request bodies (default true). */
  chunked?: boolean;
}

/** Whole requests: method, target, headers, body and its chunking, framing. */
export function requestArbitrary(options: RequestOptions = {}): fc.Arbitrary<RequestSample> {
  return fc
    .record({
      method: methodArbitrary(options.method),
      target: targetArbitrary(options.target),
      headers: headersArbitrary(options.headers),
      body: bodyArbitrary(options.body),
      chunked: options.chunked === false ? fc.constant(false) : fc.boolean(),
    })
    .map(({ method, target, headers, body, chunked }) => {
      // A body on GET, HEAD or OPTIONS * is legal but unusual; keep those requests bodiless.
      const bodiless = method === 'GET' || method === 'HEAD' || target.form === 'asterisk';
      const bytes = bodiless ? new Uint8Array(0) : body.bytes;
      return {
        method: target.form === 'asterisk' ? 'OPTIONS' : method,
        target,
        headers,
        body: bytes,
        chunks: bodiless ? [] : body.chunks,
        framing: chunked && bytes.length > 0 ? 'chunked' : 'length',
      } satisfies RequestSample;
    });
}
