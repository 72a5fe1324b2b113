import { eventByteString, fieldError, isRecord } from './event-fields.js';
import { reasonOf, statusCodeOf, type LambdaResponse, type ResultConversionOptions } from './lambda-response.js';
import { bytesFromResultBody, resultBody } from './result-body.js';
import { resultText } from './result-headers.js';
import { statusFromResult } from './result-reading.js';
import type { CloudFrontResultResponse } from './types.js';

// CloudFront Developer Guide, "Restrictions on edge functions": headers a function can
// neither see nor add (a result that sets one fails validation with a 502), and the
// read-only Transfer-Encoding and Via.
const DISALLOWED = new Set([
  'connection',
  'expect',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'trailer',
  'upgrade',
  'x-cache',
  'x-forwarded-proto',
  'x-real-ip',
  'transfer-encoding',
  'via',
]);
const DISALLOWED_PREFIXES = ['x-accel-', 'x-amz-cf-', 'x-amzn-', 'x-edge-'];

/** True for a header a Lambda@Edge result must not set (LAMBDA-17). */
export function isCloudFrontDisallowed(lower: string): boolean {
  return DISALLOWED.has(lower) || DISALLOWED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/**
 * The response a Lambda@Edge viewer-request or origin-request function generates: `status`
 * as a string, `statusDescription` the reason phrase (LAMBDA-16), headers keyed by
 * lower-case name as lists of `{ key, value }` (every pair kept), `bodyEncoding` `text` or
 * `base64` (LAMBDA-10). Headers Lambda@Edge forbids are dropped and reported (LAMBDA-17);
 * `Content-Length` is dropped because CloudFront frames the body it sends.
 */
export function cloudFrontResultFromResponse(response: LambdaResponse, options: ResultConversionOptions = {}): CloudFrontResultResponse {
  const headers: Record<string, Array<{ key: string; value: string }>> = {};
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-length') continue;
    if (isCloudFrontDisallowed(lower)) {
      options.warn?.(`[LAMBDA-17] Lambda@Edge does not let a function set ${name}; dropped it\n`);
      continue;
    }
    (headers[lower] ??= []).push({ key: name, value: resultText(value) });
  }
  const { body, isBase64Encoded } = resultBody(response, options);
  return {
    status: String(statusCodeOf(response.status)),
    statusDescription: resultText(reasonOf(response.status)),
    headers,
    body,
    bodyEncoding: isBase64Encoded ? 'base64' : 'text',
  };
}

/** The response CloudFront makes of a generated response; the inverse of `cloudFrontResultFromResponse`. */
export function responseFromCloudFrontResult(result: CloudFrontResultResponse): LambdaResponse {
  if (!isRecord(result)) throw fieldError('cloudfront', '(result)', 'an object', result);
  const headers: LambdaResponse['headers'] = [];
  const map = result.headers ?? {};
  if (!isRecord(map)) throw fieldError('cloudfront', 'headers', 'an object', map);
  for (const lower in map) {
    const entries = map[lower];
    if (!Array.isArray(entries)) throw fieldError('cloudfront', `headers.${lower}`, 'a list of { key, value }', entries);
    for (const entry of entries) headers.push([entry.key ?? lower, eventByteString(entry.value)]);
  }
  return {
    status: statusFromResult(result.status, result.statusDescription, 'cloudfront'),
    headers,
    body: bytesFromResultBody(result.body, result.bodyEncoding === 'base64', 'cloudfront'),
  };
}
