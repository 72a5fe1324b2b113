import { percentDecode } from '../percent.js';
import { latin1 } from '../wire.js';
import type { WireRequest } from '../wire.js';

/** The event sources the suite plays. */
export type LambdaSource = 'api-gateway-v1' | 'api-gateway-v2' | 'function-url' | 'alb';

export const SOURCE_IP = '198.51.100.7';

/** The domain each source serves under; hosts tell a Function URL from an HTTP API by it. */
export const DOMAINS: Record<LambdaSource, string> = {
  'api-gateway-v1': 'abcdef1234.execute-api.us-east-1.amazonaws.com',
  'api-gateway-v2': 'abcdef1234.execute-api.us-east-1.amazonaws.com',
  'function-url': 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws',
  alb: 'tsgi-1234567890.us-east-1.elb.amazonaws.com',
};

/** Path, query and headers of a request as a platform splits them. */
export interface SplitRequest {
  path: string;
  query: string | undefined;
  /** Field lines, the driver's Host and forwarding headers first. */
  lines: Array<[string, string]>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text from UTF-8 bytes held in a ByteString; undefined when they are not UTF-8. */
export function textOfBytes(bytes: string): string | undefined {
  try {
    return utf8.decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

export function splitRequest(request: WireRequest, source: LambdaSource): SplitRequest | undefined {
  const target = request.target;
  if (!target.startsWith('/') || request.framing === 'chunked') return undefined;
  for (let i = 0; i < target.length; i++) if (target.charCodeAt(i) > 0x7e) return undefined;
  const q = target.indexOf('?');
  // The gateway or load balancer appends the client's address to X-Forwarded-For and sets
  // the forwarded scheme and port itself.
  const own = request.headers.map(([n, v]) => [n, v.replace(/^[ \t]+|[ \t]+$/g, '')] as [string, string]);
  const forwarded = own.filter(([n]) => /^x-forwarded-for$/i.test(n)).map(([, v]) => v);
  const lines: Array<[string, string]> = [
    ['Host', DOMAINS[source]],
    ['X-Forwarded-For', [...forwarded, SOURCE_IP].join(', ')],
    ['X-Forwarded-Proto', 'https'],
    ['X-Forwarded-Port', '443'],
    ...own.filter(([n]) => !/^x-forwarded-(for|proto|port)$/i.test(n)),
  ];
  if (request.framing === 'length') lines.push(['Content-Length', String(request.body.length)]);
  return { path: q === -1 ? target : target.slice(0, q), query: q === -1 ? undefined : target.slice(q + 1), lines };
}

/** Query fields as name and value, each percent-decoded to a ByteString; `+` stays as it is. */
export function queryFields(query: string | undefined): Array<[string, string]> {
  if (!query) return [];
  return query
    .split('&')
    .filter((field) => field !== '')
    .map((field) => {
      const eq = field.indexOf('=');
      return (eq === -1 ? [field, ''] : [field.slice(0, eq), field.slice(eq + 1)]) as [string, string];
    });
}

function multi(fields: Array<[string, string]>, map: (s: string) => string | undefined): Record<string, string[]> | undefined {
  const out: Record<string, string[]> = {};
  for (const [name, value] of fields) {
    const n = map(name);
    const v = map(value);
    if (n === undefined || v === undefined) return undefined;
    (out[n] ??= []).push(v);
  }
  return out;
}

function single(values: Record<string, string[]>, join?: string): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([n, vs]) => [n, join === undefined ? vs[vs.length - 1]! : vs.join(join)]));
}

function body(request: WireRequest): { body: string | null; isBase64Encoded: boolean } {
  if (request.framing === 'none') return { body: null, isBase64Encoded: false };
  return { body: Buffer.from(request.body).toString('base64'), isBase64Encoded: true };
}

function headerMap(lines: Array<[string, string]>, lower: boolean): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of lines) (out[lower ? name.toLowerCase() : name] ??= []).push(value);
  return out;
}

const decodedText = (s: string) => textOfBytes(percentDecode(s));

/** An API Gateway REST API (payload 1.0) proxy event, as the gateway writes it. */
export function apiGatewayV1Event(request: WireRequest, split: SplitRequest): Record<string, unknown> | undefined {
  const fields = multi(queryFields(split.query), decodedText);
  if (!fields) return undefined;
  const headers = headerMap(split.lines, false);
  return {
    resource: '/{proxy+}',
    path: split.path,
    httpMethod: request.method,
    headers: single(headers),
    multiValueHeaders: headers,
    queryStringParameters: Object.keys(fields).length ? single(fields) : null,
    multiValueQueryStringParameters: Object.keys(fields).length ? fields : null,
    pathParameters: { proxy: split.path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      resourceId: 'res123',
      resourcePath: '/{proxy+}',
      httpMethod: request.method,
      path: `/prod${split.path}`,
      stage: 'prod',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1_700_000_000_000,
      protocol: 'HTTP/1.1',
      domainName: DOMAINS['api-gateway-v1'],
      identity: { sourceIp: SOURCE_IP, userAgent: 'tsgi-conformance' },
    },
    ...body(request),
  };
}

/** An API Gateway HTTP API (payload 2.0) event, or a Function URL event (the same shape). */
export function apiGatewayV2Event(request: WireRequest, split: SplitRequest, source: 'api-gateway-v2' | 'function-url'): Record<string, unknown> | undefined {
  // The HTTP API hands over the path decoded; a Function URL as it was sent.
  const rawPath = source === 'api-gateway-v2' ? decodedText(split.path) : split.path;
  if (rawPath === undefined || (source === 'api-gateway-v2' && /[?#]/.test(rawPath))) return undefined;
  const cookies: string[] = [];
  const headers: Record<string, string> = {};
  for (const [name, value] of split.lines) {
    const lower = name.toLowerCase();
    if (lower === 'cookie') cookies.push(...value.split(/;\s*/).filter(Boolean));
    else headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  }
  const fields = multi(queryFields(split.query), decodedText);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: split.query ?? '',
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(fields && Object.keys(fields).length ? { queryStringParameters: single(fields, ',') } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName: DOMAINS[source],
      domainPrefix: DOMAINS[source].split('.')[0],
      http: { method: request.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: SOURCE_IP, userAgent: 'tsgi-conformance' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage: '$default',
      time: '14/Nov/2023:22:13:20 +0000',
      timeEpoch: 1_700_000_000_000,
    },
    ...body(request),
  };
}

/** An ALB event in multi-value mode: path and query as sent, header names lower-cased. */
export function albEvent(request: WireRequest, split: SplitRequest): Record<string, unknown> {
  return {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tsgi/0123456789abcdef' } },
    httpMethod: request.method,
    path: split.path,
    multiValueQueryStringParameters: multi(queryFields(split.query), (s) => s) ?? {},
    multiValueHeaders: headerMap(split.lines, true),
    ...body(request),
  };
}

