import type { Violation } from '../violation.js';
import type { ClauseResult } from './ledger.js';

/** A shrunk failing input and how to replay it. */
export interface Counterexample {
  seed: number;
  /** fast-check's replay path: pass it with the seed to run the failing case first. */
  path: string | undefined;
  /** The smallest input that still fails. */
  input: unknown;
  violations: Violation[];
}

/** What a certification found. */
export interface CertificationReport {
  kind: 'app' | 'server' | 'middleware';
  /** The driver or host label: `http`, `fetch`, `lambda v2` ... */
  target: string;
  ok: boolean;
  seed: number;
  runs: number;
  durationMs: number;
  /** One row per clause the certification covers: passed, failed, not applicable, not checked. */
  clauses: ClauseResult[];
  /** Every violation found (MUST and SHOULD). */
  violations: Violation[];
  counterexample?: Counterexample | undefined;
  /** What was not checked and why, and anything else worth knowing. */
  notes: string[];
}

/** One line per failed clause, with its first violation: what a failing test prints. */
export function summarizeFailures(report: CertificationReport): string {
  const failed = report.clauses.filter((c) => c.status === 'failed');
  const lines = failed.map((c) => `  ${c.violations[0]?.message ?? c.clause}${c.violations.length > 1 ? ` (+${c.violations.length - 1} more)` : ''}`);
  if (report.counterexample) {
    lines.push(`  counterexample (seed ${report.counterexample.seed}${report.counterexample.path ? `, path "${report.counterexample.path}"` : ''}):`);
    lines.push(`    ${JSON.stringify(report.counterexample.input, (_k, v) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v))}`);
  }
  return `${report.kind} certification (${report.target}) failed ${failed.length} clause(s):\n${lines.join('\n')}`;
}
