import { CAPABILITIES, type App, type Capability, type HostInfo } from '@tsgi/interface';
import type { RequestOptions } from '../arbitraries/request.js';
import type { Driver } from '../drivers/driver.js';
import { HttpDriver } from '../drivers/http-driver.js';
import { MemoryDriver } from '../drivers/memory-driver.js';
import { createLint } from '../lint/lint.js';
import { within } from '../probes/deferred.js';
import { ErrorsTap } from '../probes/errors-tap.js';
import { createProbeApp } from '../probes/probe-app.js';
import { ProbeRegistry } from '../probes/registry.js';
import { ControlServer } from '../remote/control-server.js';
import { caseId } from '../remote/protocol.js';
import { createRemoteProbeApp } from '../remote/remote-app.js';
import { Reporter } from '../reporter.js';
import type { Violation } from '../violation.js';
import { EDGE_CASES, runGenerated } from './generated-run.js';
import { Ledger } from './ledger.js';
import type { CertificationReport } from './report.js';
import { CheckContext } from './server-checks/context.js';
import { FINAL_CHECKS, SERVER_CHECKS, type ServerCheck } from './server-checks/index.js';
import { randomSeed } from './seed.js';

/** Where a remote probe app reports to (`probes: 'remote'`): pass it on to a host in another process if it cannot reach the suite at 127.0.0.1. */
export interface RemoteProbeInfo {
  control: string;
}

/** An HTTP host under test: started with the probe app, it answers on `url` until closed. */
export type HttpHostFactory = (app: App, remote?: RemoteProbeInfo) => Promise<{ url: string; close: () => void | Promise<void> }> | { url: string; close: () => void | Promise<void> };
/** A Lambda or fetch host under test: turns the probe app into the platform's handler. */
export type HandlerHostFactory = (app: App, remote?: RemoteProbeInfo) => unknown;

export interface CertifyServerOptions {
  /** How the host is reached (default `http`); `memory` certifies the in-memory host (`callApp`). */
  kind?: 'http' | 'lambda' | 'fetch' | 'memory';
  /** What the host advertises; decides which checks apply. Defaults to `factory.capabilities` or `host.capabilities`. */
  capabilities?: readonly Capability[];
  host?: HostInfo;
  /** Generated requests (default 100). */
  runs?: number;
  seed?: number;
  /** Shrink a failing generated case (default true). */
  shrink?: boolean;
  /** Most time one response may take, in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Narrows the generated requests (for platforms that cannot carry some). */
  requests?: RequestOptions;
  /** Builds the driver for `lambda` and `fetch` hosts (see drivers), given the handler; for `http` hosts it is optional and gets the URL (`(url) => new FetchHttpDriver(url)` for a fetch host on a runtime's HTTP server). */
  driver?: (handler: unknown) => Driver;
  /** Called as the run progresses: `done` of `total` steps. */
  onProgress?: (done: number, total: number, label: string) => void;
  /** Hears of each violation as it is found. */
  onViolation?: (violation: Violation) => void;
  /**
   * Where the probe app runs. `local` (default): in this process, handed to the factory.
   * `remote`: in the host's own process or runtime (the pre-fork host, Bun, Deno, workerd),
   * which serves `createRemoteProbeApp()` (or `@tsgi/conformance/probe-app`); the probe app
   * reports to a control endpoint the suite opens on 127.0.0.1. The factory still gets a
   * probe app (a remote one, usable in this process) and the control endpoint's URL.
   */
  probes?: 'local' | 'remote';
  /** Stops the run: the checks not yet run are reported as not checked. */
  signal?: AbortSignal;
}

const DEFAULT_REQUESTS: Record<'http' | 'lambda' | 'fetch' | 'memory', RequestOptions> = {
  memory: { method: { registered: true, hostile: true } },
  http: { method: { registered: true }, target: { rawHighBytes: true } },
  lambda: { chunked: false, target: { hostile: true } },
  fetch: { chunked: false, target: { hostile: true } },
};

/**
 * Certifies a host: starts it with the suite's probe app, drives it with the fixed probes
 * and with generated requests, and reports every clause as passed, failed, not applicable
 * (a capability the host does not advertise) or not checked (and why).
 */
export async function certifyServer(factory: HttpHostFactory | HandlerHostFactory, options: CertifyServerOptions = {}): Promise<CertificationReport> {
  const started = Date.now();
  const kind = options.kind ?? 'http';
  const runs = options.runs ?? 100;
  const seed = options.seed ?? randomSeed();
  const timeoutMs = options.timeoutMs ?? 5000;
  const declared = options.capabilities ?? options.host?.capabilities ?? (factory as { capabilities?: readonly Capability[] }).capabilities ?? [];
  const capabilities = new Set<Capability>(declared);
  const ledger = new Ledger(options.onViolation);
  const notes: string[] = [];
  for (const name of declared) {
    ledger.host(CAPABILITIES.includes(name), 'HOST-1', 'the advertised capabilities', `must be names from the table (${CAPABILITIES.join(', ')})`, name);
  }
  const strictReporter = Reporter.collecting({ onViolation: options.onViolation });
  const tolerantReporter = Reporter.collecting({ parties: ['host'], onViolation: options.onViolation });
  const strict = createLint({ reporter: strictReporter, capabilities: declared });
  const tolerant = createLint({ reporter: tolerantReporter, capabilities: declared });
  const tap = new ErrorsTap();
  let control: ControlServer | undefined;
  let registry: ProbeRegistry;
  let app: App;
  if (options.probes === 'remote') {
    registry = new ProbeRegistry((n) => caseId(n, control!.port));
    control = await ControlServer.start({ registry, tap, capabilities: declared, onViolation: (v) => strictReporter.report(v) });
    app = createRemoteProbeApp({ control: control.url });
  } else {
    registry = new ProbeRegistry();
    app = createProbeApp({ registry, strict, tolerant, tap });
  }
  const remote = control ? { control: control.url } : undefined;

  let driver: Driver;
  let closeHost: () => void | Promise<void> = () => {};
  if (kind === 'http') {
    const host = await (factory as HttpHostFactory)(app, remote);
    driver = options.driver ? options.driver(host.url) : new HttpDriver(host.url);
    closeHost = host.close;
  } else if (kind === 'memory' && !options.driver) {
    driver = new MemoryDriver((await (factory as HandlerHostFactory)(app, remote)) as App);
  } else {
    if (!options.driver) throw new TypeError(`certifyServer: kind '${kind}' needs options.driver (lambdaDriver or fetchDriver)`);
    driver = options.driver(await (factory as HandlerHostFactory)(app, remote));
  }
  let hostClosed = false;
  const closeOnce = async () => {
    if (hostClosed) return;
    hostClosed = true;
    await closeHost();
  };
  const ctx = new CheckContext(driver, registry, tap, ledger, capabilities, timeoutMs, kind === 'http' ? closeOnce : undefined, control);
  const total = SERVER_CHECKS.length + FINAL_CHECKS.length + runs + EDGE_CASES.length;
  let done = 0;
  const progress = (label: string) => options.onProgress?.(++done, total, label);
  let counterexample: CertificationReport['counterexample'];
  try {
    const runCheck = async (check: ServerCheck) => {
      if (options.signal?.aborted) {
        ctx.skip(check.clauses, 'not-checked', 'the run was stopped');
        progress(check.name);
        return;
      }
      const missing = (check.capabilities ?? []).filter((cap) => !capabilities.has(cap));
      const unsupported = (check.features ?? []).filter((feature) => !driver.features[feature]);
      if (missing.length) {
        ctx.skip(check.clauses, 'not-applicable', `the host does not advertise ${missing.join(', ')}`);
        notes.push(`not applicable: ${check.name} (${check.clauses.join(', ')}): the host does not advertise ${missing.join(', ')}`);
      } else if (unsupported.length || (check.drivers && !check.drivers.includes(driver.kind))) {
        ctx.skip(check.clauses, 'not-checked', `the ${driver.label} driver cannot express it`);
        notes.push(`not checked: ${check.name} (${check.clauses.join(', ')}): the ${driver.label} driver cannot express it`);
      } else {
        const failedBefore = new Set(ledger.results().filter((r) => r.status === 'failed').map((r) => r.clause));
        try {
          await check.run(ctx);
        } catch (error) {
          ledger.host(false, check.clauses[0]!, check.name, 'must complete', error instanceof Error ? error.message : error);
        }
        // A capability the host advertises but does not provide breaks HOST-2 as well.
        for (const capability of check.capabilities ?? []) {
          const broken = ledger.results().filter((r) => check.clauses.includes(r.clause) && r.status === 'failed' && !failedBefore.has(r.clause));
          ledger.host(broken.length === 0, 'HOST-2', `the advertised capability ${capability}`, `must hold for every request; ${check.name} failed`, broken.map((r) => r.clause).join(', '));
        }
      }
      progress(check.name);
    };
    for (const check of SERVER_CHECKS) await runCheck(check);
    counterexample = await runGenerated(ctx, ledger, {
      runs,
      seed,
      shrink: options.shrink ?? true,
      request: options.requests ?? DEFAULT_REQUESTS[kind],
      onCase: () => progress('generated requests'),
      signal: options.signal,
    });
    for (const check of FINAL_CHECKS) await runCheck(check);
  } finally {
    // Reports of a remote probe app still on their way count.
    await control?.quiet(100, 2000);
    await strict.settle(Math.min(2000, timeoutMs));
    await tolerant.settle(Math.min(2000, timeoutMs));
    await driver.close();
    const closed = await within(closeOnce().then(() => true), Math.max(timeoutMs, 2000), false);
    if (!closed) notes.push(`the host's close() did not resolve within ${Math.max(timeoutMs, 2000)} ms`);
    await control?.close();
  }
  for (const v of [...strictReporter.violations, ...tolerantReporter.violations]) ledger.fail(v);
  if (registry.strays > 0) notes.push(`${registry.strays} request(s) reached the app without a probe case (the host mangled x-tsgi-probe-id?)`);
  if (options.signal?.aborted) notes.push('the run was stopped before it ended: the checks it did not reach are not checked');
  if (tap.blind) notes.push('tsgi.errors could not be observed: checks of what the host reports there were skipped');
  const clauses = ledger.results();
  const violations = clauses.flatMap((c) => c.violations);
  return {
    kind: 'server',
    target: driver.label,
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
