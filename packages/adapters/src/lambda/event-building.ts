import { Buffer, isUtf8 } from 'node:buffer';

/**
 * Helpers for the `xEventFromRequest` conversions, which play the platform's part: they
 * write a client's request the way AWS writes it into an event.
 */

/** The text AWS writes into event JSON for some wire bytes (a ByteString): their UTF-8 reading. */
export function eventText(value: string): string {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return Buffer.from(value, 'latin1').toString('utf8');
  return value;
}

/** An event body: text when the bytes are UTF-8, base64 otherwise; undefined when empty. */
export function eventBody(body: Uint8Array | undefined): { body: string | undefined; isBase64Encoded: boolean } {
  if (body === undefined || body.length === 0) return { body: undefined, isBase64Encoded: false };
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return isUtf8(bytes) ? { body: bytes.toString('utf8'), isBase64Encoded: false } : { body: bytes.toString('base64'), isBase64Encoded: true };
}

/** Pairs grouped by name, names in order of first appearance, values in order. */
export function groupPairs(pairs: Iterable<readonly [string, string]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of pairs) (out[name] ??= []).push(value);
  return out;
}

/** The last value of each name, as single-value maps keep it. */
export function lastValues(map: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in map) out[name] = map[name]![map[name]!.length - 1]!;
  return out;
}

/** A header's last value in a client's header list, by name in any case. */
export function clientHeader(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const lower = name.toLowerCase();
  let found: string | undefined;
  for (const [key, value] of headers) if (key.toLowerCase() === lower) found = value;
  return found;
}

/** The client's headers as an event writes them: text values, names lower-cased when asked. */
export function eventHeaderPairs(headers: ReadonlyArray<readonly [string, string]>, lowerCase: boolean): Array<[string, string]> {
  return headers.map(([name, value]) => [lowerCase ? name.toLowerCase() : name, eventText(value)]);
}
