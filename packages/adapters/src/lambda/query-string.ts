import { bytesFromByteString, percentDecodeByteString } from '@tsgi/interface';
import { eventByteString, fieldError, isRecord, isStringList } from './event-fields.js';
import type { LambdaEventSource } from './types.js';

/** One query parameter: name and value, decoded. */
export type QueryParameter = readonly [name: string, value: string];

const HEX = '0123456789ABCDEF';

function encodeComponent(value: string): string {
  const bytes = eventByteString(value);
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    // RFC 3986 unreserved characters stay; everything else, space and `+` included, is %XX,
    // so that both percent-decoding and form decoding give the value back.
    if ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e) {
      out += bytes[i];
    } else out += '%' + HEX[c >> 4]! + HEX[c & 15]!;
  }
  return out;
}

const utf8 = /* @__PURE__ */ new TextDecoder();

function decodeComponent(value: string): string {
  return utf8.decode(bytesFromByteString(percentDecodeByteString(value)));
}

/**
 * `QUERY_STRING` rebuilt from decoded parameters (LAMBDA-7): each name and value
 * percent-encoded as UTF-8, every value of a repeated name kept, in the order given.
 * `parametersFromQuery` is its inverse.
 */
export function queryFromParameters(parameters: Iterable<QueryParameter>): string {
  let out = '';
  for (const [name, value] of parameters) {
    if (out !== '') out += '&';
    out += encodeComponent(name) + '=' + encodeComponent(value);
  }
  return out;
}

/**
 * The decoded parameters of a raw query, in order: what API Gateway puts in its parameter
 * maps. A field without `=` has the value `""`; empty fields are skipped.
 */
export function parametersFromQuery(query: string): QueryParameter[] {
  const out: QueryParameter[] = [];
  if (query === '') return out;
  for (const field of query.split('&')) {
    if (field === '') continue;
    const equals = field.indexOf('=');
    const name = equals === -1 ? field : field.slice(0, equals);
    const value = equals === -1 ? '' : field.slice(equals + 1);
    out.push([decodeComponent(name), decodeComponent(value)]);
  }
  return out;
}

/**
 * The parameters of an event's query map, in order: a multi-value map (`{ a: ['1', '2'] }`)
 * gives one parameter per value, a single-value map one per name; a string where a list is
 * expected counts as one value.
 */
export function parametersFromMap(map: unknown, source: LambdaEventSource, path: string): QueryParameter[] {
  const out: QueryParameter[] = [];
  if (map === undefined || map === null) return out;
  if (!isRecord(map)) throw fieldError(source, path, 'an object', map);
  for (const name in map) {
    const values = map[name];
    if (values === undefined || values === null) continue;
    if (typeof values === 'string') out.push([name, values]);
    else if (isStringList(values)) {
      for (const value of values) out.push([name, value]);
    } else throw fieldError(source, `${path}.${name}`, 'a string or a list of strings', values);
  }
  return out;
}

/**
 * Raw parameters joined back into a query without re-encoding: for sources that pass the
 * parameters still encoded as the client sent them (ALB, VPC Lattice).
 */
export function queryFromRawParameters(parameters: Iterable<QueryParameter>): string {
  let out = '';
  for (const [name, value] of parameters) {
    if (out !== '') out += '&';
    out += eventByteString(name) + '=' + eventByteString(value);
  }
  return out;
}

/** The raw (still encoded) fields of a query, in order, split at the first `=`. */
export function rawParametersFromQuery(query: string): QueryParameter[] {
  const out: QueryParameter[] = [];
  if (query === '') return out;
  for (const field of query.split('&')) {
    if (field === '') continue;
    const equals = field.indexOf('=');
    out.push(equals === -1 ? [field, ''] : [field.slice(0, equals), field.slice(equals + 1)]);
  }
  return out;
}
