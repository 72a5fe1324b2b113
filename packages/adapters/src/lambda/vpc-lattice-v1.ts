import { eventBody, eventHeaderPairs, eventText, lastValues } from './event-building.js';
import {
  bodyFromEvent,
  eventByteString,
  fieldError,
  isRecord,
  lastHeader,
  optionalRecord,
  pushSingleValues,
  requireString,
  rightmostForwardedFor,
} from './event-fields.js';
import { joinTarget, splitTarget, type LambdaClientRequest, type LambdaRequest, type RequestConversionOptions } from './lambda-request.js';
import { parametersFromMap, parametersFromQuery, queryFromParameters } from './query-string.js';
import type { VpcLatticeEventV1 } from './types.js';

const SOURCE = 'vpc-lattice-v1';

/**
 * The path and query of a VPC Lattice event: a query in the path is taken raw; otherwise
 * the parameter map, whose values VPC Lattice passes decoded, is encoded again (LAMBDA-7).
 */
export function latticeTarget(path: string, parameters: unknown, source: 'vpc-lattice-v1' | 'vpc-lattice-v2', field: string): string {
  const bytes = eventByteString(path);
  if (bytes.includes('?')) return bytes;
  return joinTarget(bytes, queryFromParameters(parametersFromMap(parameters, source, field)));
}

/** The scheme of a VPC Lattice request: the listener's protocol when the service forwards it, else HTTPS. */
export function latticeScheme(rawHeaders: readonly string[]): 'http' | 'https' {
  return lastHeader(rawHeaders, 'x-forwarded-proto')?.trim().toLowerCase() === 'http' ? 'http' : 'https';
}

/**
 * The request of a VPC Lattice event, structure version V1 (snake_case keys). Headers
 * arrive one per name, repeated values already joined with `, `. The client is the
 * right-most `X-Forwarded-For` entry, which VPC Lattice appends.
 */
export function requestFromVpcLatticeV1Event(event: VpcLatticeEventV1, options: RequestConversionOptions = {}): LambdaRequest {
  if (!isRecord(event)) throw fieldError(SOURCE, '(event)', 'an object', event);
  const method = eventByteString(requireString(event.method, SOURCE, 'method'));
  const target = latticeTarget(requireString(event.raw_path, SOURCE, 'raw_path'), event.query_string_parameters, SOURCE, 'query_string_parameters');
  const rawHeaders: string[] = [];
  const headers = optionalRecord(event.headers, SOURCE, 'headers');
  if (headers) pushSingleValues(rawHeaders, headers, SOURCE, 'headers');
  return latticeRequest(method, target, rawHeaders, bodyFromEvent(event.body, event.is_base64_encoded, SOURCE, 'body'), options);
}

/** The request both VPC Lattice structure versions describe, once headers and body are read. */
export function latticeRequest(
  method: string,
  target: string,
  rawHeaders: string[],
  body: LambdaRequest['body'],
  options: RequestConversionOptions,
): LambdaRequest {
  const scheme = latticeScheme(rawHeaders);
  return {
    method,
    target,
    scriptName: options.scriptName === 'stage' ? '' : (options.scriptName ?? ''),
    rawHeaders,
    protocol: 'HTTP/1.1',
    scheme,
    serverName: 'localhost',
    serverPort: scheme === 'https' ? '443' : '80',
    remoteAddress: rightmostForwardedFor(lastHeader(rawHeaders, 'x-forwarded-for')),
    body,
    bodyTruncated: false,
  };
}

/** The VPC Lattice V1 event for a client's request; the inverse of `requestFromVpcLatticeV1Event`. */
export function vpcLatticeV1EventFromRequest(request: LambdaClientRequest): VpcLatticeEventV1 {
  const [path, query] = splitTarget(request.target);
  const headers: Record<string, string> = {};
  for (const [name, value] of eventHeaderPairs(request.headers, true)) headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  headers['x-forwarded-for'] = request.sourceIp ?? '10.0.2.100';
  const parameters: Record<string, string[]> = {};
  for (const [name, value] of parametersFromQuery(query)) (parameters[name] ??= []).push(value);
  const { body, isBase64Encoded } = eventBody(request.body);
  return {
    raw_path: eventText(path),
    method: request.method,
    headers,
    query_string_parameters: lastValues(parameters),
    body: body ?? '',
    is_base64_encoded: isBase64Encoded,
  };
}
