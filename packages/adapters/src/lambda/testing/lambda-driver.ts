import { byteStringFromUtf8, percentDecodeByteString } from '@tsgi/interface';
import type { Driver, DriverExchange, RequestView, WireRequest, WireResponse } from '@tsgi/conformance';
import { albEventFromRequest } from '../alb.js';
import { responseFromAlbResult } from '../alb-result.js';
import { apiGatewayV2EventFromRequest } from '../api-gateway-v2.js';
import { responseFromApiGatewayV2Result } from '../api-gateway-v2-result.js';
import { cloudFrontEventFromRequest } from '../cloudfront.js';
import { responseFromCloudFrontResult } from '../cloudfront-result.js';
import { functionUrlEventFromRequest } from '../function-url.js';
import type { LambdaClientRequest } from '../lambda-request.js';
import type { LambdaResponse } from '../lambda-response.js';
import type { LambdaHandler } from '../to-lambda-handler.js';
import type { ALBResult, APIGatewayProxyStructuredResultV2, CloudFrontResultResponse, Context } from '../types.js';

/** The sources this driver plays, each of which hands the query over raw. */
export type DrivenSource = 'function-url' | 'api-gateway-v2' | 'alb' | 'cloudfront';

const SOURCE_IP = '198.51.100.7';

const context = { awsRequestId: 'certify', functionName: 'certify', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

interface Platform {
  event(request: LambdaClientRequest): unknown;
  /** What the event shows the function: header lines (names lower-cased), the path as the event gives it, the raw query. */
  shows(event: never): { lines: Array<[string, string]>; path: string; query: string };
  /** The source passes the path percent-decoded (HTTP API). */
  decodedPath: boolean;
  response(result: never): LambdaResponse;
}

const bytes = (value: string): string => byteStringFromUtf8(value);

type V2 = { headers: Record<string, string>; cookies?: string[]; rawPath: string; rawQueryString: string };
const v2Shows = (event: V2) => ({
  lines: [
    ...Object.entries(event.headers).map(([n, v]): [string, string] => [n, bytes(v)]),
    ...(event.cookies ?? []).map((c): [string, string] => ['cookie', bytes(c)]),
  ],
  path: bytes(event.rawPath),
  query: bytes(event.rawQueryString),
});

const PLATFORMS: Record<DrivenSource, Platform> = {
  'function-url': {
    event: functionUrlEventFromRequest,
    shows: v2Shows,
    decodedPath: false,
    response: (result: APIGatewayProxyStructuredResultV2) => responseFromApiGatewayV2Result(result),
  },
  'api-gateway-v2': {
    event: apiGatewayV2EventFromRequest,
    shows: v2Shows,
    decodedPath: true,
    response: (result: APIGatewayProxyStructuredResultV2) => responseFromApiGatewayV2Result(result),
  },
  alb: {
    event: (request) => albEventFromRequest(request, { multiValue: true }),
    // The load balancer hands over each query field as name and value: a field without `=` comes back with one.
    shows: (event: { multiValueHeaders: Record<string, string[]>; multiValueQueryStringParameters: Record<string, string[]>; path: string }) => ({
      lines: Object.entries(event.multiValueHeaders).flatMap(([n, values]) => values.map((v): [string, string] => [n, bytes(v)])),
      path: bytes(event.path),
      query: Object.entries(event.multiValueQueryStringParameters)
        .flatMap(([n, values]) => values.map((v) => `${bytes(n)}=${bytes(v)}`))
        .join('&'),
    }),
    decodedPath: false,
    response: (result: ALBResult) => responseFromAlbResult(result),
  },
  cloudfront: {
    event: (request) => cloudFrontEventFromRequest(request),
    shows: (event: { Records: Array<{ cf: { request: { headers: Record<string, Array<{ value: string }>>; uri: string; querystring: string } } }> }) => {
      const request = event.Records[0]!.cf.request;
      return {
        lines: Object.entries(request.headers).flatMap(([n, entries]) => entries.map((e): [string, string] => [n, bytes(e.value)])),
        path: bytes(request.uri),
        query: bytes(request.querystring),
      };
    },
    decodedPath: false,
    response: (result: CloudFrontResultResponse) => responseFromCloudFrontResult(result),
  },
};

/**
 * Drives the Lambda host for @tsgi/conformance's certifyServer, playing the platform's part:
 * the suite's request becomes the event the source would send (through the source's
 * `xEventFromRequest` conversion), and the result becomes the response the source would
 * send back. An invocation that fails is a response that did not complete, as a client
 * behind API Gateway sees a 502 instead of the app's answer.
 */
export class LambdaDriver implements Driver {
  readonly kind = 'lambda' as const;
  readonly label: string;
  readonly features = {
    rawTarget: false,
    rawHeaders: false,
    reasonPhrase: false,
    headerLines: false,
    incremental: false,
    disconnect: false,
    malformed: false,
    streamingRequest: false,
    commitVisible: false,
  };
  readonly #platform: Platform;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly handler: LambdaHandler,
    readonly source: DrivenSource,
  ) {
    this.label = `lambda ${source}`;
    this.#platform = PLATFORMS[source];
  }

  #client(request: WireRequest): LambdaClientRequest | undefined {
    if (request.target.charCodeAt(0) !== 47 /* / */ || request.framing === 'chunked') return undefined;
    const headers: Array<readonly [string, string]> = [['Host', 'lambda.example.com'], ...request.headers];
    if (request.framing === 'length') headers.push(['Content-Length', String(request.body.length)]);
    return { method: request.method, target: request.target, headers, body: request.framing === 'none' ? undefined : request.body, sourceIp: SOURCE_IP, scheme: 'https' };
  }

  view(request: WireRequest): RequestView | undefined {
    const client = this.#client(request);
    if (!client) return undefined;
    // The platform's view, from the event it writes: what it decodes or drops is lost for the host too.
    const shown = (this.#platform.shows as (event: unknown) => { lines: Array<[string, string]>; path: string; query: string })(this.#platform.event(client));
    return {
      method: request.method,
      requestUri: undefined,
      pathInfo: this.#platform.decodedPath ? shown.path : percentDecodeByteString(shown.path),
      queryString: shown.query,
      headers: shown.lines.map(([n, v]) => [n.toLowerCase(), v.replace(/^[ \t]+|[ \t]+$/g, '')]),
      serverName: 'lambda.example.com',
      serverPort: '443',
      protocol: 'HTTP/1.1',
      scheme: 'https',
      remoteAddress: SOURCE_IP,
    };
  }

  open(request: WireRequest): DriverExchange {
    const client = this.#client(request);
    // One invocation at a time, as in a Lambda execution environment; concurrent requests
    // would go to other environments, that is, other processes.
    const result: Promise<WireResponse> = (this.#queue = this.#queue.then(
      () => this.#invoke(client, request),
      () => this.#invoke(client, request),
    ));
    let taken = false;
    return {
      head: async () => result,
      nextChunk: async () => {
        if (taken) return null;
        taken = true;
        return (await result).body;
      },
      readAll: () => result,
      anyResponseWithin: async (ms) => Promise.race([result.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, ms, false))]),
      disconnect: () => {},
    };
  }

  /** Invokes the handler; a failed invocation rejects: the client gets no answer from the app, only the platform's error. */
  async #invoke(client: LambdaClientRequest | undefined, request: WireRequest): Promise<WireResponse> {
    if (!client) throw new Error(`the ${this.label} driver cannot send ${request.framing} ${JSON.stringify(request.target)}`);
    const answer = await (this.handler as (event: unknown, context: Context) => Promise<unknown>)(this.#platform.event(client), context);
    const response = (this.#platform.response as (result: unknown) => LambdaResponse)(answer);
    return {
      status: Number(response.status.slice(0, 3)),
      reason: response.status.slice(4),
      headers: response.headers.map(([n, v]): [string, string] => [n, v]),
      body: response.body,
      complete: true,
      interim: [],
      trailing: 0,
    };
  }

  async close(): Promise<void> {}
}
