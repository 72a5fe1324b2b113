import { ConformanceError, type Party, type Violation } from './violation.js';

/** What the lint does with a violation of each level. */
export type Action = 'throw' | 'collect' | 'ignore';

export interface ReporterOptions {
  /** MUST violations: thrown by default, as wsgiref.validate does, so the culprit's stack shows. */
  must?: Action;
  /** SHOULD violations: collected by default. */
  should?: Action;
  /** Called for every violation that is not ignored, before it is thrown or kept. */
  onViolation?: (violation: Violation) => void;
  /** Most violations kept per clause and party; later ones only count (default 20). */
  keepPerClause?: number;
  /** Only these parties' violations are kept (default: all). */
  parties?: readonly Party[];
}

/**
 * Receives the violations of a lint or a certification run. By default it throws MUST
 * violations (so the app or host sees an error where the rule broke) and keeps SHOULD ones.
 */
export class Reporter {
  readonly violations: Violation[] = [];
  readonly #must: Action;
  readonly #should: Action;
  readonly #onViolation: ((violation: Violation) => void) | undefined;
  readonly #keep: number;
  readonly #counts = new Map<string, number>();
  readonly #parties: readonly Party[] | undefined;

  constructor(options: ReporterOptions = {}) {
    this.#must = options.must ?? 'throw';
    this.#should = options.should ?? 'collect';
    this.#onViolation = options.onViolation;
    this.#keep = options.keepPerClause ?? 20;
    this.#parties = options.parties;
  }

  /** A reporter that keeps everything and throws nothing: what certifications use. */
  static collecting(options: Omit<ReporterOptions, 'must' | 'should'> = {}): Reporter {
    return new Reporter({ ...options, must: 'collect', should: 'collect' });
  }

  report(violation: Violation): void {
    const action = violation.level === 'must' ? this.#must : this.#should;
    if (action === 'ignore' || (this.#parties && !this.#parties.includes(violation.party))) return;
    this.#onViolation?.(violation);
    const key = `${violation.party} ${violation.clause}`;
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, count);
    if (count <= this.#keep) this.violations.push(violation);
    if (action === 'throw') throw new ConformanceError(violation);
  }

  /** How many times a clause was broken, kept or not. */
  count(clause: string): number {
    let total = 0;
    for (const [key, n] of this.#counts) if (key.endsWith(` ${clause}`)) total += n;
    return total;
  }

  /** The MUST violations kept so far. */
  get failures(): Violation[] {
    return this.violations.filter((v) => v.level === 'must');
  }

  /** The SHOULD violations kept so far. */
  get warnings(): Violation[] {
    return this.violations.filter((v) => v.level === 'should');
  }

  /** The distinct clause ids broken so far. */
  clauses(): string[] {
    return [...new Set([...this.#counts.keys()].map((key) => key.slice(key.indexOf(' ') + 1)))];
  }
}
