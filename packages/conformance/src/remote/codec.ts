/**
 * JSON for what crosses between a remote probe app and the suite: Uint8Arrays travel as
 * base64, errors as their name, message and code, `undefined` survives (in arrays too), and
 * anything else that JSON cannot carry travels as its description.
 */
import { describeValue } from '../describe-value.js';

type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** An error that crossed the wire: what the checks read of errors (name, message, code). */
export class RemoteError extends Error {
  code: unknown;
  constructor(name: string, message: string, code: unknown) {
    super(message);
    this.name = name;
    if (code !== undefined) this.code = code;
  }
}

function encodeValue(value: unknown, depth: number): Encoded {
  if (value === undefined) return { $: 'undefined' };
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $: 'number', v: String(value) };
  if (value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor?.name === 'Uint8Array')) return { $: 'bytes', v: toBase64(value as Uint8Array) };
  if (value instanceof Error || (typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).name === 'string' && 'stack' in value)) {
    const error = value as Error & { code?: unknown };
    return { $: 'error', name: error.name, message: error.message, code: encodeValue(error.code, depth + 1) };
  }
  if (depth > 8 || typeof value !== 'object') return { $: 'described', v: describeValue(value) };
  if (Array.isArray(value)) return value.map((item) => encodeValue(item, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return { $: 'described', v: describeValue(value) };
  // fromEntries defines own properties: a key such as `__proto__` stays a key.
  const out: { [key: string]: Encoded } = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encodeValue(item, depth + 1)]));
  // A plain object with a `$` key of its own is wrapped so it cannot pass for a tagged value.
  return '$' in out ? { $: 'object', v: out } : out;
}

function decodeValue(value: Encoded): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeValue);
  const tag = value.$;
  if (typeof tag === 'string') {
    switch (tag) {
      case 'undefined':
        return undefined;
      case 'number':
        return Number(value.v);
      case 'bytes':
        return fromBase64(String(value.v));
      case 'error':
        return new RemoteError(String(value.name), String(value.message), decodeValue(value.code ?? null));
      case 'described':
        return `${String(value.v)} (described by the remote probe app)`;
      case 'object':
        return decodeObject(value.v as { [key: string]: Encoded });
    }
  }
  return decodeObject(value);
}

function decodeObject(value: { [key: string]: Encoded }): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decodeValue(item)]));
}

/** The JSON text of a value, tagged where plain JSON would lose something. */
export function encode(value: unknown): string {
  return JSON.stringify(encodeValue(value, 0));
}

/** The value `encode` described. */
export function decode(text: string): unknown {
  return decodeValue(JSON.parse(text) as Encoded);
}
