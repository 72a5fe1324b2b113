/**
 * Every standard middleware certified by @tsgi/conformance: each sits between two lints,
 * around generated apps (planned responses, early disconnects, excInfo before and after the
 * commit), driven by generated requests. A failure prints the clause, the shrunk case and
 * the seed to replay it.
 */
import { certifyMiddleware, summarizeFailures } from '@tsgi/conformance';
import { compose, notFoundApp, type Middleware } from '@tsgi/interface';
import {
  accessLog,
  bodyLimit,
  compression,
  conditionalGet,
  cors,
  errorPages,
  proxyHeaders,
  requestTimeout,
  urlMap,
} from '@tsgi/interface/middleware';
import { staticFiles } from '@tsgi/interface/static';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flagshipMiddleware } from './app.js';

const root = mkdtempSync(join(tmpdir(), 'tsgi-certify-'));
writeFileSync(join(root, 'index.html'), '<h1>certified</h1>');
writeFileSync(join(root, 'a.txt'), 'a file'.repeat(500));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const quiet = { write: () => {} };

const subjects: Array<[string, Middleware]> = [
  ['proxyHeaders', proxyHeaders({ trust: '*' })],
  ['compression', compression({ threshold: 0 })],
  ['compression (CompressionStream)', compression({ threshold: 0, engine: 'web' })],
  ['staticFiles', staticFiles({ root })],
  ['conditionalGet', conditionalGet({ etag: true })],
  ['cors', cors({ origin: '*', credentials: true, exposedHeaders: ['X-Id'] })],
  ['errorPages', errorPages()],
  ['errorPages (development)', errorPages({ mode: 'development' })],
  ['accessLog', accessLog(quiet)],
  ['bodyLimit', bodyLimit({ maxBytes: 64 })],
  ['requestTimeout', requestTimeout({ timeout: 2000 })],
  ['urlMap', (app) => urlMap({ '/a': app, '//example.com/b': app, '/c': notFoundApp })(app)],
  ['the flagship stack', compose(flagshipMiddleware({ accessLog: quiet }))],
];

describe('certifyMiddleware', () => {
  it.each(subjects)('MW-3, MW-4: certifies %s', async (_name, middleware) => {
    const report = await certifyMiddleware(middleware, { runs: 60 });
    expect(report.ok, `seed ${report.seed}\n${summarizeFailures(report)}\n${JSON.stringify(report.counterexample?.input)?.slice(0, 2000)}`).toBe(true);
  });
});
