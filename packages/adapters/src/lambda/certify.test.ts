import { certifyServer, summarizeFailures } from '@tsgi/conformance';
import { describe, expect, it } from 'vitest';
import { lambdaHost } from './lambda-host.js';
import { LambdaDriver, type DrivenSource } from './testing/lambda-driver.js';
import { toLambdaHandler, type LambdaHandler } from './to-lambda-handler.js';

const quiet = { write() {}, flush() {} };

describe('certifyServer against the Lambda host', () => {
  // CloudFront is left out: Lambda@Edge results drop Content-Length (LAMBDA-17), so a HEAD
  // response cannot carry the app's length there (BODY-23), and the suite would rightly flag it.
  for (const source of ['function-url', 'api-gateway-v2', 'alb'] as DrivenSource[]) {
    it(`LAMBDA-1: the ${source} path of the buffered host passes the conformance suite`, async () => {
      const report = await certifyServer((app) => toLambdaHandler(app, { errors: quiet }), {
        kind: 'lambda',
        host: lambdaHost,
        runs: 25,
        driver: (handler) => new LambdaDriver(handler as LambdaHandler, source),
      });
      expect(report.ok, summarizeFailures(report)).toBe(true);
    }, 60_000);
  }
});
