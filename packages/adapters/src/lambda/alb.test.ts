import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { albEventFromRequest, requestFromAlbEvent } from './alb.js';
import { albResultFromResponse, responseFromAlbResult } from './alb-result.js';
import { clientRequest } from './arbitraries/client-request.js';
import { lambdaResponse } from './arbitraries/lambda-response.js';
import { detectEventSource } from './detect-event-source.js';
import { rawParametersFromQuery } from './query-string.js';
import { bytes, decodedPath, environOf, expectsBase64, grouped, joinedEach, lastOfEach, queryOf, splitCookies } from './testing/round-trip.js';

const forwarded = (name: string): boolean => name.startsWith('x-forwarded-');

describe('ALB', () => {
  it('LAMBDA-9: a request survives the trip through a multi-value ALB event, repeats kept', async () => {
    await fc.assert(
      fc.asyncProperty(clientRequest(), async (request) => {
        const event = albEventFromRequest(request, { multiValue: true });
        expect(detectEventSource(event).source).toBe('alb');
        const { environ, body } = await environOf(requestFromAlbEvent(event));
        expect(environ.REQUEST_METHOD).toBe(request.method);
        expect(environ.PATH_INFO).toBe(decodedPath(request));
        // ALB passes parameters still encoded: each field comes back as sent, grouped by name.
        expect(grouped(rawParametersFromQuery(environ.QUERY_STRING))).toEqual(grouped(rawParametersFromQuery(queryOf(request))));
        expect(grouped(environ['tsgi.headers'].filter(([n]) => !forwarded(n)))).toEqual(grouped(request.headers));
        expect(environ.REMOTE_ADDR).toBe(request.sourceIp);
        expect(bytes(body)).toEqual(bytes(request.body));
      }),
    );
  });

  it('LAMBDA-9: in single-value mode each name keeps the last value the load balancer gives', async () => {
    await fc.assert(
      fc.asyncProperty(clientRequest(), async (request) => {
        const { environ } = await environOf(requestFromAlbEvent(albEventFromRequest(request)));
        expect(grouped(rawParametersFromQuery(environ.QUERY_STRING))).toEqual(lastOfEach(rawParametersFromQuery(queryOf(request))));
        expect(grouped(environ['tsgi.headers'].filter(([n]) => !forwarded(n)))).toEqual(lastOfEach(request.headers));
        expect(environ.REMOTE_ADDR).toBe(request.sourceIp);
      }),
    );
  });

  it('LAMBDA-9: REMOTE_ADDR is the right-most X-Forwarded-For entry, the one the load balancer appended', async () => {
    const event = albEventFromRequest({ method: 'GET', target: '/', headers: [['X-Forwarded-For', '6.6.6.6']], sourceIp: '203.0.113.9' }, { multiValue: true });
    const { environ } = await environOf(requestFromAlbEvent(event));
    expect(environ.HTTP_X_FORWARDED_FOR).toBe('6.6.6.6, 203.0.113.9');
    expect(environ.REMOTE_ADDR).toBe('203.0.113.9');
  });

  it('LAMBDA-13: a multi-value event gets a multi-value result; every pair survives', () => {
    fc.assert(
      fc.property(lambdaResponse(), (response) => {
        const result = albResultFromResponse(response, true);
        expect(Object.keys(result).sort()).toEqual(['body', 'isBase64Encoded', 'multiValueHeaders', 'statusCode', 'statusDescription']);
        expect(result.isBase64Encoded).toBe(expectsBase64(response));
        const back = responseFromAlbResult(result);
        expect(back.status).toBe(response.status);
        expect(grouped(back.headers)).toEqual(grouped(response.headers));
        expect(bytes(back.body)).toEqual(bytes(response.body));
      }),
    );
  });

  it('LAMBDA-14: a single-value result joins repeats and keeps every Set-Cookie under its own spelling', () => {
    fc.assert(
      fc.property(lambdaResponse(), (response) => {
        const result = albResultFromResponse(response, false);
        expect(Object.keys(result).sort()).toEqual(['body', 'headers', 'isBase64Encoded', 'statusCode', 'statusDescription']);
        const back = responseFromAlbResult(result);
        const expected = splitCookies(response.headers);
        const got = splitCookies(back.headers);
        expect(got.cookies).toEqual(expected.cookies);
        expect(grouped(got.others)).toEqual(joinedEach(expected.others, ', '));
        expect(back.status).toBe(response.status);
      }),
    );
  });

  it("LAMBDA-14: with setCookie 'first' or 'last' one Set-Cookie is kept and the drop is reported", () => {
    const response = { status: '200 OK' as const, headers: [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']] as Array<[string, string]>, body: new Uint8Array() };
    const warnings: string[] = [];
    const first = albResultFromResponse(response, false, { setCookie: 'first', warn: (m) => warnings.push(m) });
    const last = albResultFromResponse(response, false, { setCookie: 'last', warn: (m) => warnings.push(m) });
    expect(first.headers).toEqual({ 'Set-Cookie': 'a=1' });
    expect(last.headers).toEqual({ 'Set-Cookie': 'b=2' });
    expect(warnings.filter((m) => m.startsWith('[LAMBDA-14]'))).toHaveLength(2);
  });

  it('LAMBDA-16: statusDescription is the code and the app reason phrase', () => {
    const result = albResultFromResponse({ status: '418 I Am A Teapot', headers: [], body: new Uint8Array() }, true);
    expect(result.statusDescription).toBe('418 I Am A Teapot');
  });
});
