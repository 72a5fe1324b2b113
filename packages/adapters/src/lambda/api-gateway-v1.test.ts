import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiGatewayV1EventFromRequest, requestFromApiGatewayV1Event } from './api-gateway-v1.js';
import { apiGatewayV1ResultFromResponse, responseFromApiGatewayV1Result } from './api-gateway-v1-result.js';
import { clientRequest } from './arbitraries/client-request.js';
import { lambdaResponse } from './arbitraries/lambda-response.js';
import { detectEventSource } from './detect-event-source.js';
import { LambdaEventError } from './lambda-event-error.js';
import { parametersFromQuery } from './query-string.js';
import { bytes, decodedPath, environOf, expectsBase64, grouped, lastOfEach, queryOf } from './testing/round-trip.js';
import type { APIGatewayProxyEvent } from './types.js';

describe('API Gateway REST (payload 1.0)', () => {
  it('LAMBDA-7: a request survives the trip through a REST event with multi-value maps', async () => {
    await fc.assert(
      fc.asyncProperty(clientRequest(), async (request) => {
        const event = apiGatewayV1EventFromRequest(request);
        expect(detectEventSource(event).source).toBe('api-gateway-v1');
        const { environ, body } = await environOf(requestFromApiGatewayV1Event(event));
        expect(environ.REQUEST_METHOD).toBe(request.method);
        expect(environ.PATH_INFO).toBe(decodedPath(request));
        // REST gives decoded parameters grouped by name: every value kept, in order per name.
        expect(grouped(parametersFromQuery(environ.QUERY_STRING))).toEqual(grouped(parametersFromQuery(queryOf(request))));
        expect(grouped(environ['tsgi.headers'])).toEqual(grouped(request.headers));
        expect(environ.REMOTE_ADDR).toBe(request.sourceIp);
        expect(bytes(body)).toEqual(bytes(request.body));
      }),
    );
  });

  it('LAMBDA-7: without multi-value maps, each name keeps the one value REST gives', async () => {
    await fc.assert(
      fc.asyncProperty(clientRequest(), async (request) => {
        const event = apiGatewayV1EventFromRequest(request, { multiValue: false });
        expect(event).not.toHaveProperty('multiValueHeaders');
        const { environ } = await environOf(requestFromApiGatewayV1Event(event));
        expect(grouped(parametersFromQuery(environ.QUERY_STRING))).toEqual(lastOfEach(parametersFromQuery(queryOf(request))));
        expect(grouped(environ['tsgi.headers'])).toEqual(lastOfEach(request.headers));
      }),
    );
  });

  it('LAMBDA-11: a response survives the trip through a REST result, every header pair kept', () => {
    fc.assert(
      fc.property(lambdaResponse(), (response) => {
        const result = apiGatewayV1ResultFromResponse(response);
        expect(Object.keys(result).sort()).toEqual(['body', 'isBase64Encoded', 'multiValueHeaders', 'statusCode']);
        expect(result.isBase64Encoded).toBe(expectsBase64(response));
        const back = responseFromApiGatewayV1Result(result);
        expect(back.status.slice(0, 3)).toBe(response.status.slice(0, 3));
        expect(grouped(back.headers)).toEqual(grouped(response.headers));
        expect(bytes(back.body)).toEqual(bytes(response.body));
      }),
    );
  });

  it('LAMBDA-6: a REST path is taken as the client encoded it, %2F stays apart from /', async () => {
    const event = apiGatewayV1EventFromRequest({ method: 'GET', target: '/a%2Fb/c', headers: [['host', 'h']] });
    const request = requestFromApiGatewayV1Event(event);
    expect(request.target).toBe('/a%2Fb/c');
  });

  it('HOST-6: a malformed REST event is a LambdaEventError naming the field', () => {
    const event = apiGatewayV1EventFromRequest({ method: 'GET', target: '/', headers: [] }) as unknown as Record<string, unknown>;
    for (const [field, value] of [
      ['httpMethod', 7],
      ['path', null],
      ['multiValueHeaders', 'x'],
      ['queryStringParameters', ['a']],
      ['body', 12],
    ] as const) {
      const broken = { ...event, [field]: value, isBase64Encoded: false };
      expect(() => requestFromApiGatewayV1Event(broken as unknown as APIGatewayProxyEvent), field).toThrow(LambdaEventError);
      try {
        requestFromApiGatewayV1Event(broken as unknown as APIGatewayProxyEvent);
      } catch (error) {
        expect((error as LambdaEventError).message).toContain(field);
        expect((error as LambdaEventError).status).toBe(400);
      }
    }
  });

  it('LAMBDA-4: a body marked base64 that is not base64 is refused, never decoded loosely', () => {
    const event = { ...apiGatewayV1EventFromRequest({ method: 'POST', target: '/', headers: [] }), body: 'not base64!', isBase64Encoded: true };
    expect(() => requestFromApiGatewayV1Event(event)).toThrow(/\[LAMBDA-1\] api-gateway-v1 event field body must be base64/);
  });
});
