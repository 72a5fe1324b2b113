import { describe, expect, it } from 'vitest';
import { nodeHost, serve } from '@tsgi/adapters/node';
import { certifyServer, summarizeFailures } from '../src/index.js';

const quiet = { write() {}, flush() {} };

describe('remote probes', () => {
  it('the Node host passes certifyServer with the probe app reporting over loopback', async () => {
    const report = await certifyServer(
      async (app) => {
        const handle = await serve(app, { port: 0, host: '127.0.0.1', errors: quiet });
        return { url: handle.url, close: () => handle.close() };
      },
      { host: nodeHost, probes: 'remote' },
    );
    console.log(report.durationMs, report.notes);
    expect(report.ok, summarizeFailures(report)).toBe(true);
  }, 120_000);
});
