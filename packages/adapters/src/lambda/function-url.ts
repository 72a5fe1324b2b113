import { requestFromV2Event, v2EventFromRequest } from './api-gateway-v2.js';
import type { LambdaClientRequest, LambdaRequest, RequestConversionOptions } from './lambda-request.js';
import type { APIGatewayProxyEventV2 } from './types.js';

/**
 * The request of a Lambda Function URL event: the HTTP API payload 2.0 shape, except that
 * `rawPath` arrives as the client encoded it, so it is taken as it is (LAMBDA-6).
 */
export function requestFromFunctionUrlEvent(event: APIGatewayProxyEventV2, options: RequestConversionOptions = {}): LambdaRequest {
  return requestFromV2Event(event, 'function-url', options);
}

/** The Function URL event for a client's request; the inverse of `requestFromFunctionUrlEvent`. */
export function functionUrlEventFromRequest(request: LambdaClientRequest): APIGatewayProxyEventV2 {
  return v2EventFromRequest(request, { pathEncoded: true, domainName: 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws' });
}
