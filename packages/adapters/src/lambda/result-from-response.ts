import { Buffer } from 'node:buffer';
import { albResultFromResponse } from './alb-result.js';
import { apiGatewayV1ResultFromResponse } from './api-gateway-v1-result.js';
import { apiGatewayV2ResultFromResponse } from './api-gateway-v2-result.js';
import { cloudFrontResultFromResponse } from './cloudfront-result.js';
import { isRecord } from './event-fields.js';
import type { LambdaResponse, ResultConversionOptions } from './lambda-response.js';
import type { LambdaEventSource, LambdaHttpResult } from './types.js';
import { vpcLatticeResultFromResponse } from './vpc-lattice-result.js';

/** The result that answers an event of `source`, in that source's shape. */
export function resultFromResponse(
  source: LambdaEventSource,
  event: unknown,
  response: LambdaResponse,
  options: ResultConversionOptions,
): LambdaHttpResult {
  switch (source) {
    case 'api-gateway-v1':
      return apiGatewayV1ResultFromResponse(response, options);
    case 'api-gateway-v2':
    case 'function-url':
      return apiGatewayV2ResultFromResponse(response, options);
    case 'alb':
      // The answer mirrors the request's mode (LAMBDA-13).
      return albResultFromResponse(response, isRecord(event) && isRecord(event.multiValueHeaders), options);
    case 'vpc-lattice-v1':
    case 'vpc-lattice-v2':
      return vpcLatticeResultFromResponse(response, options);
    case 'cloudfront':
      return cloudFrontResultFromResponse(response, options);
  }
}

/** Lambda's limit on a synchronous invocation's response payload, in bytes. */
export const LAMBDA_PAYLOAD_LIMIT = 6_291_556;

/**
 * The most bytes a result may take for its source: Lambda's synchronous payload limit, or
 * Lambda@Edge's limits on a generated response, headers included (40 KB at viewer
 * request, 1 MB at origin request; CloudFront Developer Guide, "Quotas on Lambda@Edge").
 */
export function resultSizeLimit(source: LambdaEventSource, event: unknown): number {
  if (source !== 'cloudfront') return LAMBDA_PAYLOAD_LIMIT;
  const records = isRecord(event) ? event.Records : undefined;
  const config = Array.isArray(records) && isRecord(records[0]) && isRecord(records[0].cf) ? records[0].cf.config : undefined;
  return isRecord(config) && config.eventType === 'origin-request' ? 1024 * 1024 : 40 * 1024;
}

/** The JSON size of a result in bytes, computed only when its body could bring it near `limit`. */
export function resultExceeds(result: LambdaHttpResult, bodyBytes: number, limit: number): boolean {
  // A base64 body grows by 4/3; with room for the headers, a small body cannot reach the
  // limit, so the serialisation is skipped on the common path.
  if ((bodyBytes * 4) / 3 + 16_384 < limit) return false;
  return Buffer.byteLength(JSON.stringify(result)) > limit;
}
