import { LambdaDriver, certifyServer, summarizeFailures, type LambdaSource } from '@tsgi/conformance';
import { describe, expect, it } from 'vitest';
import { lambdaHost } from './lambda-host.js';
import { toLambdaHandler } from './to-lambda-handler.js';

const quiet = { write() {}, flush() {} };

/**
 * The conformance suite's own Lambda driver writes each source's events from the platforms'
 * documented formats, independently of this package's conversions, and reads the results
 * back the way the source would.
 */
describe('certifyServer against the Lambda host', () => {
  for (const source of ['api-gateway-v1', 'api-gateway-v2', 'function-url', 'alb'] as LambdaSource[]) {
    it(`LAMBDA-1: the buffered host passes the conformance suite for ${source} events`, async () => {
      const report = await certifyServer((app) => toLambdaHandler(app, { errors: quiet }), {
        kind: 'lambda',
        host: lambdaHost,
        runs: Number(process.env.LAMBDA_CERTIFY_RUNS ?? 25),
        driver: (handler) => new LambdaDriver(handler as never, source),
      });
      expect(report.ok, summarizeFailures(report)).toBe(true);
    }, 60_000);
  }
});
