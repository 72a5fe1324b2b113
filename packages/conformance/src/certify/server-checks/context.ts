import type { Capability } from '@tsgi/interface';
import type { Driver } from '../../drivers/driver.js';
import { headerValues, type WireRequest, type WireResponse } from '../../drivers/wire.js';
import type { ErrorsTap } from '../../probes/errors-tap.js';
import type { ProbeKind } from '../../probes/probe-app.js';
import { PROBE_ID_HEADER, type ProbeCase, type ProbeRegistry } from '../../probes/registry.js';
import type { ControlServer } from '../../remote/control-server.js';
import { MAX_POLL_MS } from '../../remote/protocol.js';
import type { Party } from '../../violation.js';
import type { Ledger } from '../ledger.js';

/** Everything a server check needs: the driver, the probe cases, and the ledger. */
export class CheckContext {
  constructor(
    readonly driver: Driver,
    readonly registry: ProbeRegistry,
    readonly tap: ErrorsTap,
    readonly ledger: Ledger,
    readonly capabilities: ReadonlySet<Capability>,
    /** Most time one response may take, in milliseconds. */
    readonly timeoutMs: number,
    /** The host's graceful shutdown, for the last check (HOST-30, HOST-32); undefined where the platform owns it. */
    readonly closeHost?: () => Promise<void>,
    /** The control endpoint of a remote probe app (`probes: 'remote'`). */
    readonly remote?: ControlServer,
  ) {}

  has(capability: Capability): boolean {
    return this.capabilities.has(capability);
  }

  newCase(kind: ProbeKind, notes: Record<string, unknown> = {}): ProbeCase {
    const c = this.registry.create(kind);
    Object.assign(c.notes, notes);
    return c;
  }

  /** A request for a probe case: GET /probe/KIND with the case id header, unless told otherwise. */
  request(c: ProbeCase, init: Partial<WireRequest> = {}): WireRequest {
    const body = init.body ?? new Uint8Array(0);
    return {
      method: init.method ?? 'GET',
      target: init.target ?? `/probe/${c.kind}`,
      headers: [[PROBE_ID_HEADER, c.id], ...(init.headers ?? [])],
      body,
      chunks: init.chunks ?? (body.length ? [body] : []),
      framing: init.framing ?? (body.length ? 'length' : 'none'),
    };
  }

  /** Sends a probe request and reads the whole response. */
  async send(c: ProbeCase, init: Partial<WireRequest> = {}): Promise<WireResponse> {
    const response = await this.driver.open(this.request(c, init)).readAll(this.timeoutMs);
    await this.reported(c);
    return response;
  }

  /**
   * How long to wait for something the probe app records (a release, an abort, a line on
   * `tsgi.errors`): `ms` with probes in this process; with a remote probe app, whose reports
   * cross a socket and may queue behind others on a loaded machine, the whole response
   * timeout. A compliant host ends the wait as soon as the report arrives.
   */
  patience(ms: number): number {
    return this.remote ? this.timeoutMs : Math.min(ms, this.timeoutMs);
  }

  /**
   * A remote probe app reports over its own connection, so its last report may arrive after
   * the response: once the app was called, wait for the case to finish, or to go quiet for
   * a few of the probe app's slowest polls.
   */
  async reported(c: ProbeCase): Promise<void> {
    if (this.remote && c.calls > 0) await this.remote.settled(c, 4 * MAX_POLL_MS, this.patience(1000));
  }

  /** Starts collecting the rejections the host leaves unhandled; `stop()` returns them. */
  watchUnhandled(): { stop(): unknown[] } {
    if (this.remote) {
      const remote = this.remote;
      const mark = remote.unhandled.length;
      return { stop: () => remote.unhandled.slice(mark) };
    }
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    return {
      stop: () => {
        process.off('unhandledRejection', listener);
        return unhandled;
      },
    };
  }

  /** Records one check against the host. */
  expect(ok: boolean, clause: string, subject: string, expectation: string, ...value: [] | [unknown]): boolean {
    return this.ledger.expect(ok, clause, 'host' as Party, subject, expectation, ...value);
  }

  skip(clauses: readonly string[], status: 'not-applicable' | 'not-checked', reason: string): void {
    for (const clause of clauses) this.ledger.skip(clause, status, reason);
  }

  header(response: Pick<WireResponse, 'headers'>, name: string): string[] {
    return headerValues(response.headers, name);
  }
}
