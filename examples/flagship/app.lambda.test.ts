import { MemoryErrorStream } from '@tsgi/interface';
import {
  albEventFromRequest,
  apiGatewayV1EventFromRequest,
  apiGatewayV2EventFromRequest,
  functionUrlEventFromRequest,
  responseFromAlbResult,
  responseFromApiGatewayV1Result,
  responseFromApiGatewayV2Result,
  toLambdaHandler,
  type Context,
  type LambdaClientRequest,
  type LambdaResponse,
} from '@tsgi/adapters/lambda';
import { describe, it } from 'vitest';
import { createApp } from './app.js';
import { checkFlagship, type HostRequest, type HostResponse } from './host-checks.js';

/** The parts of a Lambda context the host reads, as the runtime passes them. */
const context = {
  functionName: 'flagship',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

/** Each event source: how the platform turns a client's request into an event, and the result back. */
const sources: Array<[string, (request: LambdaClientRequest) => unknown, (result: never) => LambdaResponse]> = [
  ['API Gateway HTTP API (v2)', (r) => apiGatewayV2EventFromRequest(r), responseFromApiGatewayV2Result],
  ['API Gateway REST API (v1)', (r) => apiGatewayV1EventFromRequest(r), responseFromApiGatewayV1Result],
  ['ALB, single-value headers', (r) => albEventFromRequest(r), responseFromAlbResult],
  ['ALB, multi-value headers', (r) => albEventFromRequest(r, { multiValue: true }), responseFromAlbResult],
  ['Lambda function URL', (r) => functionUrlEventFromRequest(r), responseFromApiGatewayV2Result],
];

describe('examples/flagship on the Lambda host (sample events)', () => {
  it.each(sources)('passes the flagship checks behind %s', async (_name, eventFrom, responseFrom) => {
    const handler = toLambdaHandler(createApp(), { errors: new MemoryErrorStream() });
    await checkFlagship(async ({ method = 'GET', target, headers = [], body }: HostRequest): Promise<HostResponse> => {
      const event = eventFrom({ method, target, headers: [['host', 'flagship.example'], ...headers], body, sourceIp: '198.51.100.20', scheme: 'https' });
      const response = responseFrom((await handler(event as never, context)) as never);
      return { status: Number(response.status.slice(0, 3)), headers: response.headers, body: response.body };
    });
  });
});
