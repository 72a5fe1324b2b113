/**
 * The event and result shapes of every HTTP source the Lambda host serves. AWS's shapes come
 * from `@types/aws-lambda` (type-only, an optional peer dependency); VPC Lattice, which that
 * package does not describe, is declared here from the VPC Lattice User Guide, section
 * "Lambda functions as targets".
 */
import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  CloudFrontRequestEvent,
  CloudFrontResultResponse,
  Context,
} from 'aws-lambda';

export type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  CloudFrontRequestEvent,
  CloudFrontResultResponse,
  Context,
};

/** VPC Lattice, event structure version V1 (snake_case keys; multi-values comma-joined). */
export interface VpcLatticeEventV1 {
  raw_path: string;
  method: string;
  headers: Record<string, string | undefined>;
  query_string_parameters?: Record<string, string | undefined> | null;
  body?: string | null;
  is_base64_encoded?: boolean;
}

/** VPC Lattice, event structure version V2 (camelCase keys; header values are lists). */
export interface VpcLatticeEventV2 {
  version: string;
  path: string;
  method: string;
  headers: Record<string, string[] | string | undefined>;
  queryStringParameters?: Record<string, string[] | string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext: {
    serviceNetworkArn: string;
    serviceArn: string;
    targetGroupArn: string;
    region: string;
    /** Microseconds since the epoch, as a string. */
    timeEpoch: string;
    identity?: Record<string, string | undefined>;
  };
}

/** What a function answers VPC Lattice (both versions): one value per header name. */
export interface VpcLatticeResult {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

/** Every HTTP event the Lambda host accepts. */
export type LambdaHttpEvent =
  | APIGatewayProxyEvent
  | APIGatewayProxyEventV2
  | ALBEvent
  | VpcLatticeEventV1
  | VpcLatticeEventV2
  | CloudFrontRequestEvent;

/** Every result the Lambda host returns. */
export type LambdaHttpResult =
  | APIGatewayProxyResult
  | APIGatewayProxyStructuredResultV2
  | ALBResult
  | VpcLatticeResult
  | CloudFrontResultResponse;

/** The result type that answers an event type: an ALB event gets an ALB result, and so on. */
export type LambdaResultFor<E> = E extends CloudFrontRequestEvent
  ? CloudFrontResultResponse
  : E extends ALBEvent
    ? ALBResult
    : E extends APIGatewayProxyEventV2
      ? APIGatewayProxyStructuredResultV2
      : E extends VpcLatticeEventV1 | VpcLatticeEventV2
        ? VpcLatticeResult
        : E extends APIGatewayProxyEvent
          ? APIGatewayProxyResult
          : LambdaHttpResult;

/** The wire formats the host tells apart; Function URLs share the HTTP API v2 shape. */
export type LambdaEventSource =
  | 'api-gateway-v1'
  | 'api-gateway-v2'
  | 'function-url'
  | 'alb'
  | 'vpc-lattice-v1'
  | 'vpc-lattice-v2'
  | 'cloudfront';

/** Every source name, for iteration and validation. */
export const LAMBDA_EVENT_SOURCES: readonly LambdaEventSource[] = /* @__PURE__ */ Object.freeze([
  'api-gateway-v1',
  'api-gateway-v2',
  'function-url',
  'alb',
  'vpc-lattice-v1',
  'vpc-lattice-v2',
  'cloudfront',
]);

declare module '@tsgi/interface' {
  interface HostVariables {
    /** The invocation's event, as Lambda delivered it (LAMBDA-2). Read the body through `tsgi.input`. */
    'lambda.event'?: LambdaHttpEvent;
    /** The invocation's context: request id, deadline, function ARN (LAMBDA-2). */
    'lambda.context'?: Context;
  }
}
