import {
  bodyFromEvent,
  eventByteString,
  fieldError,
  isRecord,
  optionalRecord,
  protocolFromEvent,
  pushMultiValues,
  pushSingleValues,
  requireString,
} from './event-fields.js';
import { encodedPathFromDecoded } from './encoded-path.js';
import { clientHeader, eventBody, eventHeaderPairs, eventText, groupPairs, lastValues } from './event-building.js';
import { joinTarget, splitTarget, stagePrefix, type LambdaClientRequest, type LambdaRequest, type RequestConversionOptions } from './lambda-request.js';
import { parametersFromMap, parametersFromQuery, queryFromParameters } from './query-string.js';
import type { APIGatewayProxyEvent } from './types.js';

const SOURCE = 'api-gateway-v1';

/**
 * The request of an API Gateway event in the REST shape (payload format 1.0): REST APIs,
 * and HTTP APIs configured for payload 1.0 (`version: "1.0"`). REST passes the path as the
 * client encoded it; HTTP APIs pass it decoded, so it is encoded again (LAMBDA-6). Query
 * parameters arrive decoded in maps and are encoded again (LAMBDA-7); `multiValueHeaders`
 * and `multiValueQueryStringParameters` keep every repeated value, and are preferred.
 */
export function requestFromApiGatewayV1Event(event: APIGatewayProxyEvent, options: RequestConversionOptions = {}): LambdaRequest {
  if (!isRecord(event)) throw fieldError(SOURCE, '(event)', 'an object', event);
  const method = eventByteString(requireString(event.httpMethod, SOURCE, 'httpMethod'));
  const given = requireString(event.path, SOURCE, 'path');
  const context = optionalRecord(event.requestContext, SOURCE, 'requestContext') ?? {};
  const decoded = (event as { version?: unknown }).version === '1.0';
  let path = decoded ? encodedPathFromDecoded(eventByteString(given)) : eventByteString(given);
  let scriptName = options.scriptName ?? '';
  if (scriptName === 'stage') {
    // requestContext.path is the path the client sent, stage included on execute-api domains.
    scriptName = stagePrefix(context.stage, typeof context.path === 'string' ? context.path : '');
    // REST leaves the stage out of `path`; HTTP APIs keep it, as in rawPath.
    if (scriptName !== '' && !decoded) path = scriptName + path;
  }
  const multiQuery = event.multiValueQueryStringParameters;
  const query = queryFromParameters(
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
  const identity = optionalRecord(context.identity, SOURCE, 'requestContext.identity');
  const sourceIp = identity?.sourceIp;
  return {
    method,
    target: joinTarget(path, query),
    scriptName,
    rawHeaders,
    protocol: protocolFromEvent(context.protocol),
    // API Gateway endpoints answer HTTPS only.
    scheme: 'https',
    serverName: typeof context.domainName === 'string' && context.domainName !== '' ? context.domainName : 'localhost',
    serverPort: '443',
    remoteAddress: typeof sourceIp === 'string' && sourceIp !== '' ? sourceIp : undefined,
    body: bodyFromEvent(event.body, event.isBase64Encoded, SOURCE, 'body'),
    bodyTruncated: false,
  };
}

export interface ApiGatewayV1EventOptions {
  /** Leave out the multi-value maps, as older events and hand-written tests do. */
  multiValue?: boolean;
  /** The stage the client named in the URL (`/prod/...`), kept out of `path` as REST does. */
  stage?: string;
}

/**
 * The REST API event for a client's request, as API Gateway builds it: path as sent, query
 * decoded into maps, headers grouped by name (`headers` keeps the last value), body as text
 * when it is UTF-8 and base64 otherwise. The inverse of `requestFromApiGatewayV1Event`.
 */
export function apiGatewayV1EventFromRequest(request: LambdaClientRequest, options: ApiGatewayV1EventOptions = {}): APIGatewayProxyEvent {
  const [path, query] = splitTarget(request.target);
  const parameters = parametersFromQuery(query);
  const multiQuery = groupPairs(parameters);
  const multiHeaders = groupPairs(eventHeaderPairs(request.headers, false));
  const host = clientHeader(request.headers, 'host') ?? 'abcdef1234.execute-api.us-east-1.amazonaws.com';
  const stage = options.stage ?? 'prod';
  const { body, isBase64Encoded } = eventBody(request.body);
  const withMulti = options.multiValue !== false;
  const event: APIGatewayProxyEvent = {
    resource: '/{proxy+}',
    path: eventText(path),
    httpMethod: request.method,
    headers: lastValues(multiHeaders),
    multiValueHeaders: withMulti ? multiHeaders : (undefined as unknown as APIGatewayProxyEvent['multiValueHeaders']),
    queryStringParameters: parameters.length === 0 ? null : lastValues(multiQuery),
    multiValueQueryStringParameters: parameters.length === 0 || !withMulti ? null : multiQuery,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      authorizer: undefined,
      domainName: host,
      domainPrefix: host.split('.')[0],
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp ?? '198.51.100.7',
        user: null,
        userAgent: clientHeader(request.headers, 'user-agent') ?? null,
        userArn: null,
      },
      path: options.stage === undefined ? path : `/${stage}${path}`,
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1_700_000_000_000,
      resourceId: 'roq9wj',
      resourcePath: '/{proxy+}',
      stage,
    },
    body: body ?? null,
    isBase64Encoded,
  };
  if (!withMulti) delete (event as Partial<APIGatewayProxyEvent>).multiValueHeaders;
  return event;
}
