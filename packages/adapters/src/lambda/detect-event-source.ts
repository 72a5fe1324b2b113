import { isRecord } from './event-fields.js';
import type {
  ALBEvent,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  CloudFrontRequestEvent,
  LambdaEventSource,
  VpcLatticeEventV1,
  VpcLatticeEventV2,
} from './types.js';

/** What `detectEventSource` found: a source and the event typed as that source's, or why none. */
export type EventDetection =
  | { source: 'api-gateway-v1'; event: APIGatewayProxyEvent }
  | { source: 'api-gateway-v2'; event: APIGatewayProxyEventV2 }
  | { source: 'function-url'; event: APIGatewayProxyEventV2 }
  | { source: 'alb'; event: ALBEvent }
  | { source: 'vpc-lattice-v1'; event: VpcLatticeEventV1 }
  | { source: 'vpc-lattice-v2'; event: VpcLatticeEventV2 }
  | { source: 'cloudfront'; event: CloudFrontRequestEvent }
  | { source: undefined; reason: string };

function keysOf(value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  return keys.length === 0 ? 'no keys' : `keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
}

function detect(event: unknown): EventDetection {
  if (!isRecord(event)) {
    return { source: undefined, reason: `an HTTP event is a JSON object; got ${event === null ? 'null' : Array.isArray(event) ? 'an array' : typeof event}` };
  }
  const records = event.Records;
  if (Array.isArray(records)) {
    const cf = isRecord(records[0]) ? records[0].cf : undefined;
    if (isRecord(cf) && isRecord(cf.request)) {
      const type = isRecord(cf.config) ? cf.config.eventType : undefined;
      if (type === undefined || type === 'viewer-request' || type === 'origin-request') {
        return { source: 'cloudfront', event: event as unknown as CloudFrontRequestEvent };
      }
      return { source: undefined, reason: `a CloudFront ${String(type)} event carries a response, not a request to answer` };
    }
    return { source: undefined, reason: 'a Records event (S3, SQS, SNS, DynamoDB ...) is not an HTTP request' };
  }
  const context = event.requestContext;
  if (isRecord(context)) {
    if (isRecord(context.elb)) return { source: 'alb', event: event as unknown as ALBEvent };
    if (isRecord(context.http)) {
      // Function URLs have no custom domains: their domain is always <id>.lambda-url.<region>.on.aws.
      const domain = context.domainName;
      const url = typeof domain === 'string' && domain.includes('.lambda-url.');
      return url
        ? { source: 'function-url', event: event as unknown as APIGatewayProxyEventV2 }
        : { source: 'api-gateway-v2', event: event as unknown as APIGatewayProxyEventV2 };
    }
    if (typeof event.method === 'string' && ('serviceNetworkArn' in context || 'targetGroupArn' in context || 'serviceArn' in context)) {
      return { source: 'vpc-lattice-v2', event: event as unknown as VpcLatticeEventV2 };
    }
    if (typeof event.httpMethod === 'string') return { source: 'api-gateway-v1', event: event as unknown as APIGatewayProxyEvent };
    if ('connectionId' in context) return { source: undefined, reason: 'an API Gateway WebSocket event is not an HTTP request' };
    return { source: undefined, reason: `an event with a requestContext but no HTTP method (${keysOf(event)})` };
  }
  if (typeof event.raw_path === 'string' && typeof event.method === 'string') {
    return { source: 'vpc-lattice-v1', event: event as unknown as VpcLatticeEventV1 };
  }
  return { source: undefined, reason: `no HTTP event source has this shape (${keysOf(event)})` };
}

/**
 * Which HTTP source sent an event, told apart by shape alone (LAMBDA-1). Total: any value
 * at all gives a detection, an unknown one a reason instead of a source, and nothing is
 * thrown. Only the distinguishing fields are looked at; each source's conversion checks
 * the rest.
 */
export function detectEventSource(event: unknown): EventDetection {
  try {
    return detect(event);
  } catch (error) {
    // A Proxy or getter can throw where JSON never does; that is still an answer.
    return { source: undefined, reason: `the event could not be inspected: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The detection for a source chosen by the deployer: no guessing, the conversion checks the fields. */
export function eventAsSource(event: unknown, source: LambdaEventSource): EventDetection {
  return { source, event } as EventDetection;
}
