import { percentDecodeByteString } from '@tsgi/interface';
import { encodedPathFromDecoded } from './encoded-path.js';
import {
  bodyFromEvent,
  eventByteString,
  fieldError,
  isRecord,
  isStringList,
  optionalRecord,
  protocolFromEvent,
  pushSingleValues,
  requireString,
} from './event-fields.js';
import { eventBody, eventText } from './event-building.js';
import { joinTarget, splitTarget, stagePrefix, type LambdaClientRequest, type LambdaRequest, type RequestConversionOptions } from './lambda-request.js';
import { parametersFromQuery } from './query-string.js';
import type { APIGatewayProxyEventV2 } from './types.js';

/**
 * The request of an event in the payload 2.0 shape. HTTP APIs hand over `rawPath` already
 * percent-decoded, so it is encoded again (LAMBDA-6); Function URLs hand it over as the
 * client encoded it (`pathEncoded`). `rawQueryString` is raw in both. Cookies travel apart,
 * in `cookies` (LAMBDA-8); other repeated headers arrive joined with `,`.
 */
export function requestFromV2Event(
  event: APIGatewayProxyEventV2,
  source: 'api-gateway-v2' | 'function-url',
  options: RequestConversionOptions,
): LambdaRequest {
  if (!isRecord(event)) throw fieldError(source, '(event)', 'an object', event);
  const context = optionalRecord(event.requestContext, source, 'requestContext') ?? {};
  const http = optionalRecord(context.http, source, 'requestContext.http');
  if (!http) throw fieldError(source, 'requestContext.http', 'an object', context.http);
  const method = eventByteString(requireString(http.method, source, 'requestContext.http.method'));
  const given = requireString(event.rawPath, source, 'rawPath');
  const rawQuery = event.rawQueryString;
  if (rawQuery !== undefined && rawQuery !== null && typeof rawQuery !== 'string') throw fieldError(source, 'rawQueryString', 'a string', rawQuery);
  const path = source === 'function-url' ? eventByteString(given) : encodedPathFromDecoded(eventByteString(given));
  let scriptName = options.scriptName ?? '';
  // rawPath keeps a named stage as its first segment; $default stages never appear.
  if (scriptName === 'stage') scriptName = stagePrefix(context.stage, given);
  const rawHeaders: string[] = [];
  const headers = optionalRecord(event.headers, source, 'headers');
  const cookies = event.cookies;
  if (cookies !== undefined && cookies !== null && !isStringList(cookies)) throw fieldError(source, 'cookies', 'a list of strings', cookies);
  if (headers) {
    if (cookies && cookies.length > 0 && headers.cookie !== undefined) {
      // The gateway moved the Cookie field into `cookies`; never count it twice.
      const { cookie: _, ...rest } = headers;
      pushSingleValues(rawHeaders, rest, source, 'headers');
    } else pushSingleValues(rawHeaders, headers, source, 'headers');
  }
  if (cookies) for (const cookie of cookies) rawHeaders.push('cookie', eventByteString(cookie));
  const sourceIp = http.sourceIp;
  return {
    method,
    target: joinTarget(path, typeof rawQuery === 'string' ? eventByteString(rawQuery) : ''),
    scriptName,
    rawHeaders,
    protocol: protocolFromEvent(http.protocol),
    // HTTP APIs and Function URLs answer HTTPS only.
    scheme: 'https',
    serverName: typeof context.domainName === 'string' && context.domainName !== '' ? context.domainName : 'localhost',
    serverPort: '443',
    remoteAddress: typeof sourceIp === 'string' && sourceIp !== '' ? sourceIp : undefined,
    body: bodyFromEvent(event.body, event.isBase64Encoded, source, 'body'),
    bodyTruncated: false,
  };
}

/** The request of an API Gateway HTTP API event, payload format 2.0. */
export function requestFromApiGatewayV2Event(event: APIGatewayProxyEventV2, options: RequestConversionOptions = {}): LambdaRequest {
  return requestFromV2Event(event, 'api-gateway-v2', options);
}

/**
 * A payload 2.0 event for a client's request, the way HTTP APIs (`pathEncoded: false`,
 * path decoded) and Function URLs (`pathEncoded: true`) build it: header names lower-cased,
 * repeated values joined with `,`, the Cookie field split into `cookies`, the query raw.
 */
export function v2EventFromRequest(
  request: LambdaClientRequest,
  options: { pathEncoded: boolean; domainName: string; stage?: string | undefined },
): APIGatewayProxyEventV2 {
  const [path, query] = splitTarget(request.target);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, raw] of request.headers) {
    const lower = name.toLowerCase();
    const value = eventText(raw);
    if (lower === 'cookie') {
      for (const part of value.split(';')) if (part.trim() !== '') cookies.push(part.trim());
    } else headers[lower] = lower in headers ? `${headers[lower]},${value}` : value;
  }
  const parameters: Record<string, string> = {};
  for (const [name, value] of parametersFromQuery(query)) parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  const rawPath = options.pathEncoded ? path : eventText(percentDecodeByteString(path));
  const { body, isBase64Encoded } = eventBody(request.body);
  const stage = options.stage ?? '$default';
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: eventText(query),
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: options.domainName.split('.')[0]!,
      domainName: options.domainName,
      domainPrefix: options.domainName.split('.')[0]!,
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '198.51.100.7',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage,
      time: '14/Nov/2023:22:13:20 +0000',
      timeEpoch: 1_700_000_000_000,
    },
    isBase64Encoded,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (query !== '') event.queryStringParameters = parameters;
  if (body !== undefined) event.body = body;
  return event;
}

/** The HTTP API event (payload 2.0) for a client's request; the inverse of `requestFromApiGatewayV2Event`. */
export function apiGatewayV2EventFromRequest(request: LambdaClientRequest, options: { stage?: string } = {}): APIGatewayProxyEventV2 {
  return v2EventFromRequest(request, { pathEncoded: false, domainName: 'abcdef1234.execute-api.us-east-1.amazonaws.com', stage: options.stage });
}
