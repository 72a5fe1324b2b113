import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiGatewayV2EventFromRequest, requestFromApiGatewayV2Event } from './api-gateway-v2.js';
import { apiGatewayV2ResultFromResponse, responseFromApiGatewayV2Result } from './api-gateway-v2-result.js';
import { clientRequest } from './arbitraries/client-request.js';
import { lambdaResponse } from './arbitraries/lambda-response.js';
import { detectEventSource } from './detect-event-source.js';
import { functionUrlEventFromRequest, requestFromFunctionUrlEvent } from './function-url.js';
import type { LambdaClientRequest } from './lambda-request.js';
import { bytes, decodedPath, environOf, expectsBase64, grouped, joinedEach, queryOf, splitCookies } from './testing/round-trip.js';

/** What a payload 2.0 event keeps of a client's headers: cookies one by one, other repeats joined with `,`. */
function expectedV2Headers(request: LambdaClientRequest): { headers: Record<string, string[]>; cookies: string[] } {
  const cookies: string[] = [];
  const others: Array<[string, string]> = [];
  for (const [name, value] of request.headers) {
    if (name.toLowerCase() === 'cookie') cookies.push(...value.split(';').map((c) => c.trim()).filter((c) => c !== ''));
    else others.push([name, value]);
  }
  return { headers: joinedEach(others, ','), cookies };
}

for (const [name, toEvent, fromEvent] of [
  ['HTTP API (payload 2.0)', apiGatewayV2EventFromRequest, requestFromApiGatewayV2Event],
  ['Function URL', functionUrlEventFromRequest, requestFromFunctionUrlEvent],
] as const) {
  describe(name, () => {
    it(`LAMBDA-8: a request survives the trip through a ${name} event, cookies included`, async () => {
      await fc.assert(
        fc.asyncProperty(clientRequest(), async (request) => {
          const event = toEvent(request);
          expect(detectEventSource(event).source).toBe(name === 'Function URL' ? 'function-url' : 'api-gateway-v2');
          const { environ, body } = await environOf(fromEvent(event));
          expect(environ.REQUEST_METHOD).toBe(request.method);
          expect(environ.PATH_INFO).toBe(decodedPath(request));
          expect(environ.QUERY_STRING).toBe(queryOf(request));
          const { headers, cookies } = expectedV2Headers(request);
          const seen = environ['tsgi.headers'].filter(([n]) => n !== 'cookie');
          expect(grouped(seen)).toEqual(headers);
          expect(environ['tsgi.headers'].filter(([n]) => n === 'cookie').map(([, v]) => v)).toEqual(cookies);
          expect(environ.HTTP_COOKIE).toBe(cookies.length === 0 ? undefined : cookies.join('; '));
          expect(environ.REMOTE_ADDR).toBe(request.sourceIp);
          expect(bytes(body)).toEqual(bytes(request.body));
        }),
      );
    });
  });
}

describe('payload 2.0 paths', () => {
  it('LAMBDA-6: an HTTP API rawPath is decoded already, so it is encoded again and never decoded twice', () => {
    const event = apiGatewayV2EventFromRequest({ method: 'GET', target: '/100%25/a%20b', headers: [] });
    expect(event.rawPath).toBe('/100%/a b');
    expect(requestFromApiGatewayV2Event(event).target).toBe('/100%25/a%20b');
  });

  it('LAMBDA-6: a Function URL rawPath is taken as the client encoded it', () => {
    const event = functionUrlEventFromRequest({ method: 'GET', target: '/a%2Fb', headers: [] });
    expect(requestFromFunctionUrlEvent(event).target).toBe('/a%2Fb');
  });

  it('LAMBDA-3: characters beyond ASCII in an event become their UTF-8 bytes', () => {
    const event = apiGatewayV2EventFromRequest({ method: 'GET', target: '/', headers: [['x-name', 'Jos\xC3\xA9']] });
    expect(event.headers['x-name']).toBe('Jos\u00e9');
    expect(requestFromApiGatewayV2Event(event).rawHeaders).toContain('Jos\xC3\xA9');
  });
});

describe('payload 2.0 results', () => {
  it('LAMBDA-12: a response survives the trip through a payload 2.0 result, each Set-Cookie in cookies', () => {
    fc.assert(
      fc.property(lambdaResponse(), (response) => {
        const result = apiGatewayV2ResultFromResponse(response);
        const { others, cookies } = splitCookies(response.headers);
        expect(Object.keys(result).sort()).toEqual(
          cookies.length > 0 ? ['body', 'cookies', 'headers', 'isBase64Encoded', 'statusCode'] : ['body', 'headers', 'isBase64Encoded', 'statusCode'],
        );
        expect(result.isBase64Encoded).toBe(expectsBase64(response));
        const back = responseFromApiGatewayV2Result(result);
        expect(back.status.slice(0, 3)).toBe(response.status.slice(0, 3));
        const split = splitCookies(back.headers);
        expect(split.cookies).toEqual(cookies);
        expect(grouped(split.others)).toEqual(joinedEach(others, ', '));
        expect(bytes(back.body)).toEqual(bytes(response.body));
      }),
    );
  });
});
