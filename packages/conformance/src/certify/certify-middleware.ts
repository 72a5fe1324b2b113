import fc from 'fast-check';
import { callApp, type App, type Capability, type Middleware } from '@tsgi/interface';
import { requestArbitrary, type RequestOptions, type RequestSample } from '../arbitraries/request.js';
import { responsePlanArbitrary, type ResponsePlan } from '../arbitraries/response.js';
import { createLint, type LintSession } from '../lint/lint.js';
import { within } from '../probes/deferred.js';
import { bodyFromPlan } from '../probes/plan-app.js';
import { Reporter } from '../reporter.js';
import { violation, type Violation } from '../violation.js';
import { LINT_APP_CLAUSES, LINT_HOST_CLAUSES, MIDDLEWARE_CLAUSES } from './clauses.js';
import { Ledger } from './ledger.js';
import { memoryRequestOf } from './memory-request.js';
import type { CertificationReport } from './report.js';
import { randomSeed } from './seed.js';
import { runProperty } from './property-run.js';

export interface CertifyMiddlewareOptions {
  runs?: number;
  seed?: number;
  shrink?: boolean;
  requests?: RequestOptions;
  timeoutMs?: number;
  onProgress?: (done: number, total: number, label: string) => void;
}

/** How the generated inner app behaves beyond its planned response. */
type Scenario = 'plain' | 'disconnect' | 'excinfo-before' | 'excinfo-after';

interface MiddlewareCase {
  request: RequestSample;
  plan: ResponsePlan;
  scenario: Scenario;
}

const CAPABILITIES: readonly Capability[] = ['raw-request-target', 'remote-address'];

/** The umbrella clause a middleware breaks along with a specific one. */
function umbrella(v: Violation, face: 'outer' | 'inner'): string[] {
  const extra: string[] = [face === 'outer' ? 'MW-3' : 'MW-4'];
  if (v.clause === 'ENV-4') extra.push('MW-5');
  if (face === 'inner' && ['BODY-9', 'BODY-10', 'BODY-11'].includes(v.clause)) extra.push('MW-6');
  if (face === 'outer' && v.clause === 'BODY-14') extra.push('MW-7');
  if (face === 'inner' && v.clause.startsWith('INP-')) extra.push('MW-8');
  if (face === 'inner' && ['SR-11', 'SR-12'].includes(v.clause)) extra.push('MW-9');
  return extra;
}

/** What a case's inner app shares with the case: its tsgi.signal, and the disconnect's hooks. */
interface Seen {
  signal?: AbortSignal;
  /** Called after each chunk the held body yields: the first one starts the disconnect. */
  firstChunk?: () => void;
  /** The held body's wait: settles when the signal aborts or the case lets go. */
  held?: Promise<void>;
  /** Lets the held body go on although its signal never aborted (a middleware that broke MW-8). */
  release?: () => void;
}

/** The inner app of a case: the planned response, plus the scenario's twist. */
function innerApp(input: MiddlewareCase, seen: Seen): App {
  const { plan, scenario } = input;
  if (scenario === 'excinfo-before' || scenario === 'excinfo-after') {
    return (environ, startResponse) => {
      seen.signal = environ['tsgi.signal'];
      startResponse('200 OK', [['content-type', 'text/plain']]);
      return (async function* () {
        yield scenario === 'excinfo-before' ? new Uint8Array(0) : new TextEncoder().encode('committed;');
        const error = new Error('inner failure');
        try {
          startResponse('500 Internal Server Error', [['content-type', 'text/plain']], error);
        } catch (thrown) {
          if (thrown !== error) throw thrown;
          return;
        }
        yield new TextEncoder().encode('error page');
      })();
    };
  }
  return async (environ, startResponse) => {
    seen.signal = environ['tsgi.signal'];
    // A disconnect needs a body that is still going: a 200 without a declared length.
    const held: ResponsePlan = { ...plan, status: '200 OK', style: 'async', headers: plan.headers.filter(([n]) => n.toLowerCase() !== 'content-length'), chunks: [new TextEncoder().encode('x'), ...plan.chunks] };
    const body = await bodyFromPlan(scenario === 'disconnect' ? held : plan, startResponse);
    if (scenario !== 'disconnect') return body;
    // Hold the body open after its first chunk until the caller goes away.
    const source = body as AsyncIterable<Uint8Array> & { close?: () => void };
    return {
      async *[Symbol.asyncIterator]() {
        for await (const chunk of source) {
          yield chunk;
          seen.firstChunk?.();
          // One hold per case: once the signal has aborted (or the case let go), the rest of
          // the body flows, for a middleware that goes on pulling after a disconnect.
          await (seen.held ??= new Promise<void>((resolve) => {
            seen.release = resolve;
            const signal = seen.signal;
            if (signal === undefined || signal.aborted) resolve();
            else signal.addEventListener('abort', () => resolve(), { once: true });
          }));
        }
      },
      close: () => source.close?.(),
    };
  };
}

/**
 * MW-8, checked while the case runs: once the caller's signal has aborted, the inner app's
 * must follow within 500 ms. If it does not, the held inner body is let go, so that the case
 * ends now instead of waiting out its timeout, and the hang that the broken signal would
 * cause is not counted again as MW-3.
 */
async function checkInnerSignal(seen: Seen, reporter: Reporter): Promise<void> {
  const signal = seen.signal;
  if (signal === undefined) return;
  await within(new Promise((resolve) => (signal.aborted ? resolve(undefined) : signal.addEventListener('abort', resolve, { once: true }))), 500, undefined);
  if (signal.aborted) return;
  reporter.report(violation({ clause: 'MW-8', party: 'middleware', subject: "the inner app's tsgi.signal", expectation: 'must abort when the signal the middleware received aborts' }));
  seen.release?.();
}

async function runCase(middleware: Middleware, input: MiddlewareCase, timeoutMs: number): Promise<Violation[]> {
  const outerReporter = Reporter.collecting();
  const innerReporter = Reporter.collecting();
  const outer: LintSession = createLint({ reporter: outerReporter, capabilities: CAPABILITIES, sides: { app: 'middleware' } });
  const inner: LintSession = createLint({ reporter: innerReporter, sides: { host: 'middleware' } });
  const seen: Seen = {};
  const controller = new AbortController();
  let signalCheck: Promise<void> | undefined;
  let ended = false;
  if (input.scenario === 'disconnect') {
    seen.firstChunk = () => {
      seen.firstChunk = undefined;
      setTimeout(() => {
        if (ended) return;
        controller.abort();
        signalCheck = checkInnerSignal(seen, innerReporter);
      }, 5);
    };
  }
  let composed: App;
  try {
    composed = outer.wrap(middleware(inner.wrap(innerApp(input, seen))));
  } catch (error) {
    return [violation({ clause: 'MW-1', party: 'middleware', subject: 'the middleware', expectation: 'must take an app and return an app, not throw', value: error })];
  }
  const run = callApp(composed, memoryRequestOf(input.request, input.scenario === 'disconnect' ? controller.signal : undefined));
  const outcome = await within(run.then(() => 'done' as const, (error: unknown) => error), timeoutMs, 'timeout' as const);
  ended = true;
  await signalCheck;
  if (outcome === 'timeout') {
    outerReporter.report(violation({ clause: 'MW-3', party: 'middleware', subject: 'the middleware', expectation: `must answer: nothing settled within ${timeoutMs} ms` }));
  }
  await outer.settle(200);
  await inner.settle(200);
  const found: Violation[] = [];
  for (const [reporter, face] of [[outerReporter, 'outer'], [innerReporter, 'inner']] as const) {
    for (const v of reporter.violations) {
      found.push(v);
      if (v.party !== 'middleware' || v.level !== 'must') continue;
      for (const clause of umbrella(v, face)) {
        if (clause !== v.clause) found.push({ ...v, clause, message: `[${clause}] ${v.message}` });
      }
    }
  }
  return found;
}

/**
 * Certifies a middleware: it sits between two lints, around generated apps (planned
 * responses, early disconnects, excInfo on both sides of the commit), driven by generated
 * requests. Whatever either lint reports against it fails the clause and the umbrella
 * middleware clause (MW-3 towards its caller, MW-4 towards its app).
 */
export async function certifyMiddleware(middleware: Middleware, options: CertifyMiddlewareOptions = {}): Promise<CertificationReport> {
  const started = Date.now();
  const runs = options.runs ?? 100;
  const seed = options.seed ?? randomSeed();
  const timeoutMs = options.timeoutMs ?? 5000;
  const ledger = new Ledger();
  const notes: string[] = [];
  const okShape = ledger.expect(typeof middleware === 'function', 'MW-1', 'middleware', 'the middleware', 'must be a function from app to app', middleware);
  const arbitrary = fc.record({
    request: requestArbitrary({ method: { registered: true }, ...options.requests }),
    plan: responsePlanArbitrary(),
    scenario: fc.constantFrom<Scenario>('plain', 'plain', 'plain', 'disconnect', 'excinfo-before', 'excinfo-after'),
  });
  let done = 0;
  const checked = [...new Set([...LINT_APP_CLAUSES, ...LINT_HOST_CLAUSES, ...MIDDLEWARE_CLAUSES])];
  const others = new Set<string>();
  const counterexample = okShape
    ? await runProperty(
        arbitrary,
        async (input, record) => {
          const found = await runCase(middleware, input, timeoutMs);
          const own = found.filter((v) => v.party === 'middleware');
          if (record) {
            options.onProgress?.(++done, runs, 'generated apps and requests');
            for (const v of own) ledger.fail(v);
            for (const clause of checked) if (!own.some((v) => v.clause === clause)) ledger.pass(clause);
            for (const v of found) if (v.party !== 'middleware') others.add(v.clause);
          }
          return own;
        },
        { runs, seed, shrink: options.shrink !== false },
      )
    : undefined;
  if (others.size) notes.push(`the generated apps or the in-memory host broke ${[...others].join(', ')} (a bug of the suite, not of the middleware)`);
  const clauses = ledger.results();
  return {
    kind: 'middleware',
    target: 'memory',
    ok: clauses.every((c) => c.status !== 'failed') && counterexample === undefined,
    seed,
    runs,
    durationMs: Date.now() - started,
    clauses,
    violations: clauses.flatMap((c) => c.violations),
    counterexample,
    notes,
  };
}
