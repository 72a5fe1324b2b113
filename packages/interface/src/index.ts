export type {
  App,
  Body,
  Capability,
  CgiVariables,
  Closable,
  Environ,
  ErrorStream,
  HeaderList,
  HeaderPair,
  HostInfo,
  HostVariables,
  HttpEnvironKey,
  InputStream,
  Middleware,
  ReadonlyHeaderList,
  StartResponse,
  Status,
  TsgiVariables,
  Write,
} from './types.js';
export { CAPABILITIES } from './types.js';
export { compose } from './compose.js';
export { mount, environForMount, normalizePrefix, prefixMatches, notFoundApp } from './mount.js';
export { Builder, builder } from './builder.js';
export { environFromRequest, splitAuthority, type RequestDescription } from './environ-from-request.js';
export { SourceInputStream, EMPTY_INPUT, type ByteSource, type InputStreamOptions } from './input-stream.js';
export { Exchange, type ExchangeOptions, type ResponseSink } from './exchange.js';
export {
  isValidStatus,
  isToken,
  isValidFieldValue,
  isHopByHop,
  statusCode,
  statusForbidsBody,
  parseContentLength,
} from './response-rules.js';
export {
  ProtocolError,
  RequestError,
  PayloadTooLargeError,
  IncompleteBodyError,
  InputBusyError,
  RequestAbortedError,
  describeError,
} from './errors.js';
export {
  isByteString,
  bytesFromByteString,
  byteStringFromBytes,
  byteStringFromUtf8,
  decodeByteStringUtf8,
  percentDecodeByteString,
  percentEncodePath,
} from './bytestring.js';
export {
  utf8,
  sendText,
  sendJson,
  getHeader,
  getHeaders,
  setHeader,
  withoutHeader,
  environKeyForHeader,
  requestHeader,
  readBody,
  readText,
  requestUrl,
} from './helpers.js';
export { errorStreamFrom, MemoryErrorStream } from './error-stream.js';
export { callApp, type MemoryRequest, type MemoryResponse } from './memory-host.js';
