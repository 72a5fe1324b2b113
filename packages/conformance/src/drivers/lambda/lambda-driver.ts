import type { Driver, DriverExchange, RequestView } from '../driver.js';
import { percentDecode } from '../percent.js';
import { bytesOf, type WireRequest, type WireResponse } from '../wire.js';
import { albEvent, apiGatewayV1Event, apiGatewayV2Event, DOMAINS, queryFields, splitRequest, type LambdaSource } from './events.js';

/** What a Lambda host is: `(event, context) => Promise<result>`. */
export type LambdaHandlerUnderTest = (event: unknown, context: unknown) => unknown;

const encoder = new TextEncoder();

/** The UTF-8 bytes of event text as a ByteString (LAMBDA-3). */
function byteString(text: string): string {
  return String.fromCharCode(...encoder.encode(text));
}

const CONTEXT = Object.freeze({
  functionName: 'tsgi-conformance',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:tsgi-conformance',
  memoryLimitInMB: '128',
  awsRequestId: '8476a536-e9f4-11e8-9739-2dfe598c3fcd',
  logGroupName: '/aws/lambda/tsgi-conformance',
  logStreamName: '2023/11/14/[$LATEST]abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done() {},
  fail() {},
  succeed() {},
});

/**
 * Drives a Lambda host with the events the platform would send: API Gateway REST (v1),
 * HTTP API (v2), Function URL or ALB (multi-value), written by the suite itself from the
 * platforms' documented formats. Invocations run one at a time, as in one execution
 * environment; the result becomes the response the source would send on.
 */
export class LambdaDriver implements Driver {
  readonly kind = 'lambda' as const;
  readonly label: string;
  readonly features;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly handler: LambdaHandlerUnderTest,
    readonly source: LambdaSource = 'api-gateway-v2',
  ) {
    this.label = `lambda ${source}`;
    this.features = {
      rawTarget: false,
      rawHeaders: false,
      reasonPhrase: source === 'alb',
      headerLines: false,
      incremental: false,
      disconnect: false,
      malformed: false,
      streamingRequest: false,
      commitVisible: false,
      framing: true,
    };
  }

  #event(request: WireRequest): Record<string, unknown> | undefined {
    const split = splitRequest(request, this.source);
    if (!split) return undefined;
    if (this.source === 'api-gateway-v1') return apiGatewayV1Event(request, split);
    if (this.source === 'alb') return albEvent(request, split);
    return apiGatewayV2Event(request, split, this.source);
  }

  view(request: WireRequest): RequestView | undefined {
    const event = this.#event(request);
    const split = splitRequest(request, this.source);
    if (!event || !split) return undefined;
    let lines: Array<[string, string]>;
    let pathInfo: string;
    let queryString: string;
    if (this.source === 'api-gateway-v2' || this.source === 'function-url') {
      const headers = event.headers as Record<string, string>;
      lines = Object.entries(headers).map(([n, v]) => [n, byteString(v)]);
      // Each element of `cookies` is a field value to the host: leading and trailing blanks go (ENV-22).
      for (const cookie of (event.cookies as string[] | undefined) ?? []) lines.push(['cookie', byteString(cookie).replace(/^[ \t]+|[ \t]+$/g, '')]);
      pathInfo = this.source === 'api-gateway-v2' ? byteString(event.rawPath as string) : percentDecode(split.path);
      queryString = split.query ?? '';
    } else {
      const headers = (this.source === 'alb' ? event.multiValueHeaders : event.multiValueHeaders) as Record<string, string[]>;
      lines = Object.entries(headers).flatMap(([n, vs]) => vs.map((v): [string, string] => [n.toLowerCase(), byteString(v)]));
      pathInfo = percentDecode(split.path);
      // Rebuilt from parameter maps: compared field by field, decoded (LAMBDA-7).
      queryString = queryFields(split.query).map(([n, v]) => `${n}=${v}`).join('&');
    }
    return {
      method: request.method,
      requestUri: undefined,
      pathInfo,
      queryString,
      queryMatch: this.source === 'api-gateway-v1' || this.source === 'alb' ? 'fields' : 'exact',
      headers: lines.map(([n, v]) => [n.toLowerCase(), v]),
      serverName: DOMAINS[this.source],
      serverPort: '443',
      protocol: undefined,
      scheme: 'https',
      remoteAddress: undefined,
    };
  }

  open(request: WireRequest): DriverExchange {
    const event = this.#event(request);
    const invoke = async (): Promise<WireResponse> => {
      if (!event) throw new Error(`the ${this.label} driver cannot send ${JSON.stringify(request.target)}`);
      return this.#response(await this.handler(event, CONTEXT));
    };
    const result = (this.#queue = this.#queue.then(invoke, invoke));
    result.catch(() => {});
    let taken = false;
    return {
      head: async () => result,
      nextChunk: async () => {
        if (taken) return null;
        taken = true;
        return (await result).body;
      },
      readAll: () => result,
      anyResponseWithin: (ms) => Promise.race([result.then(() => true, () => true), new Promise<boolean>((resolve) => setTimeout(resolve, ms, false))]),
      disconnect: () => {},
    };
  }

  #response(raw: unknown): WireResponse {
    const result = (typeof raw === 'string' ? { statusCode: 200, body: raw } : raw) as {
      statusCode?: number;
      statusDescription?: string;
      headers?: Record<string, string | number | boolean>;
      multiValueHeaders?: Record<string, Array<string | number | boolean>>;
      cookies?: string[];
      body?: string;
      isBase64Encoded?: boolean;
    };
    if (!result || typeof result.statusCode !== 'number') throw new Error(`the Lambda result has no statusCode: ${JSON.stringify(raw)?.slice(0, 80)}`);
    const headers: Array<[string, string]> = [];
    if (result.multiValueHeaders) {
      for (const [n, vs] of Object.entries(result.multiValueHeaders)) for (const v of vs) headers.push([n, String(v)]);
    }
    if (result.headers) {
      for (const [n, v] of Object.entries(result.headers)) if (!headers.some(([name]) => name.toLowerCase() === n.toLowerCase())) headers.push([n, String(v)]);
    }
    for (const cookie of result.cookies ?? []) headers.push(['set-cookie', cookie]);
    const text = result.body ?? '';
    const body = result.isBase64Encoded ? new Uint8Array(Buffer.from(text, 'base64')) : encoder.encode(text);
    const description = result.statusDescription ?? '';
    return {
      status: result.statusCode,
      reason: description.replace(/^\d{3} ?/, ''),
      headers: headers.map(([n, v]) => [n, latin1Of(v)]),
      body,
      complete: true,
      interim: [],
      trailing: 0,
    };
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => {});
  }
}

/** Header values in results are text; on the wire they are their UTF-8 bytes. */
function latin1Of(text: string): string {
  return byteString(text);
}

