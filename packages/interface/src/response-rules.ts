/**
 * The rules a status line and a header list must follow, written once for hosts (which
 * enforce them on the hot path) and for the conformance lint (which reports them).
 */

/** RFC 9110 token: the grammar of a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A field value: HTAB, SP, VCHAR and obs-text; no CR, LF, NUL, DEL or other controls. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** A final status (SR-1): 200-599, one space, a reason phrase of HTAB, SP and VCHAR. */
const STATUS = /^[2-5][0-9][0-9] [\t\x20-\x7e]*$/;

export function isValidStatus(status: unknown): status is `${number} ${string}` {
  return typeof status === 'string' && STATUS.test(status);
}

export function isToken(name: unknown): name is string {
  return typeof name === 'string' && TOKEN.test(name);
}

export function isValidFieldValue(value: unknown): value is string {
  return typeof value === 'string' && FIELD_VALUE.test(value);
}

/** Connection-specific fields that only the host may set (RFC 9110 section 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
]);

/** True for the hop-by-hop header names an app must not emit (SR-6). */
export function isHopByHop(name: string): boolean {
  const lower = name.toLowerCase();
  return HOP_BY_HOP.has(lower) || lower.startsWith('proxy-');
}

/** Status codes whose responses never carry body bytes (BODY-20; RFC 9110 15.3.5, 15.3.6, 15.4.5). */
export function statusForbidsBody(code: number): boolean {
  return code === 204 || code === 205 || code === 304;
}

/** The numeric code of a valid status line. */
export function statusCode(status: string): number {
  return (status.charCodeAt(0) - 48) * 100 + (status.charCodeAt(1) - 48) * 10 + (status.charCodeAt(2) - 48);
}

/** A Content-Length value as a number, or -1 when it is not 1*DIGIT. */
export function parseContentLength(value: string): number {
  if (value.length === 0 || value.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}
