import { requestFromAlbEvent } from './alb.js';
import { requestFromApiGatewayV1Event } from './api-gateway-v1.js';
import { requestFromApiGatewayV2Event } from './api-gateway-v2.js';
import { requestFromCloudFrontEvent } from './cloudfront.js';
import type { EventDetection } from './detect-event-source.js';
import { requestFromFunctionUrlEvent } from './function-url.js';
import type { LambdaRequest, RequestConversionOptions } from './lambda-request.js';
import { requestFromVpcLatticeV1Event } from './vpc-lattice-v1.js';
import { requestFromVpcLatticeV2Event } from './vpc-lattice-v2.js';

/** The request of a detected event, by its source's conversion; throws LambdaEventError for a malformed one. */
export function requestFromEvent(detection: Exclude<EventDetection, { source: undefined }>, options: RequestConversionOptions): LambdaRequest {
  switch (detection.source) {
    case 'api-gateway-v1':
      return requestFromApiGatewayV1Event(detection.event, options);
    case 'api-gateway-v2':
      return requestFromApiGatewayV2Event(detection.event, options);
    case 'function-url':
      return requestFromFunctionUrlEvent(detection.event, options);
    case 'alb':
      return requestFromAlbEvent(detection.event, options);
    case 'vpc-lattice-v1':
      return requestFromVpcLatticeV1Event(detection.event, options);
    case 'vpc-lattice-v2':
      return requestFromVpcLatticeV2Event(detection.event, options);
    case 'cloudfront':
      return requestFromCloudFrontEvent(detection.event, options);
  }
}
