import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientRequest } from './arbitraries/client-request.js';
import { lambdaResponse } from './arbitraries/lambda-response.js';
import { detectEventSource } from './detect-event-source.js';
import { parametersFromQuery } from './query-string.js';
import { bytes, decodedPath, environOf, grouped, joinedEach, lastOfEach, queryOf, splitCookies } from './testing/round-trip.js';
import { requestFromVpcLatticeV1Event, vpcLatticeV1EventFromRequest } from './vpc-lattice-v1.js';
import { requestFromVpcLatticeV2Event, vpcLatticeV2EventFromRequest } from './vpc-lattice-v2.js';
import { responseFromVpcLatticeResult, vpcLatticeResultFromResponse } from './vpc-lattice-result.js';
import type { VpcLatticeEventV1 } from './types.js';

const notForwarded = ([name]: readonly [string, string]): boolean => name !== 'x-forwarded-for';

describe('VPC Lattice', () => {
  it('LAMBDA-7: a request survives the trip through a V2 event, list values kept', async () => {
    await fc.assert(
      fc.asyncProperty(clientRequest(), async (request) => {
        const event = vpcLatticeV2EventFromRequest(request);
        expect(detectEventSource(event).source).toBe('vpc-lattice-v2');
        const { environ, body } = await environOf(requestFromVpcLatticeV2Event(event));
        expect(environ.REQUEST_METHOD).toBe(request.method);
        expect(environ.PATH_INFO).toBe(decodedPath(request));
        expect(grouped(parametersFromQuery(environ.QUERY_STRING))).toEqual(grouped(parametersFromQuery(queryOf(request))));
        expect(grouped(environ['tsgi.headers'].filter(notForwarded))).toEqual(grouped(request.headers.filter(notForwarded)));
        expect(environ.REMOTE_ADDR).toBe(request.sourceIp);
        expect(bytes(body)).toEqual(bytes(request.body));
      }),
    );
  });

  it('LAMBDA-7: a request survives the trip through a V1 event, repeats joined as V1 joins them', async () => {
    await fc.assert(
      fc.asyncProperty(clientRequest(), async (request) => {
        const event = vpcLatticeV1EventFromRequest(request);
        expect(detectEventSource(event).source).toBe('vpc-lattice-v1');
        const { environ, body } = await environOf(requestFromVpcLatticeV1Event(event));
        expect(environ.PATH_INFO).toBe(decodedPath(request));
        expect(grouped(parametersFromQuery(environ.QUERY_STRING))).toEqual(lastOfEach(parametersFromQuery(queryOf(request))));
        expect(grouped(environ['tsgi.headers'].filter(notForwarded))).toEqual(joinedEach(request.headers.filter(notForwarded), ', '));
        expect(bytes(body)).toEqual(bytes(request.body));
      }),
    );
  });

  it('LAMBDA-7: a query inside the path is taken raw, the parameter map is not added to it', () => {
    const event: VpcLatticeEventV1 = { raw_path: '/p?a=%20&b', method: 'GET', headers: {}, query_string_parameters: { a: ' ', b: '' } };
    expect(requestFromVpcLatticeV1Event(event).target).toBe('/p?a=%20&b');
  });

  it('LAMBDA-14: a response survives the trip through a Lattice result, every Set-Cookie kept', () => {
    fc.assert(
      fc.property(lambdaResponse(), (response) => {
        const result = vpcLatticeResultFromResponse(response);
        expect(Object.keys(result).sort()).toEqual(['body', 'headers', 'isBase64Encoded', 'statusCode', 'statusDescription']);
        const back = responseFromVpcLatticeResult(result);
        expect(back.status).toBe(response.status);
        expect(splitCookies(back.headers).cookies).toEqual(splitCookies(response.headers).cookies);
        expect(grouped(splitCookies(back.headers).others)).toEqual(joinedEach(splitCookies(response.headers).others, ', '));
        expect(bytes(back.body)).toEqual(bytes(response.body));
      }),
    );
  });
});
