import { fetchHost, fromFetchHandler, toFetchHandler } from '@tsgi/adapters/fetch';
import { certifyApp, certifyServer, FetchDriver, summarizeFailures, type FetchHandlerUnderTest } from '@tsgi/conformance';
import type { App } from '@tsgi/interface';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { app } from '../src/hono-on-tsgi.js';

const quiet = { write() {}, flush() {} };

/** A Hono app that hands every request, as it is, to the given tsgi app. */
function honoAround(inner: App): Hono {
  const handler = toFetchHandler(inner, { errors: quiet });
  const hono = new Hono();
  hono.all('*', (c) => handler(c.req.raw));
  return hono;
}

describe('examples/hono under the conformance suite', () => {
  it('FETCH-12: the Hono app, as a tsgi app through fromFetchHandler, is a conforming app', async () => {
    const report = await certifyApp(app, { runs: 60 });
    expect(report.ok, summarizeFailures(report)).toBe(true);
  }, 120_000);

  it('FETCH-12: a Hono app run through fromFetchHandler loses nothing a fetch runtime keeps', async () => {
    // The probe app sits inside Hono, and Hono inside fromFetchHandler, served by the fetch
    // host: every check the fetch host passes must still pass with Hono and the bridge between.
    const report = await certifyServer((probe) => toFetchHandler(fromFetchHandler(honoAround(probe).fetch), { errors: quiet }), {
      kind: 'fetch',
      host: fetchHost,
      runs: 40,
      driver: (handler) => new FetchDriver(handler as FetchHandlerUnderTest),
    });
    // By design, an empty reason phrase comes back as the standard one (see the adapters README).
    const unexpected = report.violations.filter((v) => !(v.clause === 'FETCH-9' && /must be the app's ""/.test(v.message)));
    expect(unexpected.map((v) => v.message), summarizeFailures(report)).toEqual([]);
  }, 120_000);
});
