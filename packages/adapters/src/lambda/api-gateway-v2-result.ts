import { eventByteString, fieldError, isRecord } from './event-fields.js';
import { statusCodeOf, type LambdaResponse, type ResultConversionOptions } from './lambda-response.js';
import { bytesFromResultBody, resultBody } from './result-body.js';
import { joinedHeaderMap } from './result-headers.js';
import { pairsFromSingleMap, statusFromResult } from './result-reading.js';
import type { APIGatewayProxyStructuredResultV2 } from './types.js';

/**
 * The result of an HTTP API (payload 2.0) or Function URL invocation: `statusCode`,
 * `headers`, `cookies` when there are any, `body`, `isBase64Encoded`. Each `Set-Cookie`
 * value is one element of `cookies`; other repeated names are joined with `, ` in
 * `headers`, which holds one value per name (LAMBDA-12). The same shape is the prelude of a
 * streamed response.
 */
export function apiGatewayV2ResultFromResponse(response: LambdaResponse, options: ResultConversionOptions = {}): APIGatewayProxyStructuredResultV2 {
  const { body, isBase64Encoded } = resultBody(response, options);
  const { headers, cookies } = joinedHeaderMap(response.headers);
  const result: APIGatewayProxyStructuredResultV2 = { statusCode: statusCodeOf(response.status), headers };
  if (cookies.length > 0) result.cookies = cookies;
  result.body = body;
  result.isBase64Encoded = isBase64Encoded;
  return result;
}

/** The result of a Function URL invocation: the same shape as an HTTP API's. */
export const functionUrlResultFromResponse = apiGatewayV2ResultFromResponse;

/**
 * The response an HTTP API or Function URL makes of a structured payload 2.0 result: one
 * field per `headers` entry, one `Set-Cookie` per `cookies` element. The inverse of
 * `apiGatewayV2ResultFromResponse`, up to the reason phrase and the joining of repeated
 * names, which the shape cannot undo.
 */
export function responseFromApiGatewayV2Result(result: APIGatewayProxyStructuredResultV2): LambdaResponse {
  if (!isRecord(result)) throw fieldError('api-gateway-v2', '(result)', 'an object', result);
  const headers = pairsFromSingleMap(result.headers, 'api-gateway-v2', 'headers');
  const cookies = result.cookies;
  if (cookies !== undefined && !Array.isArray(cookies)) throw fieldError('api-gateway-v2', 'cookies', 'a list of strings', cookies);
  for (const cookie of cookies ?? []) headers.push(['set-cookie', eventByteString(String(cookie))]);
  return {
    status: statusFromResult(result.statusCode ?? 200, undefined, 'api-gateway-v2'),
    headers,
    body: bytesFromResultBody(result.body, result.isBase64Encoded, 'api-gateway-v2'),
  };
}
