import { eventBody, eventHeaderPairs, eventText, groupPairs } from './event-building.js';
import {
  bodyFromEvent,
  eventByteString,
  fieldError,
  isRecord,
  optionalRecord,
  pushMultiValues,
  requireString,
} from './event-fields.js';
import { splitTarget, type LambdaClientRequest, type LambdaRequest, type RequestConversionOptions } from './lambda-request.js';
import { parametersFromQuery } from './query-string.js';
import type { VpcLatticeEventV2 } from './types.js';
import { latticeRequest, latticeTarget } from './vpc-lattice-v1.js';

const SOURCE = 'vpc-lattice-v2';

/**
 * The request of a VPC Lattice event, structure version V2: header values are lists, so
 * repeated headers are kept; query values may be lists too. The client is the right-most
 * `X-Forwarded-For` entry, which VPC Lattice appends.
 */
export function requestFromVpcLatticeV2Event(event: VpcLatticeEventV2, options: RequestConversionOptions = {}): LambdaRequest {
  if (!isRecord(event)) throw fieldError(SOURCE, '(event)', 'an object', event);
  const method = eventByteString(requireString(event.method, SOURCE, 'method'));
  const target = latticeTarget(requireString(event.path, SOURCE, 'path'), event.queryStringParameters, SOURCE, 'queryStringParameters');
  const rawHeaders: string[] = [];
  const headers = optionalRecord(event.headers, SOURCE, 'headers');
  if (headers) pushMultiValues(rawHeaders, headers, SOURCE, 'headers');
  return latticeRequest(method, target, rawHeaders, bodyFromEvent(event.body, event.isBase64Encoded, SOURCE, 'body'), options);
}

/** The VPC Lattice V2 event for a client's request; the inverse of `requestFromVpcLatticeV2Event`. */
export function vpcLatticeV2EventFromRequest(request: LambdaClientRequest): VpcLatticeEventV2 {
  const [path, query] = splitTarget(request.target);
  const pairs = eventHeaderPairs(request.headers, true).filter(([name]) => name !== 'x-forwarded-for');
  pairs.push(['x-forwarded-for', request.sourceIp ?? '10.0.2.100']);
  const { body, isBase64Encoded } = eventBody(request.body);
  const event: VpcLatticeEventV2 = {
    version: '2.0',
    path: eventText(path),
    method: request.method,
    headers: groupPairs(pairs),
    queryStringParameters: groupPairs(parametersFromQuery(query)),
    body: body ?? null,
    isBase64Encoded,
    requestContext: {
      serviceNetworkArn: 'arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0bf3f2882e9cc805a',
      serviceArn: 'arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0a40eebed65f8d69c',
      targetGroupArn: 'arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-6d0ecf831eec9f09',
      region: 'us-east-1',
      timeEpoch: '1700000000000000',
      identity: { sourceVpcArn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0b8276c84697e7339' },
    },
  };
  return event;
}
