import { expect, it } from 'vitest';
import type { App, Middleware } from '@tsgi/interface';
import { certifyApp, type CertifyAppOptions } from './certify/certify-app.js';
import { certifyMiddleware, type CertifyMiddlewareOptions } from './certify/certify-middleware.js';
import { certifyServer, type CertifyServerOptions, type HandlerHostFactory, type HttpHostFactory } from './certify/certify-server.js';
import { summarizeFailures, type CertificationReport } from './certify/report.js';

interface HelperOptions {
  /** The test title (default: "is a compliant tsgi 1.0 app / server / middleware"). */
  title?: string;
  /** The test's timeout in milliseconds (default 120 000). */
  testTimeout?: number;
}

function expectCompliant(report: CertificationReport): void {
  expect(report.ok, summarizeFailures(report)).toBe(true);
}

/**
 * Certification as vitest tests, for framework and host authors:
 *
 * ```ts
 * import { certify } from '@tsgi/conformance/vitest';
 * import { app } from '../src/app.js';
 * certify.app(app);
 * ```
 *
 * Each call adds one `it` that runs the certification and fails with the broken clauses,
 * the shrunk counterexample and the seed to replay it.
 */
export const certify = {
  app(app: App, options: CertifyAppOptions & HelperOptions = {}): void {
    it(options.title ?? 'is a compliant tsgi 1.0 app', async () => expectCompliant(await certifyApp(app, options)), options.testTimeout ?? 120_000);
  },
  server(factory: HttpHostFactory | HandlerHostFactory, options: CertifyServerOptions & HelperOptions = {}): void {
    it(options.title ?? 'is a compliant tsgi 1.0 server', async () => expectCompliant(await certifyServer(factory, options)), options.testTimeout ?? 120_000);
  },
  middleware(middleware: Middleware, options: CertifyMiddlewareOptions & HelperOptions = {}): void {
    it(options.title ?? 'is a compliant tsgi 1.0 middleware', async () => expectCompliant(await certifyMiddleware(middleware, options)), options.testTimeout ?? 120_000);
  },
};
