export { byteCharArbitrary, byteStringArbitrary, utf8ByteStringArbitrary } from './bytes.js';
export { methodArbitrary, STANDARD_METHODS, REGISTERED_METHODS, type MethodOptions } from './method.js';
export { pathArbitrary, type PathSample, type PathOptions } from './path.js';
export { queryArbitrary } from './query.js';
export { targetArbitrary, type TargetSample, type TargetOptions } from './target.js';
export {
  headerNameArbitrary,
  plainHeaderNameArbitrary,
  tokenHeaderNameArbitrary,
  hostileHeaderNameArbitrary,
  isFreeHeaderName,
  RESERVED_REQUEST_HEADERS,
} from './header-name.js';
export { headerValueArbitrary, type HeaderValueSample, type HeaderValueOptions } from './header-value.js';
export { headersArbitrary, type HeaderLine, type HeadersOptions } from './headers.js';
export { bodyArbitrary, splitBytes, type BodySample, type BodyOptions } from './body.js';
export { statusArbitrary, invalidStatusArbitrary, type StatusOptions } from './status.js';
export { requestArbitrary, type RequestSample, type RequestOptions } from './request.js';
export {
  responsePlanArbitrary,
  responseHeadersArbitrary,
  responseHeaderValueArbitrary,
  type ResponsePlan,
  type BodyStyle,
  type ResponseOptions,
} from './response.js';
