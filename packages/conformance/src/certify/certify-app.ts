import fc from 'fast-check';
import { callApp, type App, type Capability } from '@tsgi/interface';
import { requestArbitrary, type RequestOptions, type RequestSample } from '../arbitraries/request.js';
import { createLint } from '../lint/lint.js';
import { within } from '../probes/deferred.js';
import { Reporter } from '../reporter.js';
import { violation, type Violation } from '../violation.js';
import { Ledger } from './ledger.js';
import { memoryRequestOf } from './memory-request.js';
import type { CertificationReport } from './report.js';
import { randomSeed } from './seed.js';
import { runProperty } from './property-run.js';
import { LINT_APP_CLAUSES } from './clauses.js';

export interface CertifyAppOptions {
  /** Generated requests (default 100). */
  runs?: number;
  seed?: number;
  /** Shrink a failure to a minimal request (default true). */
  shrink?: boolean;
  /** Narrows the generated requests, or replaces them. */
  requests?: RequestOptions | fc.Arbitrary<RequestSample>;
  /** Most time one response may take, in milliseconds (default 5000). */
  timeoutMs?: number;
  onProgress?: (done: number, total: number, label: string) => void;
}

/** The in-memory host gives the exact target and the client's address, as a socket host would. */
const MEMORY_CAPABILITIES: readonly Capability[] = ['raw-request-target', 'remote-address'];

/** Runs the app once under a fresh lint; resolves to the violations it produced. */
export async function lintOnce(app: App, sample: RequestSample, timeoutMs: number): Promise<Violation[]> {
  const reporter = Reporter.collecting();
  const session = createLint({ reporter, capabilities: MEMORY_CAPABILITIES });
  const response = await within(
    callApp(session.wrap(app), memoryRequestOf(sample)).then(
      () => 'done' as const,
      (error: unknown) => error,
    ),
    timeoutMs,
    'timeout' as const,
  );
  if (response === 'timeout') {
    reporter.report(violation({ clause: 'APP-1', party: 'app', subject: 'the app', expectation: `must answer: its body or its Promise did not settle within ${timeoutMs} ms` }));
  }
  await session.settle(100);
  return reporter.violations;
}

/**
 * Certifies an app: runs it in memory, through the interface's own machinery, under the
 * lint, against generated requests. A failure is shrunk to a minimal request and reported
 * with the seed that replays it.
 */
export async function certifyApp(app: App, options: CertifyAppOptions = {}): Promise<CertificationReport> {
  const started = Date.now();
  const runs = options.runs ?? 100;
  const seed = options.seed ?? randomSeed();
  const timeoutMs = options.timeoutMs ?? 5000;
  const ledger = new Ledger();
  const notes: string[] = [];
  if (typeof app !== 'function') {
    ledger.expect(false, 'APP-1', 'app', 'app', 'must be a function (environ, startResponse) => body', app);
  }
  const arbitrary = options.requests instanceof fc.Arbitrary ? options.requests : requestArbitrary({ method: { registered: true }, ...options.requests });
  let done = 0;
  const counterexample =
    typeof app === 'function'
      ? await runProperty(
          arbitrary,
          async (sample, record) => {
            const violations = await lintOnce(app, sample, timeoutMs);
            if (record) {
              options.onProgress?.(++done, runs, 'generated requests');
              for (const v of violations) ledger.fail(v);
              for (const clause of LINT_APP_CLAUSES) if (!violations.some((v) => v.clause === clause)) ledger.pass(clause);
            }
            return violations;
          },
          { runs, seed, shrink: options.shrink !== false },
        )
      : undefined;
  const clauses = ledger.results();
  const violations = clauses.flatMap((c) => c.violations);
  return {
    kind: 'app',
    target: 'memory',
    ok: clauses.every((c) => c.status !== 'failed') && counterexample === undefined,
    seed,
    runs,
    durationMs: Date.now() - started,
    clauses,
    violations,
    counterexample,
    notes,
  };
}
