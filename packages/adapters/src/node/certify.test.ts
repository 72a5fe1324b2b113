import { certifyServer, summarizeFailures } from '@tsgi/conformance';
import { describe, expect, it } from 'vitest';
import { fromNodeHandler } from './from-node-handler.js';
import { nodeHost } from './node-host.js';
import { serve } from './serve.js';
import { toNodeHandler } from './to-node-handler.js';

const quiet = { write() {}, flush() {} };

describe('certifyServer against the Node host', () => {
  it('NODE-1, NODE-6: serve with its options in use (limits, deadline, trusted proxies, onResponse) passes the conformance suite', async () => {
    let responses = 0;
    const report = await certifyServer(
      async (app) => {
        const handle = await serve(app, {
          port: 0,
          errors: quiet,
          limits: { maxBodySize: 64 * 1024 * 1024, requestDeadline: 60_000, maxHeaderCount: 200, keepAliveTimeout: 2000 },
          trustedProxies: ['10.0.0.0/8'],
          onResponse: () => void responses++,
        });
        return { url: handle.url, close: () => handle.close({ timeout: 5000 }) };
      },
      { host: nodeHost, runs: 40 },
    );
    expect(report.ok, summarizeFailures(report)).toBe(true);
    expect(responses).toBeGreaterThan(0);
  }, 120_000);

  it('NODE-7: fromNodeHandler loses nothing: serve(fromNodeHandler(toNodeHandler(app))) passes as serve(app) does', async () => {
    const report = await certifyServer(
      async (app) => {
        const handle = await serve(fromNodeHandler(toNodeHandler(app, { errors: quiet })), { port: 0, errors: quiet });
        return { url: handle.url, close: () => handle.close({ timeout: 5000 }) };
      },
      { host: nodeHost, runs: 40 },
    );
    expect(report.ok, summarizeFailures(report)).toBe(true);
  }, 120_000);
});
