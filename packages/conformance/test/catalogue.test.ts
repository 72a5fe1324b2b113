import { describe, expect, it } from 'vitest';
import type { App, Middleware } from '@tsgi/interface';
import { readBody, sendText } from '@tsgi/interface';
import { certifyApp, certifyMiddleware, certifyServer, summarizeFailures, type CertificationReport } from '../src/index.js';
import { CATALOGUE, type CatalogueEntry } from './catalogue/index.js';
import { REFERENCE_CAPABILITIES, startReferenceHost } from './reference-host.js';

const SEED = 20261120;

function failedClauses(report: CertificationReport): string[] {
  return report.clauses.filter((c) => c.status === 'failed').map((c) => c.clause);
}

/** At most three host certifications at a time: each drives sockets hard and waits on timeouts. */
const lanes = (() => {
  let free = 3;
  const waiting: Array<() => void> = [];
  return async <T>(run: () => Promise<T>): Promise<T> => {
    if (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    else free--;
    try {
      return await run();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
})();

/** What the catalogue uses: few generated cases, no shrinking, short timeouts. */
async function certify(entry: CatalogueEntry, probes: 'local' | 'remote' = 'local'): Promise<CertificationReport> {
  switch (entry.kind) {
    case 'host': {
      // The full suite runs until it finds the expected clause; the rest adds nothing here
      // (the compliant references above run everything).
      const found = new AbortController();
      return lanes(() =>
        certifyServer((app) => startReferenceHost(app, entry.hooks), {
          capabilities: REFERENCE_CAPABILITIES,
          runs: 10,
          seed: SEED,
          shrink: false,
          timeoutMs: 1500,
          signal: found.signal,
          probes,
          onViolation: (v) => v.clause === entry.expect && found.abort(),
        }),
      );
    }
    case 'app':
      return certifyApp(entry.app, { runs: 30, seed: SEED, shrink: false });
    case 'middleware':
      return certifyMiddleware(entry.middleware, { runs: 40, seed: SEED, shrink: false });
  }
}

const compliantApp: App = async (environ, startResponse) => {
  const body = await readBody(environ);
  return sendText(startResponse, '200 OK', `${environ.REQUEST_METHOD} ${environ.PATH_INFO} ${body.length}\n`, [['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
};

const compliantMiddleware: Middleware = (app) => (environ, startResponse) =>
  app({ ...environ, 'example.seen': true }, (status, headers, excInfo) => startResponse(status, [...headers, ['x-powered-by', 'tsgi']], excInfo));

describe('compliant references: zero violations', () => {
  it('the reference Node host passes certifyServer', async () => {
    const report = await certifyServer((app) => startReferenceHost(app), { capabilities: REFERENCE_CAPABILITIES, seed: SEED });
    expect(report.violations, summarizeFailures(report)).toEqual([]);
    expect(report.ok).toBe(true);
  }, 60_000);

  it('the in-memory host (callApp) passes certifyServer', async () => {
    const report = await certifyServer((app) => app, { kind: 'memory', capabilities: ['raw-request-target', 'remote-address'], seed: SEED });
    expect(report.violations, summarizeFailures(report)).toEqual([]);
  }, 60_000);

  it('a compliant app passes certifyApp', async () => {
    const report = await certifyApp(compliantApp, { seed: SEED });
    expect(report.violations, summarizeFailures(report)).toEqual([]);
  }, 60_000);

  it('a compliant middleware passes certifyMiddleware', async () => {
    const report = await certifyMiddleware(compliantMiddleware, { seed: SEED });
    expect(report.violations, summarizeFailures(report)).toEqual([]);
  }, 60_000);
});

describe(`the catalogue: ${CATALOGUE.length} broken parties, each rejected with its clause`, () => {
  it('holds at least 30 entries of every kind', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
    for (const kind of ['host', 'app', 'middleware']) expect(CATALOGUE.some((e) => e.kind === kind)).toBe(true);
  });

  for (const entry of CATALOGUE) {
    it.concurrent(`${entry.expect}: rejects the ${entry.kind} that ${entry.name}`, async () => {
      const report = await certify(entry);
      expect(report.ok).toBe(false);
      expect(failedClauses(report), summarizeFailures(report)).toContain(entry.expect);
    }, 300_000);
  }
});

/**
 * Remote probes carry what a probe saw over loopback: the case's counts and release, the
 * environ, the body read, the signal, notes, gates, tsgi.errors, lint findings and strays.
 * These broken hosts are each caught through one of those channels (the whole catalogue
 * in this mode takes minutes: it is run by CONFORMANCE_REMOTE_ALL=1).
 */
const REMOTE_SAMPLE = new Set(['BODY-5', 'BODY-9', 'BODY-11', 'INP-9', 'HOST-16', 'ENV-13', 'HOST-21', 'INP-10', 'SR-10', 'BODY-18', 'BODY-1', 'BODY-2', 'ENV-1', 'ENV-19', 'INP-2', 'INP-12', 'BODY-22', 'BODY-16', 'HOST-12', 'HOST-30']);

describe('the catalogue\'s broken hosts, with the probe app reporting over loopback (probes: remote)', () => {
  const all = process.env.CONFORMANCE_REMOTE_ALL === '1';
  for (const entry of CATALOGUE.filter((e) => e.kind === 'host' && (all || REMOTE_SAMPLE.has(e.expect)))) {
    it.concurrent(`${entry.expect}: rejects the host that ${entry.name}`, async () => {
      const report = await certify(entry, 'remote');
      expect(report.ok).toBe(false);
      expect(failedClauses(report), summarizeFailures(report)).toContain(entry.expect);
    }, 300_000);
  }
});
