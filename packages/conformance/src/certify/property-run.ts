import fc from 'fast-check';
import type { Violation } from '../violation.js';
import type { Counterexample } from './report.js';

export interface PropertyRunOptions<T> {
  runs: number;
  seed: number;
  /** Shrink the first failing input to a minimal one (default true). */
  shrink: boolean;
  /** Inputs run before the random ones (known hard cases, pinned counterexamples). */
  examples?: readonly T[];
}

/** Runs one input; `record` is false while shrinking, so that the report counts each input once. */
export type CaseRunner<T> = (input: T, record: boolean) => Promise<Violation[]>;

/**
 * Runs a property over every generated input and keeps going after a failure, so that the
 * report lists every clause broken in the run; then, when asked, shrinks the first failing
 * input with fast-check and replays the minimal one for the counterexample. The seed
 * replays the whole run.
 */
export async function runProperty<T>(arbitrary: fc.Arbitrary<T>, run: CaseRunner<T>, options: PropertyRunOptions<T>): Promise<Counterexample | undefined> {
  let first: { input: T; violations: Violation[] } | undefined;
  const fails = (violations: Violation[]) => violations.some((v) => v.level === 'must');
  const collect = fc.asyncProperty(arbitrary, async (input) => {
    const violations = await run(input, true);
    if (!first && fails(violations)) first = { input, violations };
    return true;
  });
  const examples = (options.examples ?? []).map((e) => [e] as [T]);
  const details = await fc.check(collect, { numRuns: options.runs + examples.length, seed: options.seed, examples });
  if (details.failed) throw details.errorInstance instanceof Error ? details.errorInstance : new Error(String(details.errorInstance));
  if (!first) return undefined;
  if (!options.shrink) return { seed: options.seed, path: undefined, input: first.input, violations: first.violations };
  let last = first.violations;
  const shrink = fc.asyncProperty(arbitrary, async (input) => {
    const violations = await run(input, false);
    if (fails(violations)) last = violations;
    return !fails(violations);
  });
  const shrunk = await fc.check(shrink, { numRuns: 1, seed: options.seed, examples: [[first.input]] });
  if (!shrunk.failed || !shrunk.counterexample) return { seed: options.seed, path: undefined, input: first.input, violations: first.violations };
  const input = shrunk.counterexample[0] as T;
  const violations = await run(input, false).catch(() => last);
  return { seed: options.seed, path: undefined, input, violations: fails(violations) ? violations : last };
}
