import { describeValue } from './describe-value.js';

/** The requirement level of a clause: MUST (and MUST NOT), or SHOULD (and SHOULD NOT). */
export type Level = 'must' | 'should';

/** The party a clause binds, and so the party at fault when it is broken. */
export type Party = 'app' | 'host' | 'middleware';

/** One broken rule, as the lint and the certifications report it. */
export interface Violation {
  /** The clause id in `spec/`: `ENV-7`. */
  readonly clause: string;
  readonly level: Level;
  /** Who broke it: the app under the lint, or the host (or middleware) above it. */
  readonly party: Party;
  /** What the rule is about: `environ.SERVER_PORT`, `startResponse`, `body chunk 2`. */
  readonly subject: string;
  /** `[ENV-7] environ.SERVER_PORT must be a string of ASCII digits; got 443 (number)`. */
  readonly message: string;
  /** The offending value, as it was. */
  readonly value?: unknown;
}

/** Marks a violation that has no offending value to show. */
export const NO_VALUE: unique symbol = Symbol('no value');

export interface ViolationInit {
  clause: string;
  party: Party;
  subject: string;
  /** What the subject must do or be: `must be a string of ASCII digits`. */
  expectation: string;
  value?: unknown;
  level?: Level;
}

/** Builds a violation whose message follows the house format `[CLAUSE] subject must ...; got VALUE`. */
export function violation(init: ViolationInit): Violation {
  const hasValue = 'value' in init && init.value !== NO_VALUE;
  const got = hasValue ? `; got ${describeValue(init.value)}` : '';
  const base = {
    clause: init.clause,
    level: init.level ?? 'must',
    party: init.party,
    subject: init.subject,
    message: `[${init.clause}] ${init.subject} ${init.expectation}${got}`,
  };
  return hasValue ? { ...base, value: init.value } : base;
}

/** Thrown by a reporter that throws: carries the violation it reports. */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
  readonly clause: string;
  constructor(readonly violation: Violation) {
    super(violation.message);
    this.clause = violation.clause;
  }
}
