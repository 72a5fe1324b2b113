import type { App, Capability, StartResponse } from '@tsgi/interface';
import { createLint, type LintSession } from '../lint/lint.js';
import { ErrorsTap } from '../probes/errors-tap.js';
import { PROBES } from '../probes/probe-app.js';
import type { Probe } from '../probes/probe.js';
import { ProbeCase, ProbeRegistry } from '../probes/registry.js';
import type { Deferred } from '../probes/deferred.js';
import { Reporter } from '../reporter.js';
import type { Violation } from '../violation.js';
import { decode, encode } from './codec.js';
import { controlPortOf, MAX_POLL_MS, REPORT_RETRIES, REPORT_RETRY_MS, type CaseReport, type CaseSpec, type EventBatch, type HostEvent } from './protocol.js';

export interface RemoteProbeAppOptions {
  /**
   * Base URL of the suite's control endpoint (`http://10.0.0.2:40123`). By default the probe
   * app reaches `http://127.0.0.1:PORT`, with the port taken from each request's case id.
   */
  control?: string;
  /** How often a case in progress reports what changed, in milliseconds (default 10). */
  pollMs?: number;
  /** How long a finished case keeps reporting (a signal that aborts later, work after the response), in milliseconds (default 2000). */
  lingerMs?: number;
}

/** How long a case reports at most. */
const MAX_CASE_MS = 60_000;

const NOT_FOUND = new TextEncoder().encode('no such probe case\n');

/** Runs `fn` after `ms` without keeping the process alive for it. */
function later(fn: () => void, ms: number): void {
  const timer = setTimeout(fn, ms);
  (timer as { unref?(): void }).unref?.();
}

/**
 * The suite's probe app for a host that runs in another process or runtime (the pre-fork
 * host, Bun, Deno, workerd): serve it on the host under test and certify the host with
 * `certifyServer(factory, { probes: 'remote' })`. For each request it fetches the case from
 * the suite, runs the probe under the lint, and reports what the probe saw and did (the
 * environ, the body read, pulls and releases, chunks, notes, gates), what the host wrote to
 * `tsgi.errors`, lint findings and unhandled rejections, over loopback HTTP.
 */
export function createRemoteProbeApp(options: RemoteProbeAppOptions = {}): App {
  const pollMs = options.pollMs ?? 10;
  const lingerMs = options.lingerMs ?? 2000;
  const registry = new ProbeRegistry();
  const lints = new Map<string, { strict: LintSession; tolerant: LintSession }>();
  let lastBase = options.control?.replace(/\/+$/, '');
  const events: HostEvent[] = [];
  let eventsQueued = false;
  let blindSent = false;

  /** True once the suite took the report; false when the POST failed (the suite may still have it). */
  const post = (url: string, body: string): Promise<boolean> =>
    fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } }).then(
      (response) => {
        void response.body?.cancel();
        return response.ok;
      },
      () => false,
    );
  let batches = 0;
  const batchPrefix = Math.random().toString(36).slice(2);
  const event = (e: HostEvent) => {
    if (lastBase === undefined) return;
    events.push(e);
    if (eventsQueued) return;
    eventsQueued = true;
    const base = lastBase;
    queueMicrotask(() => {
      eventsQueued = false;
      const batch: EventBatch = { id: `${batchPrefix}-${batches++}`, events: events.splice(0) };
      const body = encode(batch);
      const send = (attempt: number): void => {
        void post(`${base}/event`, body).then((ok) => {
          if (!ok && attempt < REPORT_RETRIES) later(() => send(attempt + 1), REPORT_RETRY_MS * 2 ** attempt);
        });
      };
      send(0);
    });
  };
  const tap = new ErrorsTap((text) => event({ t: 'errors', text }));
  // Rejections the host leaves unhandled (HOST-28) are listened for only while a case that
  // hands work to tsgi.wait_until is in progress: the host's own behaviour is left alone.
  const onUnhandled = (reason: unknown) => event({ t: 'unhandled', reason: reason instanceof Error ? reason.message : String(reason) });
  const onRejectionEvent = (e: { reason: unknown; preventDefault(): void }) => {
    e.preventDefault();
    onUnhandled(e.reason);
  };
  type Listening = { on?(name: string, listener: (reason: unknown) => void): unknown; off?(name: string, listener: (reason: unknown) => void): unknown };
  type Global = { process?: Listening; addEventListener?(name: string, listener: typeof onRejectionEvent): void; removeEventListener?(name: string, listener: typeof onRejectionEvent): void };
  let watching = 0;
  const watchUnhandled = (until: Promise<void>) => {
    const g = globalThis as Global;
    const viaProcess = typeof g.process?.on === 'function' && typeof g.process.off === 'function';
    if (watching++ === 0) {
      if (viaProcess) g.process!.on!('unhandledRejection', onUnhandled);
      else g.addEventListener?.('unhandledrejection', onRejectionEvent);
    }
    void until.then(() => {
      if (--watching > 0) return;
      if (viaProcess) g.process!.off!('unhandledRejection', onUnhandled);
      else g.removeEventListener?.('unhandledrejection', onRejectionEvent);
    });
  };

  const lintsFor = (base: string, capabilities: readonly Capability[]) => {
    const key = `${base} ${capabilities.join(',')}`;
    let pair = lints.get(key);
    if (!pair) {
      const onViolation = (violation: Violation) => event({ t: 'violation', violation });
      pair = {
        strict: createLint({ reporter: Reporter.collecting({ onViolation, keepPerClause: 0 }), capabilities, track: false }),
        tolerant: createLint({ reporter: Reporter.collecting({ onViolation, keepPerClause: 0, parties: ['host'] }), capabilities, track: false }),
      };
      lints.set(key, pair);
    }
    return pair;
  };

  const stray = (startResponse: StartResponse) => {
    event({ t: 'stray' });
    startResponse('404 Not Found', [['content-type', 'text/plain'], ['content-length', String(NOT_FOUND.length)]]);
    return [NOT_FOUND];
  };

  return (environ, startResponse) => {
    const env = environ as unknown as Record<string, unknown>;
    const id = env.HTTP_X_TSGI_PROBE_ID;
    const port = typeof id === 'string' ? controlPortOf(id) : undefined;
    const base = options.control?.replace(/\/+$/, '') ?? (port === undefined ? undefined : `http://127.0.0.1:${port}`);
    if (base) lastBase = base;
    tap.tap(env['tsgi.errors']);
    if (tap.blind && !blindSent) {
      blindSent = true;
      event({ t: 'blind' });
    }
    if (!base || typeof id !== 'string') return stray(startResponse);
    return (async () => {
      let spec: CaseSpec | undefined;
      try {
        const response = await fetch(`${base}/case/${encodeURIComponent(id)}`);
        if (response.ok) spec = decode(await response.text()) as CaseSpec;
        else await response.body?.cancel();
      } catch {
        // The suite is gone or unreachable: answered as a stray below.
      }
      const probe = spec ? (PROBES as Record<string, Probe>)[spec.kind] : undefined;
      if (!spec || !probe) return stray(startResponse);
      const c = new RemoteCase(id, spec, registry, base, post, pollMs, lingerMs);
      if (spec.kind === 'wait-until') watchUnhandled(c.done);
      // On platforms that end a request's I/O with its response (workerd), the reports need time.
      if (env['fetch.ctx'] !== undefined && typeof env['tsgi.wait_until'] === 'function') (env['tsgi.wait_until'] as (p: Promise<void>) => void)(c.done);
      const { strict, tolerant } = lintsFor(base, spec.capabilities);
      const run: App = (e, s) => {
        try {
          const body = probe.run(e, s, c);
          if (body instanceof Promise) return body.finally(() => c.returned());
          c.returned();
          return body;
        } catch (error) {
          c.returned();
          throw error;
        }
      };
      return (probe.breaksAppRules ? tolerant : strict).wrap(run)(environ, startResponse);
    })();
  };
}

/** A probe case inside the host: reports each change to the suite's copy of the case. */
class RemoteCase extends ProbeCase {
  readonly done: Promise<void>;
  readonly #url: string;
  readonly #post: (url: string, body: string) => Promise<boolean>;
  readonly #watched = new Set<string>();
  readonly #opened: string[] = [];
  #sentNotes = new Map<string, string>();
  #sent: { counts: string; environ: unknown; bodyRead: unknown; inputError: unknown; aborted: boolean | undefined; yielded: number; finished: boolean; returned: boolean } = {
    counts: '',
    environ: undefined,
    bodyRead: undefined,
    inputError: undefined,
    aborted: undefined,
    yielded: 0,
    finished: false,
    returned: false,
  };
  #returned = false;
  #posting = false;
  #again = false;
  #failures = 0;
  #listening: AbortSignal | undefined;

  constructor(id: string, spec: CaseSpec, registry: ProbeRegistry, base: string, post: (url: string, body: string) => Promise<boolean>, pollMs: number, lingerMs: number) {
    super(id, spec.kind, registry);
    Object.assign(this.notes, spec.notes);
    for (const [key, value] of Object.entries(spec.notes)) this.#sentNotes.set(key, encode(value));
    this.plan = spec.plan;
    this.readPattern = spec.readPattern;
    this.#url = `${base}/case/${encodeURIComponent(id)}`;
    this.#post = post;
    // Polls for changes no event announces (pulls, notes, the body read): often while things
    // change, less often while nothing does; stops once the case has finished and lingered.
    const started = Date.now();
    this.done = new Promise<void>((resolve) => {
      let finishedAt: number | undefined;
      let wait = pollMs;
      const tick = () => {
        const sent = this.report();
        if (this.finished.settled) finishedAt ??= Date.now();
        const now = Date.now();
        if (((finishedAt !== undefined && now - finishedAt >= lingerMs) || now - started >= MAX_CASE_MS) && !this.#posting) return resolve();
        wait = sent ? pollMs : Math.min(wait * 2, MAX_POLL_MS);
        later(tick, wait);
      };
      tick();
    });
    void this.finished.promise.then(() => this.report());
  }

  /** The probe's call is over: the suite may stop waiting for this case once it goes quiet. */
  returned(): void {
    this.#returned = true;
    this.report();
  }

  override gate(name: string): Deferred {
    const fresh = !this.#watched.has(name);
    this.#watched.add(name);
    const gate = super.gate(name);
    if (fresh && !gate.settled) {
      // The probe is about to wait: the suite must see everything up to here first.
      this.report();
      fetch(`${this.#url}/gate/${encodeURIComponent(name)}`).then(
        (response) => {
          if (response.status === 200) gate.resolve();
          return response.body?.cancel();
        },
        () => {},
      );
    }
    return gate;
  }

  override open(name: string): void {
    this.#watched.add(name);
    this.#opened.push(name);
    super.open(name);
    this.report();
  }

  /** Sends what changed since the last report (true if it did); one report in flight at a time, in order. */
  report(): boolean {
    if (this.#posting) {
      this.#again = true;
      return true;
    }
    const sent = { ...this.#sent };
    const sentNotes = new Map(this.#sentNotes);
    const delta = this.#delta();
    if (!delta) return false;
    this.#posting = true;
    void this.#post(this.#url, encode(delta)).then((ok) => {
      this.#posting = false;
      if (!ok) {
        // Not taken: what it carried counts as unsent, and goes again with what changed since.
        this.#sent = sent;
        this.#sentNotes = sentNotes;
        this.#opened.unshift(...(delta.opened ?? []));
        if (this.#failures < REPORT_RETRIES) later(() => this.report(), REPORT_RETRY_MS * 2 ** this.#failures++);
        return;
      }
      this.#failures = 0;
      if (this.#again) {
        this.#again = false;
        this.report();
      }
    });
    return true;
  }

  #delta(): CaseReport | undefined {
    if (this.signal && this.#listening !== this.signal) {
      this.#listening = this.signal;
      this.signal.addEventListener?.('abort', () => this.report());
    }
    const sent = this.#sent;
    const report: CaseReport = { pulls: this.pulls, returnCalls: this.returnCalls, closeCalls: this.closeCalls, inFlight: this.registry.inFlight };
    const counts = `${report.pulls} ${report.returnCalls} ${report.closeCalls} ${report.inFlight}`;
    let changed = counts !== sent.counts;
    sent.counts = counts;
    if (this.environ !== sent.environ) {
      report.environ = sent.environ = this.environ;
      changed = true;
    }
    if (this.bodyRead !== sent.bodyRead) {
      report.bodyRead = sent.bodyRead = this.bodyRead;
      changed = true;
    }
    if (this.inputError !== sent.inputError) {
      report.inputError = sent.inputError = this.inputError;
      changed = true;
    }
    const aborted = this.signal?.aborted;
    if (aborted !== sent.aborted && aborted !== undefined) {
      report.signal = { aborted };
      sent.aborted = aborted;
      changed = true;
    }
    for (const [key, value] of Object.entries(this.notes)) {
      const text = encode(value);
      if (this.#sentNotes.get(key) === text) continue;
      this.#sentNotes.set(key, text);
      (report.notes ??= {})[key] = value;
      changed = true;
    }
    // Chunks go once the body is released: a host that changes a chunk after sending it is caught (BODY-13).
    if (this.yielded.length > sent.yielded && (this.closeCalls > 0 || this.finished.settled)) {
      report.yielded = this.yielded.slice(sent.yielded);
      report.yieldedFrom = sent.yielded;
      sent.yielded = this.yielded.length;
      changed = true;
    }
    if (this.#opened.length) {
      report.opened = this.#opened.splice(0);
      changed = true;
    }
    if (this.finished.settled && !sent.finished) {
      report.finished = sent.finished = true;
      changed = true;
    }
    if (this.#returned && !sent.returned) {
      report.returned = sent.returned = true;
      changed = true;
    }
    return changed ? report : undefined;
  }
}
