/**
 * Every tsgi host in this repository, certified by certifyServer through the suite's own
 * drivers: the Node host over raw sockets, the fetch host with runtime-shaped Requests, the
 * Lambda host with the events of four sources.
 */
import { describe, expect, it } from 'vitest';
import { fetchHost, toFetchHandler } from '@tsgi/adapters/fetch';
import { lambdaHost, toLambdaHandler } from '@tsgi/adapters/lambda';
import { nodeHost, serve } from '@tsgi/adapters/node';
import { certifyServer, FetchDriver, LambdaDriver, summarizeFailures, type LambdaSource } from '../src/index.js';

const quiet = { write() {}, flush() {} };

describe('certifyServer against the hosts of @tsgi/adapters', () => {
  it('NODE-2, NODE-5, NODE-6: the Node host (serve) passes certifyServer', async () => {
    const report = await certifyServer(
      async (app) => {
        const handle = await serve(app, { port: 0, host: '127.0.0.1', errors: quiet });
        return { url: handle.url, close: () => handle.close() };
      },
      { host: nodeHost },
    );
    expect(report.ok, summarizeFailures(report)).toBe(true);
  }, 120_000);

  it('FETCH-1: the fetch host passes certifyServer through the fetch driver', async () => {
    const report = await certifyServer((app) => toFetchHandler(app, { errors: quiet }), {
      kind: 'fetch',
      host: fetchHost,
      driver: (handler) => new FetchDriver(handler as ConstructorParameters<typeof FetchDriver>[0]),
    });
    expect(report.ok, summarizeFailures(report)).toBe(true);
  }, 120_000);

  for (const source of ['api-gateway-v1', 'api-gateway-v2', 'function-url', 'alb'] as LambdaSource[]) {
    it(`LAMBDA-1: the Lambda host passes certifyServer with ${source} events`, async () => {
      const report = await certifyServer((app) => toLambdaHandler(app, { errors: quiet }), {
        kind: 'lambda',
        host: lambdaHost,
        driver: (handler) => new LambdaDriver(handler as ConstructorParameters<typeof LambdaDriver>[0], source),
      });
      expect(report.ok, summarizeFailures(report)).toBe(true);
    }, 120_000);
  }
});
