/**
 * `@tsgi/adapters/lambda`: tsgi on AWS Lambda, for every HTTP event source (API Gateway
 * REST and HTTP API, ALB, Function URLs, VPC Lattice, CloudFront / Lambda@Edge), buffered or
 * streamed. The pure conversions between events, requests, responses and results are
 * exported too, in pairs, for tests and for hosts of your own.
 */
export { toLambdaHandler, type LambdaHandler } from './to-lambda-handler.js';
export { toStreamingLambdaHandler, type StreamingLambdaHandler } from './to-streaming-lambda-handler.js';
export { lambdaHost, lambdaStreamingHost } from './lambda-host.js';
export { detectEventSource, type EventDetection } from './detect-event-source.js';
export { LambdaEventError } from './lambda-event-error.js';
export { LambdaResponseError } from './lambda-response-error.js';
export type { LambdaHandlerOptions, StreamingLambdaHandlerOptions } from './options.js';
export type { AwsLambdaStreaming } from './streaming-sink.js';
export { streamingPrelude } from './streaming-sink.js';

export type { LambdaRequest, LambdaClientRequest, RequestConversionOptions } from './lambda-request.js';
export type { LambdaResponse, ResultConversionOptions, SetCookiePolicy } from './lambda-response.js';
export { requestFromApiGatewayV1Event, apiGatewayV1EventFromRequest, type ApiGatewayV1EventOptions } from './api-gateway-v1.js';
export { requestFromApiGatewayV2Event, apiGatewayV2EventFromRequest } from './api-gateway-v2.js';
export { requestFromFunctionUrlEvent, functionUrlEventFromRequest } from './function-url.js';
export { requestFromAlbEvent, albEventFromRequest } from './alb.js';
export { requestFromVpcLatticeV1Event, vpcLatticeV1EventFromRequest } from './vpc-lattice-v1.js';
export { requestFromVpcLatticeV2Event, vpcLatticeV2EventFromRequest } from './vpc-lattice-v2.js';
export { requestFromCloudFrontEvent, cloudFrontEventFromRequest } from './cloudfront.js';
export { apiGatewayV1ResultFromResponse, responseFromApiGatewayV1Result } from './api-gateway-v1-result.js';
export { apiGatewayV2ResultFromResponse, functionUrlResultFromResponse, responseFromApiGatewayV2Result } from './api-gateway-v2-result.js';
export { albResultFromResponse, responseFromAlbResult } from './alb-result.js';
export { vpcLatticeResultFromResponse, responseFromVpcLatticeResult } from './vpc-lattice-result.js';
export { cloudFrontResultFromResponse, responseFromCloudFrontResult } from './cloudfront-result.js';
export { resultBody, bytesFromResultBody } from './result-body.js';
export { queryFromParameters, parametersFromQuery, type QueryParameter } from './query-string.js';

export {
  LAMBDA_EVENT_SOURCES,
  type ALBEvent,
  type ALBResult,
  type APIGatewayProxyEvent,
  type APIGatewayProxyEventV2,
  type APIGatewayProxyResult,
  type APIGatewayProxyStructuredResultV2,
  type CloudFrontRequestEvent,
  type CloudFrontResultResponse,
  type Context,
  type LambdaEventSource,
  type LambdaHttpEvent,
  type LambdaHttpResult,
  type LambdaResultFor,
  type VpcLatticeEventV1,
  type VpcLatticeEventV2,
  type VpcLatticeResult,
} from './types.js';
