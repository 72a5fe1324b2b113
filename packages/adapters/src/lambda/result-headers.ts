import { decodeByteStringUtf8, type HeaderList } from '@tsgi/interface';
import type { SetCookiePolicy } from './lambda-response.js';

/**
 * Response headers as result maps. Results are JSON that AWS encodes as UTF-8 on the wire,
 * so a ByteString value goes in as its UTF-8 reading; header names group case-insensitively
 * under the spelling seen first, values in the order given.
 */

/** A header value as result text: the UTF-8 reading of its bytes, or the bytes as they are when they are not UTF-8. */
export function resultText(value: string): string {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return decodeByteStringUtf8(value) ?? value;
  return value;
}

function isSetCookie(name: string): boolean {
  return name.length === 10 && name.toLowerCase() === 'set-cookie';
}

/** Headers grouped by name: `{ 'Set-Cookie': ['a=1', 'b=2'] }` (LAMBDA-11). */
export function multiValueHeaderMap(headers: HeaderList): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const spellings = new Map<string, string>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    let key = spellings.get(lower);
    if (key === undefined) spellings.set(lower, (key = name));
    (out[key] ??= []).push(resultText(value));
  }
  return out;
}

/** Headers other than `Set-Cookie`, repeated names joined with `, ` (LAMBDA-12), and the `Set-Cookie` values apart. */
export function joinedHeaderMap(headers: HeaderList): { headers: Record<string, string>; cookies: string[] } {
  const out: Record<string, string> = {};
  const cookies: string[] = [];
  const count = headers.length;
  for (let i = 0; i < count; i++) {
    const [name, value] = headers[i]!;
    if (isSetCookie(name)) {
      cookies.push(resultText(value));
      continue;
    }
    let key: string | undefined;
    // Names are compared case-insensitively against the earlier ones only, which are few.
    for (let j = 0; j < i; j++) {
      const earlier = headers[j]![0];
      if (earlier.length === name.length && (earlier === name || earlier.toLowerCase() === name.toLowerCase())) {
        key = earlier;
        break;
      }
    }
    if (key === undefined) out[name] = resultText(value);
    else out[key] += ', ' + resultText(value);
  }
  return { headers: out, cookies };
}

/** The `n`-th letter-case spelling of `set-cookie`: bit `i` of `n` upper-cases its `i`-th letter. */
export function setCookieSpelling(n: number): string {
  let out = '';
  let bit = 0;
  for (const ch of 'set-cookie') {
    if (ch === '-') out += ch;
    else out += n & (1 << bit++) ? ch.toUpperCase() : ch;
  }
  return out;
}

let hinted = false;

/**
 * Headers for a result that carries one value per name (ALB single-value mode, VPC
 * Lattice): repeated names joined with `, `, except `Set-Cookie`, which is never joined
 * (LAMBDA-14) and follows `policy`.
 */
export function singleValueHeaderMap(
  headers: HeaderList,
  policy: SetCookiePolicy,
  where: string,
  warn: ((message: string) => void) | undefined,
): Record<string, string> {
  const { headers: out, cookies } = joinedHeaderMap(headers);
  if (cookies.length === 0) return out;
  const first = headers.find(([name]) => isSetCookie(name))![0];
  if (cookies.length === 1) {
    out[first] = cookies[0]!;
    return out;
  }
  if (policy === 'first' || policy === 'last') {
    out[first] = policy === 'first' ? cookies[0]! : cookies[cookies.length - 1]!;
    warn?.(`[LAMBDA-14] ${where} carries one Set-Cookie header; kept the ${policy} of ${cookies.length} and dropped the others\n`);
  } else {
    const used = new Set(Object.keys(out));
    let n = 0;
    for (let index = 0; index < cookies.length; index++) {
      let key: string | undefined = index === 0 ? first : undefined;
      while (key === undefined || used.has(key)) {
        if (n === 512) break;
        key = setCookieSpelling(n++);
      }
      if (key === undefined || used.has(key)) {
        warn?.(`[LAMBDA-14] ${where}: more Set-Cookie headers than letter-case spellings of the name; dropped ${cookies.length - index}\n`);
        break;
      }
      used.add(key);
      out[key] = cookies[index]!;
    }
  }
  if (!hinted) {
    // LAMBDA-15: once per process, the real fix.
    hinted = true;
    warn?.(`[LAMBDA-15] ${where} carries one value per header name; enable multi-value headers to send several Set-Cookie headers as they are\n`);
  }
  return out;
}
