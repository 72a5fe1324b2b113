import type { HeaderList, Status } from '@tsgi/interface';

/**
 * A whole response as the app produced it: what every `xResultFromResponse` conversion
 * turns into a source's result, and what each `responseFromXResult` gives back. Header
 * values and the status are ByteStrings; the body is the exact bytes.
 */
export interface LambdaResponse {
  status: Status;
  headers: HeaderList;
  body: Uint8Array;
}

/**
 * What happens to the second and later `Set-Cookie` headers where a result can carry one
 * value per header name (ALB single-value mode, VPC Lattice):
 * - `'case-variants'` (the default, LAMBDA-14): each under its own letter-case spelling of
 *   the name (`Set-Cookie`, `set-Cookie`, `sEt-Cookie` ...), distinct keys that reach the
 *   client as separate `Set-Cookie` lines;
 * - `'first'` / `'last'`: keep one, drop the others, and say so on `tsgi.errors`.
 */
export type SetCookiePolicy = 'case-variants' | 'first' | 'last';

/** Options of every `xResultFromResponse` conversion. */
export interface ResultConversionOptions {
  /**
   * Whether to send the body base64-encoded. The default (LAMBDA-10) is base64 when the
   * response has a `Content-Encoding` or the bytes are not well-formed UTF-8, text
   * otherwise. An override that asks for text is ignored, with a warning, when the bytes are
   * not UTF-8: text would corrupt them.
   */
  base64?: ((response: LambdaResponse) => boolean) | undefined;
  /** `Set-Cookie` where only one value per name fits; `'case-variants'` by default. */
  setCookie?: SetCookiePolicy | undefined;
  /** Where warnings go: the request's `tsgi.errors`. Nowhere by default. */
  warn?: ((message: string) => void) | undefined;
}

/** The numeric code of a status line. */
export function statusCodeOf(status: Status): number {
  return (status.charCodeAt(0) - 48) * 100 + (status.charCodeAt(1) - 48) * 10 + (status.charCodeAt(2) - 48);
}

/** The reason phrase of a status line (`"Not Found"` of `"404 Not Found"`). */
export function reasonOf(status: Status): string {
  return status.slice(4);
}
