import { fieldError, isRecord } from './event-fields.js';
import { statusCodeOf, type LambdaResponse, type ResultConversionOptions } from './lambda-response.js';
import { bytesFromResultBody, resultBody } from './result-body.js';
import { multiValueHeaderMap, singleValueHeaderMap } from './result-headers.js';
import { pairsFromMultiMap, pairsFromSingleMap, statusFromResult } from './result-reading.js';
import type { ALBResult } from './types.js';

/**
 * The result of an ALB invocation, in the mode of the request (LAMBDA-13): with
 * `multiValueHeaders` (every pair kept, LAMBDA-11) when the target group sends multi-value
 * events, with `headers` (one value per name, LAMBDA-14) otherwise. `statusDescription` is
 * the code and the app's reason phrase, `"200 OK"` (LAMBDA-16).
 */
export function albResultFromResponse(response: LambdaResponse, multiValue: boolean, options: ResultConversionOptions = {}): ALBResult {
  const { body, isBase64Encoded } = resultBody(response, options);
  const result: ALBResult = { statusCode: statusCodeOf(response.status), statusDescription: response.status };
  if (multiValue) result.multiValueHeaders = multiValueHeaderMap(response.headers);
  else result.headers = singleValueHeaderMap(response.headers, options.setCookie ?? 'case-variants', 'ALB in single-value mode', options.warn);
  result.body = body;
  result.isBase64Encoded = isBase64Encoded;
  return result;
}

/**
 * The response a load balancer makes of a result: `multiValueHeaders` when present, else
 * `headers`, each key its own field line. The inverse of `albResultFromResponse`.
 */
export function responseFromAlbResult(result: ALBResult): LambdaResponse {
  if (!isRecord(result)) throw fieldError('alb', '(result)', 'an object', result);
  const headers =
    result.multiValueHeaders !== undefined
      ? pairsFromMultiMap(result.multiValueHeaders, 'alb', 'multiValueHeaders')
      : pairsFromSingleMap(result.headers, 'alb', 'headers');
  return {
    status: statusFromResult(result.statusCode, result.statusDescription, 'alb'),
    headers,
    body: bytesFromResultBody(result.body, result.isBase64Encoded, 'alb'),
  };
}
