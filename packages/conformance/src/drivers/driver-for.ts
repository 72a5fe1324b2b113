import type { Driver } from './driver.js';
import { FetchDriver, type FetchHandlerUnderTest } from './fetch-driver.js';
import { LambdaDriver, type LambdaHandlerUnderTest } from './lambda/lambda-driver.js';

/** The suite's own driver for a handler host: `fetch` or `lambda` (API Gateway HTTP API events). */
export function driverFor(kind: 'fetch' | 'lambda'): (handler: unknown) => Driver {
  return kind === 'fetch' ? (handler) => new FetchDriver(handler as FetchHandlerUnderTest) : (handler) => new LambdaDriver(handler as LambdaHandlerUnderTest);
}
