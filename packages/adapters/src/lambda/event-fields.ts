import { Buffer } from 'node:buffer';
import { byteStringFromUtf8 } from '@tsgi/interface';
import { LambdaEventError } from './lambda-event-error.js';
import type { LambdaEventSource } from './types.js';

/**
 * Readers for the fields of an invocation event. Events are JSON that AWS wrote, or that
 * someone crafted and invoked the function with, so every field is checked before use and a
 * wrong one is a LambdaEventError naming the source, the field and the value (HOST-6).
 */

/** A short, safe rendering of a value for an error message. */
export function describeField(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `${JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value)} (string)`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `${String(value)} (${typeof value})`;
}

export function fieldError(source: LambdaEventSource, path: string, expected: string, value: unknown): LambdaEventError {
  return new LambdaEventError(`${source} event field ${path} must be ${expected}; got ${describeField(value)}`, source);
}

/**
 * A string from the event as a ByteString (LAMBDA-3). AWS writes events as UTF-8 JSON, so a
 * character above 0x7F stands for its UTF-8 bytes; ASCII strings come back unchanged.
 */
export function eventByteString(value: string): string {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return byteStringFromUtf8(value);
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list whose every element is a string; a sparse list is not one (`every` would skip its holes). */
export function isStringList(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false;
  return true;
}

export function requireString(value: unknown, source: LambdaEventSource, path: string): string {
  if (typeof value !== 'string') throw fieldError(source, path, 'a string', value);
  return value;
}

/** An optional map field: undefined when absent or null, else it must be an object. */
export function optionalRecord(value: unknown, source: LambdaEventSource, path: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw fieldError(source, path, 'an object', value);
  return value;
}

/** Appends `name, value` pairs from a map of single values (null and undefined skipped). */
export function pushSingleValues(out: string[], map: Record<string, unknown>, source: LambdaEventSource, path: string): void {
  for (const name in map) {
    const value = map[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw fieldError(source, `${path}.${name}`, 'a string', value);
    out.push(eventByteString(name), eventByteString(value));
  }
}

/** Appends one pair per value from a map of value lists; a plain string counts as one value. */
export function pushMultiValues(out: string[], map: Record<string, unknown>, source: LambdaEventSource, path: string): void {
  for (const name in map) {
    const values = map[name];
    if (values === undefined || values === null) continue;
    const key = eventByteString(name);
    if (typeof values === 'string') {
      out.push(key, eventByteString(values));
      continue;
    }
    if (!isStringList(values)) throw fieldError(source, `${path}.${name}`, 'a list of strings', values);
    for (const value of values) out.push(key, eventByteString(value));
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The request body bytes (LAMBDA-4): base64-decoded when the event says so, else the UTF-8
 * encoding of the text. Undefined for an absent or empty body.
 */
export function bodyFromEvent(body: unknown, base64: unknown, source: LambdaEventSource, path: string): Uint8Array | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body !== 'string') throw fieldError(source, path, 'a string', body);
  if (base64 === true) {
    // Buffer.from skips characters outside the alphabet; a crafted event must not pass as a body.
    if (body.length % 4 === 1 || !BASE64.test(body)) throw fieldError(source, path, 'base64 text (it is marked base64)', body);
    return Buffer.from(body, 'base64');
  }
  return Buffer.from(body, 'utf8');
}

/** `SERVER_PROTOCOL` (ENV-17) from a protocol a source reports, `HTTP/1.1` when it reports none. */
export function protocolFromEvent(value: unknown): string {
  switch (value) {
    case 'HTTP/1.0':
    case 'HTTP/1.1':
      return value;
    case 'HTTP/2':
    case 'HTTP/2.0':
      return 'HTTP/2';
    case 'HTTP/3':
    case 'HTTP/3.0':
      return 'HTTP/3';
    default:
      return 'HTTP/1.1';
  }
}

/**
 * The right-most address of an `X-Forwarded-For` value: the one the load balancer itself
 * appended, the only entry a client cannot choose (LAMBDA-9).
 */
export function rightmostForwardedFor(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const comma = value.lastIndexOf(',');
  const address = (comma === -1 ? value : value.slice(comma + 1)).trim();
  return address === '' ? undefined : address;
}

/** The last value of a header in flat `name, value` pairs, by lower-case name. */
export function lastHeader(pairs: readonly string[], lowerName: string): string | undefined {
  for (let i = pairs.length - 2; i >= 0; i -= 2) if (pairs[i]!.toLowerCase() === lowerName) return pairs[i + 1];
  return undefined;
}
