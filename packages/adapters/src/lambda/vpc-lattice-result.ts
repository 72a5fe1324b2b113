import { fieldError, isRecord } from './event-fields.js';
import { statusCodeOf, type LambdaResponse, type ResultConversionOptions } from './lambda-response.js';
import { bytesFromResultBody, resultBody } from './result-body.js';
import { singleValueHeaderMap } from './result-headers.js';
import { pairsFromSingleMap, statusFromResult } from './result-reading.js';
import type { VpcLatticeResult } from './types.js';

/**
 * The result of a VPC Lattice invocation (both structure versions): one value per header
 * name (LAMBDA-14), `statusDescription` as `"200 OK"` (LAMBDA-16).
 */
export function vpcLatticeResultFromResponse(response: LambdaResponse, options: ResultConversionOptions = {}): VpcLatticeResult {
  const { body, isBase64Encoded } = resultBody(response, options);
  return {
    statusCode: statusCodeOf(response.status),
    statusDescription: response.status,
    headers: singleValueHeaderMap(response.headers, options.setCookie ?? 'case-variants', 'VPC Lattice', options.warn),
    body,
    isBase64Encoded,
  };
}

/** The response VPC Lattice makes of a result; the inverse of `vpcLatticeResultFromResponse`. */
export function responseFromVpcLatticeResult(result: VpcLatticeResult): LambdaResponse {
  if (!isRecord(result)) throw fieldError('vpc-lattice-v2', '(result)', 'an object', result);
  return {
    status: statusFromResult(result.statusCode, result.statusDescription, 'vpc-lattice-v2'),
    headers: pairsFromSingleMap(result.headers, 'vpc-lattice-v2', 'headers'),
    body: bytesFromResultBody(result.body, result.isBase64Encoded, 'vpc-lattice-v2'),
  };
}
