import { certifyApp, certifyServer, FetchDriver, summarizeFailures, type FetchHandlerUnderTest } from '@tsgi/conformance';
import { describe, expect, it } from 'vitest';
import { fetchHost } from './fetch-host.js';
import { fromFetchHandler } from './from-fetch-handler.js';
import { toFetchHandler } from './to-fetch-handler.js';

const quiet = { write() {}, flush() {} };

/** A fetch handler of the kind fromFetchHandler exists for: it streams, sets cookies, reads headers. */
async function echoHandler(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const headers = new Headers({ 'content-type': 'text/plain', 'x-path': url.pathname });
  headers.append('set-cookie', 'a=1; Path=/');
  headers.append('set-cookie', 'b=2; Path=/');
  if (request.method === 'POST' || request.method === 'PUT') return new Response(request.body, { status: 201, headers });
  return new Response(`${request.method} ${url.pathname}${url.search} ${request.headers.get('accept') ?? ''}\n`, { headers });
}

describe('certifyServer against the fetch host', () => {
  it('FETCH-1: toFetchHandler, driven as a runtime drives it (Node\'s Request and Response), passes the conformance suite', async () => {
    const report = await certifyServer((app) => toFetchHandler(app, { errors: quiet }), {
      kind: 'fetch',
      host: fetchHost,
      runs: 40,
      driver: (handler) => new FetchDriver(handler as FetchHandlerUnderTest),
    });
    expect(report.ok, summarizeFailures(report)).toBe(true);
  }, 120_000);

  it('FETCH-12: fromFetchHandler loses nothing a fetch runtime keeps: toFetchHandler(fromFetchHandler(toFetchHandler(app))) passes as the fetch host does', async () => {
    const report = await certifyServer((app) => toFetchHandler(fromFetchHandler(toFetchHandler(app, { errors: quiet })), { errors: quiet }), {
      kind: 'fetch',
      host: fetchHost,
      runs: 40,
      driver: (handler) => new FetchDriver(handler as FetchHandlerUnderTest),
    });
    // One loss is by design: an empty reason phrase comes back as the standard one, because
    // a fetch Response cannot tell "no phrase" from "not set" and fetch handlers rarely set it.
    const unexpected = report.violations.filter((v) => !(v.clause === 'FETCH-9' && /must be the app's ""/.test(v.message)));
    expect(unexpected.map((v) => v.message), summarizeFailures(report)).toEqual([]);
  }, 120_000);
});

describe('certifyApp against fromFetchHandler', () => {
  it('FETCH-12: a fetch handler run through fromFetchHandler is a conforming app', async () => {
    const report = await certifyApp(fromFetchHandler(echoHandler), { runs: 60 });
    expect(report.ok, summarizeFailures(report)).toBe(true);
  }, 120_000);
});
