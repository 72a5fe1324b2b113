import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Capability } from '@tsgi/interface';
import type { ErrorsTap } from '../probes/errors-tap.js';
import type { ProbeCase, ProbeRegistry } from '../probes/registry.js';
import type { Violation } from '../violation.js';
import { decode, encode } from './codec.js';
import type { CaseReport, CaseSpec, EventBatch, HostEvent } from './protocol.js';

export interface ControlTargets {
  registry: ProbeRegistry;
  tap: ErrorsTap;
  capabilities: readonly Capability[];
  onViolation: (violation: Violation) => void;
}

/**
 * The suite's end of the remote probe protocol: serves each case to the probe app inside the
 * host, applies what the probe app reports to the suite's copy of the case, and answers a
 * gate's long poll once the gate opens. Listens on loopback only.
 */
export class ControlServer {
  /** Rejections the host let go unhandled, as reported, in order. */
  readonly unhandled: string[] = [];
  /** When the last report arrived (to wait for quiet at the end of a run). */
  lastReportAt = 0;
  readonly #server: http.Server;
  readonly #targets: ControlTargets;
  readonly #waiting = new Set<http.ServerResponse>();
  readonly #signals = new WeakMap<ProbeCase, AbortController>();
  readonly #reportedAt = new WeakMap<ProbeCase, number>();
  readonly #returned = new WeakSet<ProbeCase>();
  /** Event batches applied: a batch sent again after a failed attempt counts once. */
  readonly #batches = new Set<string>();

  private constructor(targets: ControlTargets) {
    this.#targets = targets;
    this.#server = http.createServer((req, res) => this.#handle(req, res));
    this.#server.keepAliveTimeout = 60_000;
  }

  static async start(targets: ControlTargets, host = '127.0.0.1'): Promise<ControlServer> {
    const control = new ControlServer(targets);
    await new Promise<void>((resolve, reject) => {
      control.#server.once('error', reject);
      control.#server.listen(0, host, () => resolve());
    });
    return control;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Waits until no report has arrived for `quietMs` (at most `maxMs`), so late reports count. */
  async quiet(quietMs: number, maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline && Date.now() - this.lastReportAt < quietMs) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /**
   * Waits until the case has finished, or its probe's call returned and it has sent nothing
   * since for `quietMs` (a case that never finishes: a hang, a host that never releases), at
   * most `maxMs`.
   */
  async settled(c: ProbeCase, quietMs: number, maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    const since = Date.now();
    // Quiet counts only once the probe's call returned: what it records on the way (the
    // environ, the body read) may be late on a loaded machine, but it comes before that.
    const quiet = () => this.#returned.has(c) && Date.now() - Math.max(since, this.#reportedAt.get(c) ?? 0) >= quietMs;
    while (!c.finished.settled && Date.now() < deadline && !quiet()) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    for (const res of this.#waiting) res.writeHead(410).end();
    this.#waiting.clear();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const parts = (req.url ?? '').split('/').map((part) => decodeURIComponent(part));
    const { registry } = this.#targets;
    if (req.method === 'GET' && parts[1] === 'case' && parts.length === 3) {
      const c = registry.get(parts[2]);
      if (!c) return void res.writeHead(404).end();
      // Each fetch of a case is one call of the app for its request (HOST-3).
      c.calls++;
      const spec: CaseSpec = { kind: c.kind, notes: c.notes, plan: c.plan, readPattern: c.readPattern, capabilities: [...this.#targets.capabilities] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(encode(spec));
      return;
    }
    if (req.method === 'GET' && parts[1] === 'case' && parts[3] === 'gate' && parts.length === 5) {
      const c = registry.get(parts[2]);
      if (!c) return void res.writeHead(404).end();
      this.#waiting.add(res);
      res.once('close', () => this.#waiting.delete(res));
      void c.gate(parts[4]!).promise.then(() => {
        if (this.#waiting.delete(res)) res.writeHead(200).end();
      });
      return;
    }
    if (req.method === 'POST' && parts[1] === 'case' && parts.length === 3) {
      return void this.#body(req, res, (value) => {
        const c = registry.get(parts[2]);
        if (c) this.#apply(c, value as CaseReport);
      });
    }
    if (req.method === 'POST' && parts[1] === 'event' && parts.length === 2) {
      return void this.#body(req, res, (value) => {
        const batch = value as EventBatch;
        if (this.#batches.has(batch.id)) return;
        this.#batches.add(batch.id);
        for (const event of batch.events) this.#event(event);
      });
    }
    res.writeHead(404).end();
  }

  #body(req: http.IncomingMessage, res: http.ServerResponse, apply: (value: unknown) => void): void {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => {
      this.lastReportAt = Date.now();
      try {
        apply(decode(Buffer.concat(parts).toString('utf8')));
        res.writeHead(204).end();
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
      }
    });
  }

  #apply(c: ProbeCase, report: CaseReport): void {
    this.#reportedAt.set(c, Date.now());
    c.pulls = report.pulls;
    c.returnCalls = report.returnCalls;
    c.closeCalls = report.closeCalls;
    c.registry.inFlight = report.inFlight;
    c.registry.maxInFlight = Math.max(c.registry.maxInFlight, report.inFlight);
    if ('environ' in report) c.environ = report.environ;
    if ('bodyRead' in report) c.bodyRead = report.bodyRead;
    if ('inputError' in report) c.inputError = report.inputError;
    if (report.signal) {
      let controller = this.#signals.get(c);
      if (!controller) {
        controller = new AbortController();
        this.#signals.set(c, controller);
        c.signal = controller.signal;
      }
      if (report.signal.aborted) controller.abort();
    }
    if (report.notes) Object.assign(c.notes, report.notes);
    // Chunks the suite has already (a report sent again) are not added twice.
    if (report.yielded) c.yielded.push(...report.yielded.slice(Math.max(0, c.yielded.length - (report.yieldedFrom ?? c.yielded.length))));
    for (const name of report.opened ?? []) c.open(name);
    if (report.finished) c.finished.resolve();
    if (report.returned) this.#returned.add(c);
  }

  #event(event: HostEvent): void {
    const { tap, registry, onViolation } = this.#targets;
    switch (event.t) {
      case 'errors':
        tap.lines.push(event.text);
        break;
      case 'blind':
        tap.blind = true;
        break;
      case 'violation':
        onViolation(event.violation as Violation);
        break;
      case 'stray':
        registry.strays++;
        break;
      case 'unhandled':
        this.unhandled.push(String(event.reason));
        break;
    }
  }
}
