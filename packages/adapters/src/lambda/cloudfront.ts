import { eventBody, eventText } from './event-building.js';
import { bodyFromEvent, eventByteString, fieldError, isRecord, lastHeader, requireString } from './event-fields.js';
import { joinTarget, splitTarget, type LambdaClientRequest, type LambdaRequest, type RequestConversionOptions } from './lambda-request.js';
import type { CloudFrontRequestEvent } from './types.js';

const SOURCE = 'cloudfront';

/** The record of a CloudFront event that holds the request, checked. */
export function cloudFrontRecord(event: CloudFrontRequestEvent): { config: Record<string, unknown>; request: Record<string, unknown> } {
  if (!isRecord(event)) throw fieldError(SOURCE, '(event)', 'an object', event);
  const records = event.Records;
  if (!Array.isArray(records) || records.length !== 1) throw fieldError(SOURCE, 'Records', 'a list of one record', records);
  const cf = isRecord(records[0]) ? records[0].cf : undefined;
  if (!isRecord(cf)) throw fieldError(SOURCE, 'Records[0].cf', 'an object', cf);
  if (!isRecord(cf.request)) throw fieldError(SOURCE, 'Records[0].cf.request', 'an object', cf.request);
  return { config: isRecord(cf.config) ? cf.config : {}, request: cf.request };
}

/**
 * The request of a CloudFront (Lambda@Edge) viewer-request or origin-request event: the
 * `uri` as the client encoded it, the raw `querystring`, headers as lists of `{ key,
 * value }` (so repeated headers are kept), `clientIp`, and the body when the trigger was
 * set to include it. A body CloudFront cut short (`inputTruncated`) makes `tsgi.input`
 * fail after the bytes it has (LAMBDA-5).
 */
export function requestFromCloudFrontEvent(event: CloudFrontRequestEvent, options: RequestConversionOptions = {}): LambdaRequest {
  const { config, request } = cloudFrontRecord(event);
  const path = 'Records[0].cf.request';
  const method = eventByteString(requireString(request.method, SOURCE, `${path}.method`));
  const uri = eventByteString(requireString(request.uri, SOURCE, `${path}.uri`));
  const query = request.querystring ?? '';
  if (typeof query !== 'string') throw fieldError(SOURCE, `${path}.querystring`, 'a string', query);
  const rawHeaders: string[] = [];
  const headers = request.headers ?? {};
  if (!isRecord(headers)) throw fieldError(SOURCE, `${path}.headers`, 'an object', headers);
  for (const lower in headers) {
    const entries = headers[lower];
    if (!Array.isArray(entries)) throw fieldError(SOURCE, `${path}.headers.${lower}`, 'a list of { key, value }', entries);
    for (const entry of entries) {
      if (!isRecord(entry) || typeof entry.value !== 'string') throw fieldError(SOURCE, `${path}.headers.${lower}`, 'a list of { key, value }', entries);
      const key = typeof entry.key === 'string' && entry.key.toLowerCase() === lower ? entry.key : lower;
      rawHeaders.push(eventByteString(key), eventByteString(entry.value));
    }
  }
  let body: Uint8Array | undefined;
  // Without "include body" on the trigger CloudFront sends no body at all: a request that
  // declares one then has its whole body cut, and reading it fails (LAMBDA-5).
  let truncated = Number(lastHeader(rawHeaders, 'content-length') ?? 0) > 0;
  const bodyField = request.body;
  if (bodyField !== undefined && bodyField !== null) {
    if (!isRecord(bodyField)) throw fieldError(SOURCE, `${path}.body`, 'an object', bodyField);
    body = bodyFromEvent(bodyField.data, bodyField.encoding === 'base64', SOURCE, `${path}.body.data`);
    truncated = bodyField.inputTruncated === true;
  }
  // CloudFront-Forwarded-Proto reaches origin requests when the cache policy forwards it.
  const proto = lastHeader(rawHeaders, 'cloudfront-forwarded-proto')?.trim().toLowerCase();
  const clientIp = request.clientIp;
  const domain = config.distributionDomainName;
  return {
    method,
    target: joinTarget(uri, eventByteString(query)),
    scriptName: options.scriptName === 'stage' ? '' : (options.scriptName ?? ''),
    rawHeaders,
    protocol: 'HTTP/1.1',
    scheme: proto === 'http' ? 'http' : 'https',
    serverName: typeof domain === 'string' && domain !== '' ? domain : 'localhost',
    serverPort: proto === 'http' ? '80' : '443',
    remoteAddress: typeof clientIp === 'string' && clientIp !== '' ? clientIp : undefined,
    body,
    bodyTruncated: truncated,
  };
}

/**
 * The CloudFront event for a client's request at the viewer-request (default) or
 * origin-request trigger, with the body included: header names lower-cased as keys, each
 * field as `{ key, value }` with the name as sent. The inverse of `requestFromCloudFrontEvent`.
 */
export function cloudFrontEventFromRequest(
  request: LambdaClientRequest,
  options: { eventType?: 'viewer-request' | 'origin-request' } = {},
): CloudFrontRequestEvent {
  const [path, query] = splitTarget(request.target);
  const headers: Record<string, Array<{ key: string; value: string }>> = {};
  for (const [name, value] of request.headers) (headers[name.toLowerCase()] ??= []).push({ key: name, value: eventText(value) });
  const { body, isBase64Encoded } = eventBody(request.body);
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: 'd111111abcdef8.cloudfront.net',
            distributionId: 'EDFDVBD6EXAMPLE',
            eventType: options.eventType ?? 'viewer-request',
            requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
          },
          request: {
            clientIp: request.sourceIp ?? '203.0.113.178',
            headers,
            method: request.method,
            querystring: eventText(query),
            uri: eventText(path),
            body: { action: 'read-only', data: body ?? '', encoding: isBase64Encoded ? 'base64' : 'text', inputTruncated: false },
          },
        },
      },
    ],
  };
}
