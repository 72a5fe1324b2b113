import { clientHeader, eventBody, eventHeaderPairs, eventText, groupPairs, lastValues } from './event-building.js';
import {
  bodyFromEvent,
  eventByteString,
  fieldError,
  isRecord,
  lastHeader,
  optionalRecord,
  pushMultiValues,
  pushSingleValues,
  requireString,
  rightmostForwardedFor,
} from './event-fields.js';
import { joinTarget, splitTarget, type LambdaClientRequest, type LambdaRequest, type RequestConversionOptions } from './lambda-request.js';
import { parametersFromMap, queryFromRawParameters, rawParametersFromQuery } from './query-string.js';
import type { ALBEvent } from './types.js';

const SOURCE = 'alb';

/**
 * The request of an Application Load Balancer event. The path and the query parameters
 * arrive as the client encoded them, so they are joined back without re-encoding. In
 * multi-value mode every repeated header and parameter is kept; in single-value mode the
 * load balancer has already kept only the last one. The client is the right-most
 * `X-Forwarded-For` entry, the one the load balancer appended (LAMBDA-9).
 */
export function requestFromAlbEvent(event: ALBEvent, options: RequestConversionOptions = {}): LambdaRequest {
  if (!isRecord(event)) throw fieldError(SOURCE, '(event)', 'an object', event);
  const method = eventByteString(requireString(event.httpMethod, SOURCE, 'httpMethod'));
  const path = eventByteString(requireString(event.path, SOURCE, 'path'));
  const multiQuery = event.multiValueQueryStringParameters;
  const query = queryFromRawParameters(
    multiQuery !== undefined && multiQuery !== null
      ? parametersFromMap(multiQuery, SOURCE, 'multiValueQueryStringParameters')
      : parametersFromMap(event.queryStringParameters, SOURCE, 'queryStringParameters'),
  );
  const rawHeaders: string[] = [];
  const multi = optionalRecord(event.multiValueHeaders, SOURCE, 'multiValueHeaders');
  if (multi) pushMultiValues(rawHeaders, multi, SOURCE, 'multiValueHeaders');
  else {
    const single = optionalRecord(event.headers, SOURCE, 'headers');
    if (single) pushSingleValues(rawHeaders, single, SOURCE, 'headers');
  }
  // The load balancer sets X-Forwarded-Proto and -Port to its listener's, whatever the client sent.
  const scheme = lastHeader(rawHeaders, 'x-forwarded-proto')?.trim().toLowerCase() === 'https' ? 'https' : 'http';
  const port = lastHeader(rawHeaders, 'x-forwarded-port')?.trim();
  return {
    method,
    target: joinTarget(path, query),
    scriptName: options.scriptName === 'stage' ? '' : (options.scriptName ?? ''),
    rawHeaders,
    protocol: 'HTTP/1.1',
    scheme,
    serverName: 'localhost',
    serverPort: port !== undefined && /^[0-9]{1,5}$/.test(port) ? port : scheme === 'https' ? '443' : '80',
    remoteAddress: rightmostForwardedFor(lastHeader(rawHeaders, 'x-forwarded-for')),
    body: bodyFromEvent(event.body, event.isBase64Encoded, SOURCE, 'body'),
    bodyTruncated: false,
  };
}

/**
 * The ALB event for a client's request, in multi-value mode (`multiValue: true`, the
 * target group attribute `lambda.multi_value_headers.enabled`) or single-value mode (the
 * default on target groups): names lower-cased, path and query as sent, the client appended
 * to `X-Forwarded-For`. The inverse of `requestFromAlbEvent`.
 */
export function albEventFromRequest(request: LambdaClientRequest, options: { multiValue?: boolean } = {}): ALBEvent {
  const [path, query] = splitTarget(request.target);
  const scheme = request.scheme ?? 'https';
  const pairs = eventHeaderPairs(request.headers, true).filter(([name]) => !name.startsWith('x-forwarded-'));
  const forwarded = clientHeader(request.headers, 'x-forwarded-for');
  const client = request.sourceIp ?? '198.51.100.7';
  pairs.push(
    ['x-forwarded-for', forwarded === undefined ? client : `${eventText(forwarded)}, ${client}`],
    ['x-forwarded-port', scheme === 'https' ? '443' : '80'],
    ['x-forwarded-proto', scheme],
  );
  const headers = groupPairs(pairs);
  const parameters = groupPairs(rawParametersFromQuery(eventText(query)));
  const { body, isBase64Encoded } = eventBody(request.body);
  const event: ALBEvent = {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-target/0123456789abcdef' } },
    httpMethod: request.method,
    path: eventText(path),
    body: body ?? '',
    isBase64Encoded,
  };
  if (options.multiValue) {
    event.multiValueHeaders = headers;
    event.multiValueQueryStringParameters = parameters;
  } else {
    event.headers = lastValues(headers);
    event.queryStringParameters = lastValues(parameters);
  }
  return event;
}
