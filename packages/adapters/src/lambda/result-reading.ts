import type { HeaderList, Status } from '@tsgi/interface';
import { reasonPhrase } from '../shared/reason-phrase.js';
import { eventByteString, fieldError, isRecord } from './event-fields.js';
import type { LambdaEventSource } from './types.js';

/**
 * Helpers for the `responseFromXResult` conversions, which play the platform's part on the
 * way out: they read a result the way the gateway turns it into a response.
 */

/** The status line for a result's code: `description`'s phrase when the result has one (even empty), else the standard one. */
export function statusFromResult(code: unknown, description: unknown, source: LambdaEventSource): Status {
  const n = typeof code === 'string' ? Number(code) : code;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 200 || n > 599) throw fieldError(source, 'statusCode', 'a final status code', code);
  let phrase = reasonPhrase(n);
  if (typeof description === 'string') phrase = description.startsWith(`${n} `) ? description.slice(4) : description;
  return `${n} ${eventByteString(phrase)}` as Status;
}

/** Pairs of a single-value header map, each value a ByteString. */
export function pairsFromSingleMap(map: unknown, source: LambdaEventSource, field: string): HeaderList {
  const out: HeaderList = [];
  if (map === undefined || map === null) return out;
  if (!isRecord(map)) throw fieldError(source, field, 'an object', map);
  for (const name in map) out.push([name, eventByteString(String(map[name]))]);
  return out;
}

/** Pairs of a multi-value header map, one per value, in order. */
export function pairsFromMultiMap(map: unknown, source: LambdaEventSource, field: string): HeaderList {
  const out: HeaderList = [];
  if (map === undefined || map === null) return out;
  if (!isRecord(map)) throw fieldError(source, field, 'an object', map);
  for (const name in map) {
    const values = map[name];
    if (!Array.isArray(values)) throw fieldError(source, `${field}.${name}`, 'a list', values);
    for (const value of values) out.push([name, eventByteString(String(value))]);
  }
  return out;
}
