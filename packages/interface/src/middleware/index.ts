// `@tsgi/interface/middleware`: the standard middleware. Each is `(options) => Middleware`,
// runs on every host (platform APIs only), and keeps the tsgi rules in both directions.
// Static files, which need node:fs, live in `@tsgi/interface/static`.
export { proxyHeaders, environBehindProxy, applyProxyView, PROXY_ORIGINAL_KEY, type ProxyHeadersOptions, type ProxyOriginal } from './proxy-headers.js';
export { resolveProxyHeaders, compileProxyTrust, parseNode, type ProxyTrustOptions, type ProxyView, type HeaderLookup } from './resolve-proxy-headers.js';
export { addressMatcher, type AddressPattern } from './address-matcher.js';
export { parseIp, formatIp, unmapIpv4 } from './ip-address.js';
export { parseForwarded, formatForwarded, type ForwardedElement } from './forwarded.js';
export { compression, isCompressible, type CompressionOptions } from './compression.js';
export { availableCodings, createCompressor, compressorFlushes, type Coding, type Compressor, type CompressorOptions } from './compressor.js';
export { preferredEncoding } from './accept-encoding.js';
export { preferredMediaType } from './media-type.js';
export { parseQualityList, formatQualityList, type QualityEntry } from './quality-list.js';
export { conditionalGet, etagOf, type ConditionalGetOptions } from './conditional-get.js';
export { evaluatePreconditions, hasPreconditions, notModifiedHeaders, type Validators } from './preconditions.js';
export { parseEntityTags, formatEntityTags, isEntityTag, weakMatch, strongMatch } from './entity-tag.js';
export { parseHttpDate, formatHttpDate } from './http-date.js';
export { cors, type CorsOptions } from './cors.js';
export { errorPages, renderErrorPage, statusForError, type ErrorPagesOptions, type ErrorPage } from './error-pages.js';
export { catchErrors, type ErrorHandler, type Replacement } from './catch-errors.js';
export { accessLog, type AccessLogOptions } from './access-log.js';
export {
  compileAccessLogFormat,
  formatAccessLog,
  formatLogTime,
  escapeLogText,
  COMMON_LOG_FORMAT,
  COMBINED_LOG_FORMAT,
  type AccessLogRecord,
} from './access-log-format.js';
export { bodyLimit, LimitedInput, type BodyLimitOptions } from './body-limit.js';
export { requestTimeout, RequestTimeoutError, type RequestTimeoutOptions } from './request-timeout.js';
export { urlMap, requestHost, type UrlMapKey } from './url-map.js';
export { observeBody, type BodyObserver } from './observe-body.js';
export { releaseBody } from './release-body.js';
export { appendVary } from './vary.js';
