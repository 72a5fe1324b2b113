import fc from 'fast-check';
import { IncompleteBodyError, readBody } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { clientRequest } from './arbitraries/client-request.js';
import { lambdaResponse } from './arbitraries/lambda-response.js';
import { cloudFrontEventFromRequest, requestFromCloudFrontEvent } from './cloudfront.js';
import { cloudFrontResultFromResponse, responseFromCloudFrontResult } from './cloudfront-result.js';
import { detectEventSource } from './detect-event-source.js';
import { bytes, decodedPath, environOf, expectsBase64, grouped, queryOf } from './testing/round-trip.js';
import { InvocationWork, environForInvocation } from './invocation.js';
import { testContext } from './testing/round-trip.js';

const withoutLength = (headers: ReadonlyArray<readonly [string, string]>) => headers.filter(([name]) => name.toLowerCase() !== 'content-length');

describe('CloudFront / Lambda@Edge', () => {
  it('LAMBDA-9: a request survives the trip through a viewer-request event, every field kept', async () => {
    await fc.assert(
      fc.asyncProperty(clientRequest(), fc.constantFrom('viewer-request' as const, 'origin-request' as const), async (request, eventType) => {
        const event = cloudFrontEventFromRequest(request, { eventType });
        expect(detectEventSource(event).source).toBe('cloudfront');
        const { environ, body } = await environOf(requestFromCloudFrontEvent(event));
        expect(environ.REQUEST_METHOD).toBe(request.method);
        expect(environ.PATH_INFO).toBe(decodedPath(request));
        expect(environ.QUERY_STRING).toBe(queryOf(request));
        expect(grouped(environ['tsgi.headers'])).toEqual(grouped(request.headers));
        expect(environ.REMOTE_ADDR).toBe(request.sourceIp);
        expect(bytes(body)).toEqual(bytes(request.body));
      }),
    );
  });

  it('LAMBDA-5: a body CloudFront cut short fails with TSGI_INPUT_TRUNCATED after the bytes it has', async () => {
    const event = cloudFrontEventFromRequest({ method: 'POST', target: '/', headers: [], body: new TextEncoder().encode('first part') });
    (event.Records[0]!.cf.request.body as { inputTruncated: boolean }).inputTruncated = true;
    const quiet = { write() {}, flush() {} };
    const environ = environForInvocation(requestFromCloudFrontEvent(event), event, testContext, { signal: new AbortController().signal }, new InvocationWork(quiet), { errors: quiet, maxBodySize: undefined, multithread: false });
    const input = environ['tsgi.input'];
    expect(new TextDecoder().decode(await input.read())).toBe('first part');
    const failure = await input.read().then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(IncompleteBodyError);
    expect((failure as IncompleteBodyError).code).toBe('TSGI_INPUT_TRUNCATED');
    await expect(readBody(environ)).rejects.toBeInstanceOf(IncompleteBodyError);
  });

  it('LAMBDA-16: a response survives the trip through a generated response, every pair kept', () => {
    fc.assert(
      fc.property(lambdaResponse(), (response) => {
        const result = cloudFrontResultFromResponse(response);
        expect(Object.keys(result).sort()).toEqual(['body', 'bodyEncoding', 'headers', 'status', 'statusDescription']);
        expect(result.bodyEncoding).toBe(expectsBase64(response) ? 'base64' : 'text');
        const back = responseFromCloudFrontResult(result);
        expect(back.status).toBe(response.status);
        expect(grouped(back.headers)).toEqual(grouped(withoutLength(response.headers)));
        expect(bytes(back.body)).toEqual(bytes(response.body));
      }),
      // An empty reason phrase stays empty, never replaced by the standard one.
      { examples: [[{ status: '200 ', headers: [], body: new Uint8Array() }]] },
    );
  });

  it('LAMBDA-17: headers Lambda@Edge forbids are dropped and reported', () => {
    const warnings: string[] = [];
    const result = cloudFrontResultFromResponse(
      {
        status: '200 OK',
        headers: [
          ['X-Cache', 'HIT'],
          ['X-Amz-Cf-Pop', 'IAD'],
          ['Via', '1.1 proxy'],
          ['X-Edge-Location', 'x'],
          ['Content-Length', '0'],
          ['X-Kept', 'yes'],
        ],
        body: new Uint8Array(),
      },
      { warn: (message) => warnings.push(message) },
    );
    expect(Object.keys(result.headers!)).toEqual(['x-kept']);
    expect(warnings.filter((m) => m.startsWith('[LAMBDA-17]'))).toHaveLength(4);
  });
});
