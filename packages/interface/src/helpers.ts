import { percentEncodePath } from './bytestring.js';
import { PayloadTooLargeError } from './errors.js';
import type { Body, Environ, HeaderList, ReadonlyHeaderList, StartResponse, Status } from './types.js';

const encoder = /* @__PURE__ */ new TextEncoder();

/** UTF-8 bytes of a string: strings are not chunks (APP-4), this is how they become one. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Starts a response with a UTF-8 text body and returns that body. */
export function sendText(
  startResponse: StartResponse,
  status: Status,
  text: string,
  headers: HeaderList = [],
  contentType = 'text/plain; charset=utf-8',
): Body {
  const bytes = encoder.encode(text);
  startResponse(status, [
    ['content-type', contentType],
    ['content-length', String(bytes.length)],
    ...headers,
  ]);
  return [bytes];
}

/** Starts a JSON response (`application/json`) and returns its body. */
export function sendJson(startResponse: StartResponse, status: Status, value: unknown, headers: HeaderList = []): Body {
  return sendText(startResponse, status, JSON.stringify(value), headers, 'application/json');
}

/** The first value of a header in a list, case-insensitively; undefined when absent. */
export function getHeader(headers: HeaderList | ReadonlyHeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of headers) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** Every value of a header in a list, in order (several Set-Cookie are several values). */
export function getHeaders(headers: HeaderList | ReadonlyHeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of headers) if (key.toLowerCase() === lower) values.push(value);
  return values;
}

/** A new list without `name` (any case), then `[name, value]` appended. */
export function setHeader(headers: HeaderList, name: string, value: string): HeaderList {
  return [...withoutHeader(headers, name), [name, value]];
}

/** A new list without any field called `name` (any case). */
export function withoutHeader(headers: HeaderList, name: string): HeaderList {
  const lower = name.toLowerCase();
  return headers.filter(([key]) => key.toLowerCase() !== lower);
}

/** The environ key a request header maps to, or undefined for names never mapped (ENV-21). */
export function environKeyForHeader(name: string): string | undefined {
  if (!/^[A-Za-z0-9-]+$/.test(name)) return undefined;
  const upper = name.toUpperCase().replaceAll('-', '_');
  return upper === 'CONTENT_TYPE' || upper === 'CONTENT_LENGTH' ? upper : `HTTP_${upper}`;
}

const headerKeys = new Map<string, string | undefined>();

/**
 * A request header's (joined) value from the environ, by its HTTP name. The fields that
 * middleware and hosts ask for on every request are read by name: on V8 a keyed load of a
 * key the environ lacks (most requests carry no X-Forwarded-Host or Referer) is a slow
 * lookup, a named one is not. Other names have their environ key remembered.
 */
export function requestHeader(environ: Environ, name: string): string | undefined {
  switch (name) {
    case 'forwarded':
      return environ.HTTP_FORWARDED;
    case 'x-forwarded-for':
      return environ.HTTP_X_FORWARDED_FOR;
    case 'x-forwarded-proto':
      return environ.HTTP_X_FORWARDED_PROTO;
    case 'x-forwarded-host':
      return environ.HTTP_X_FORWARDED_HOST;
    case 'x-forwarded-port':
      return environ.HTTP_X_FORWARDED_PORT;
    case 'x-forwarded-prefix':
      return environ.HTTP_X_FORWARDED_PREFIX;
    case 'referer':
      return environ.HTTP_REFERER;
    case 'user-agent':
      return environ.HTTP_USER_AGENT;
    case 'authorization':
      return environ.HTTP_AUTHORIZATION;
  }
  let key = headerKeys.get(name);
  if (key === undefined && !headerKeys.has(name)) {
    key = environKeyForHeader(name);
    if (headerKeys.size < 256) headerKeys.set(name, key);
  }
  return key === undefined ? undefined : ((environ as unknown as Record<string, unknown>)[key] as string | undefined);
}

/** Reads the whole request body, refusing more than `limit` bytes (PayloadTooLargeError: 413). */
export async function readBody(environ: Environ, limit = 1024 * 1024): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = await environ['tsgi.input'].read();
    if (chunk.length === 0) break;
    total += chunk.length;
    if (total > limit) throw new PayloadTooLargeError(limit);
    parts.push(chunk);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Reads the whole request body as UTF-8 text. */
export async function readText(environ: Environ, limit?: number): Promise<string> {
  return new TextDecoder().decode(await readBody(environ, limit));
}

/**
 * The URL the client asked for, rebuilt from the environ (scheme, Host or SERVER_NAME,
 * SCRIPT_NAME + PATH_INFO re-encoded, query).
 */
export function requestUrl(environ: Environ): URL {
  const scheme = environ['tsgi.url_scheme'];
  let host = environ.HTTP_HOST;
  if (!host) {
    const port = environ.SERVER_PORT;
    const defaultPort = scheme === 'https' ? '443' : '80';
    host = port === defaultPort ? environ.SERVER_NAME : `${environ.SERVER_NAME}:${port}`;
  }
  const path = percentEncodePath(environ.SCRIPT_NAME + environ.PATH_INFO);
  const query = environ.QUERY_STRING ? `?${environ.QUERY_STRING}` : '';
  return new URL(`${scheme}://${host}${path || '/'}${query}`);
}

