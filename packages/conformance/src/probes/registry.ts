import type { ResponsePlan } from '../arbitraries/response.js';
import { Deferred } from './deferred.js';
import type { EnvironSnapshot } from './environ-snapshot.js';

/** The header that names the probe a request is for, and the one that names its case. */
export const PROBE_HEADER = 'x-tsgi-probe';
export const PROBE_ID_HEADER = 'x-tsgi-probe-id';

/** How a generated case reads its request body through tsgi.input. */
export type ReadPattern = { kind: 'read'; sizes: number[] } | { kind: 'readLine'; limit: number | undefined } | { kind: 'iterate'; breakAfter: number | undefined };

/**
 * One probe request: what the suite told the probe app to do, and everything the app saw
 * and did, for the checks to compare with what reached the client.
 */
export class ProbeCase {
  calls = 0;
  environ: EnvironSnapshot | undefined;
  /** The live environ the probe received (under the lint). */
  live: Record<string, unknown> | undefined;
  signal: AbortSignal | undefined;
  /** Request body bytes read through tsgi.input, and the error that ended reading, if any. */
  bodyRead: Uint8Array | undefined;
  inputError: unknown;
  pulls = 0;
  returnCalls = 0;
  closeCalls = 0;
  /** Chunks the probe yielded, with a copy of each, to check the host changed none (BODY-13). */
  readonly yielded: Array<[live: Uint8Array, copy: Uint8Array]> = [];
  /** Free-form results a probe records (did excInfo come back, what did write reject with ...). */
  readonly notes: Record<string, unknown> = {};
  /** Gates the client opens for the app, by name. */
  readonly #gates = new Map<string, Deferred>();
  /** Settles when the probe's body has been released, or its call failed. */
  readonly finished = new Deferred();
  plan: ResponsePlan | undefined;
  readPattern: ReadPattern | undefined;

  constructor(
    readonly id: string,
    readonly kind: string,
    readonly registry: ProbeRegistry,
  ) {}

  gate(name: string): Deferred {
    let gate = this.#gates.get(name);
    if (!gate) {
      gate = new Deferred();
      this.#gates.set(name, gate);
    }
    return gate;
  }

  open(name: string): void {
    this.gate(name).resolve();
  }
}

/** Cases by id: the probe app finds its instructions here, the checks find the results. */
export class ProbeRegistry {
  readonly #cases = new Map<string, ProbeCase>();
  #next = 1;
  readonly #idOf: (n: number) => string;
  /** Concurrency probes in progress, and the most seen at once (HOST-4). */
  inFlight = 0;
  maxInFlight = 0;
  /** Requests that reached the app without a known case (a host answering on its own is fine; this is not). */
  strays = 0;

  /** `idOf` shapes case ids (remote probe apps find the suite's control endpoint in them). */
  constructor(idOf: (n: number) => string = String) {
    this.#idOf = idOf;
  }

  create(kind: string): ProbeCase {
    const c = new ProbeCase(this.#idOf(this.#next++), kind, this);
    this.#cases.set(c.id, c);
    return c;
  }

  get(id: unknown): ProbeCase | undefined {
    return typeof id === 'string' ? this.#cases.get(id) : undefined;
  }

  /** Forgets a case once checked, so a long run keeps no garbage. */
  drop(c: ProbeCase): void {
    this.#cases.delete(c.id);
  }
}
