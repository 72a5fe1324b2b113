import { fieldError, isRecord } from './event-fields.js';
import { statusCodeOf, type LambdaResponse, type ResultConversionOptions } from './lambda-response.js';
import { bytesFromResultBody, resultBody } from './result-body.js';
import { multiValueHeaderMap } from './result-headers.js';
import { pairsFromMultiMap, pairsFromSingleMap, statusFromResult } from './result-reading.js';
import type { APIGatewayProxyResult } from './types.js';

/**
 * The result of an API Gateway REST (payload 1.0) invocation: exactly `statusCode`,
 * `multiValueHeaders`, `body` and `isBase64Encoded`, the keys a proxy integration accepts
 * (any other key is a 502 at the gateway). Every header pair goes through
 * `multiValueHeaders`, so repeated names and every `Set-Cookie` are kept (LAMBDA-11).
 */
export function apiGatewayV1ResultFromResponse(response: LambdaResponse, options: ResultConversionOptions = {}): APIGatewayProxyResult {
  const { body, isBase64Encoded } = resultBody(response, options);
  return {
    statusCode: statusCodeOf(response.status),
    multiValueHeaders: multiValueHeaderMap(response.headers),
    body,
    isBase64Encoded,
  };
}

/**
 * The response API Gateway makes of a REST result: `headers` and `multiValueHeaders`
 * merged, a name in both taking its values from `multiValueHeaders` only. The inverse of
 * `apiGatewayV1ResultFromResponse`, up to the reason phrase, which REST results cannot carry.
 */
export function responseFromApiGatewayV1Result(result: APIGatewayProxyResult): LambdaResponse {
  if (!isRecord(result)) throw fieldError('api-gateway-v1', '(result)', 'an object', result);
  const multi = pairsFromMultiMap(result.multiValueHeaders, 'api-gateway-v1', 'multiValueHeaders');
  const named = new Set(multi.map(([name]) => name.toLowerCase()));
  const single = pairsFromSingleMap(result.headers, 'api-gateway-v1', 'headers').filter(([name]) => !named.has(name.toLowerCase()));
  return {
    status: statusFromResult(result.statusCode, undefined, 'api-gateway-v1'),
    headers: [...single, ...multi],
    body: bytesFromResultBody(result.body, result.isBase64Encoded, 'api-gateway-v1'),
  };
}
