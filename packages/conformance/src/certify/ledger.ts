import type { Level, Party, Violation } from '../violation.js';
import { violation as makeViolation } from '../violation.js';

export type ClauseStatus = 'passed' | 'failed' | 'not-applicable' | 'not-checked';

/** The outcome for one clause in a certification. */
export interface ClauseResult {
  clause: string;
  status: ClauseStatus;
  /** How many times the clause was checked. */
  checks: number;
  violations: Violation[];
  /** Why the clause was not applicable or not checked. */
  reason?: string;
}

interface Entry {
  checks: number;
  violations: Violation[];
  skipped?: { status: 'not-applicable' | 'not-checked'; reason: string };
}

/** Collects passes, failures and skips per clause, for the report's table. */
export class Ledger {
  readonly #entries = new Map<string, Entry>();

  /** `onFail` hears of every violation as it is recorded. */
  constructor(private readonly onFail?: (violation: Violation) => void) {}

  #entry(clause: string): Entry {
    let entry = this.#entries.get(clause);
    if (!entry) {
      entry = { checks: 0, violations: [] };
      this.#entries.set(clause, entry);
    }
    return entry;
  }

  pass(clause: string): void {
    this.#entry(clause).checks++;
  }

  fail(violation: Violation): void {
    this.onFail?.(violation);
    const entry = this.#entry(violation.clause);
    entry.checks++;
    if (entry.violations.length < 10) entry.violations.push(violation);
  }

  /** Records a check: a pass when `ok`, else a violation by `party`. */
  expect(ok: boolean, clause: string, party: Party, subject: string, expectation: string, ...value: [] | [unknown]): boolean {
    if (ok) this.pass(clause);
    else this.fail(makeViolation({ clause, party, subject, expectation, ...(value.length ? { value: value[0] } : {}) }));
    return ok;
  }

  /** Records a check of a host rule. */
  host(ok: boolean, clause: string, subject: string, expectation: string, ...value: [] | [unknown]): boolean {
    return this.expect(ok, clause, 'host', subject, expectation, ...value);
  }

  /** A clause that this run did not check, and why (a missing capability, a driver that cannot express it). */
  skip(clause: string, status: 'not-applicable' | 'not-checked', reason: string): void {
    const entry = this.#entry(clause);
    entry.skipped ??= { status, reason };
  }

  results(level: (clause: string) => Level | undefined = () => 'must'): ClauseResult[] {
    const out: ClauseResult[] = [];
    for (const [clause, entry] of this.#entries) {
      const failed = entry.violations.some((v) => v.level === 'must') || (entry.violations.length > 0 && level(clause) === 'must');
      let status: ClauseStatus;
      if (failed) status = 'failed';
      else if (entry.checks > 0) status = 'passed';
      else status = entry.skipped?.status ?? 'not-checked';
      const result: ClauseResult = { clause, status, checks: entry.checks, violations: entry.violations };
      if (status !== 'passed' && status !== 'failed' && entry.skipped) result.reason = entry.skipped.reason;
      out.push(result);
    }
    return out.sort((a, b) => compareClauses(a.clause, b.clause));
  }
}

const ORDER = ['OVR', 'APP', 'ENV', 'INP', 'ERR', 'SR', 'BODY', 'MW', 'HOST', 'NODE', 'PF', 'LAMBDA', 'FETCH'];

/** Orders clause ids by chapter, then number. */
export function compareClauses(a: string, b: string): number {
  const [pa, na] = a.split('-');
  const [pb, nb] = b.split('-');
  const d = ORDER.indexOf(pa!) - ORDER.indexOf(pb!);
  return d !== 0 ? d : Number(na) - Number(nb);
}
