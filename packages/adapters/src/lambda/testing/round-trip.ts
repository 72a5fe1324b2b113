import { Buffer, isUtf8 } from 'node:buffer';
import { percentDecodeByteString, readBody, type Environ, type HeaderList } from '@tsgi/interface';
import { InvocationWork, environForInvocation } from '../invocation.js';
import { splitTarget, type LambdaClientRequest, type LambdaRequest } from '../lambda-request.js';
import type { LambdaResponse } from '../lambda-response.js';
import type { Context } from '../types.js';

/** Helpers shared by the round-trip properties of every source. */

const quiet = { write(): void {}, flush(): void {} };
export const testContext = { awsRequestId: 'test', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

/** The environ the host builds from a converted request, and the body an app reads from it. */
export async function environOf(request: LambdaRequest): Promise<{ environ: Environ; body: Uint8Array }> {
  const environ = environForInvocation(request, {}, testContext, { signal: new AbortController().signal }, new InvocationWork(quiet), { errors: quiet, maxBodySize: undefined, multithread: false });
  return { environ, body: await readBody(environ, 1 << 20) };
}

/** Pairs grouped by lower-case name, for comparisons that ignore the order across names. */
export function grouped(pairs: Iterable<readonly [string, string]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of pairs) (out[name.toLowerCase()] ??= []).push(value);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Each name's last value, as single-value maps keep it. */
export function lastOfEach(pairs: Iterable<readonly [string, string]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(grouped(pairs))) out[name] = [values[values.length - 1]!];
  return out;
}

/** Each name's values joined with `sep` into one. */
export function joinedEach(pairs: Iterable<readonly [string, string]>, sep: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(grouped(pairs))) out[name] = [values.join(sep)];
  return out;
}

/** The decoded path of a client's target: what PATH_INFO must be on every source. */
export function decodedPath(request: LambdaClientRequest): string {
  return percentDecodeByteString(splitTarget(request.target)[0]);
}

export function queryOf(request: LambdaClientRequest): string {
  return splitTarget(request.target)[1];
}

export function bytes(body: Uint8Array | undefined): number[] {
  return [...(body ?? [])];
}

/** Headers of a response without Set-Cookie, and its Set-Cookie values apart. */
export function splitCookies(headers: HeaderList): { others: HeaderList; cookies: string[] } {
  const others: HeaderList = [];
  const cookies: string[] = [];
  for (const pair of headers) {
    if (pair[0].toLowerCase() === 'set-cookie') cookies.push(pair[1]);
    else others.push(pair);
  }
  return { others, cookies };
}

/** Whether LAMBDA-10 sends this response base64-encoded. */
export function expectsBase64(response: LambdaResponse): boolean {
  const encoded = response.headers.some(([name, value]) => name.toLowerCase() === 'content-encoding' && value.toLowerCase() !== 'identity');
  return response.body.length > 0 && (encoded || !isUtf8(Buffer.from(response.body)));
}
