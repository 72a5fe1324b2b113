/**
 * What a remote probe app and the suite's control endpoint say to each other. The probe app
 * runs inside the host under test (another process, another runtime); the suite keeps the
 * cases. A case id carries the control endpoint's port (`17@40123`), so a probe app needs no
 * configuration when the suite listens on the same machine's loopback.
 */
import type { Capability } from '@tsgi/interface';
import type { ResponsePlan } from '../arbitraries/response.js';
import type { EnvironSnapshot } from '../probes/environ-snapshot.js';
import type { ReadPattern } from '../probes/registry.js';

/** GET /case/ID: what the probe app must do for a case (and the app call it counts). */
export interface CaseSpec {
  kind: string;
  notes: Record<string, unknown>;
  plan: ResponsePlan | undefined;
  readPattern: ReadPattern | undefined;
  /** The host's declared capabilities, for the lint inside the probe app. */
  capabilities: Capability[];
}

/** POST /case/ID: what a case saw and did since the last report. */
export interface CaseReport {
  pulls: number;
  returnCalls: number;
  closeCalls: number;
  /** Concurrency probes in progress in the probe app's realm (HOST-4). */
  inFlight: number;
  environ?: EnvironSnapshot;
  bodyRead?: Uint8Array;
  inputError?: unknown;
  signal?: { aborted: boolean };
  /** Notes whose value changed. */
  notes?: Record<string, unknown>;
  /** Chunks yielded since the last report, each with its copy taken when yielded. */
  yielded?: Array<[Uint8Array, Uint8Array]>;
  /** Gates the probe app opened. */
  opened?: string[];
  finished?: boolean;
  /** The probe's call returned (or threw): what it recorded on the way is in this report or an earlier one. */
  returned?: boolean;
  /** The index of the first of `yielded` among all the case's chunks: a report sent twice adds them once. */
  yieldedFrom?: number;
}

/**
 * POST /event. `id` names the batch, so one sent again after a failed attempt (which may have
 * arrived all the same) is applied once.
 */
export interface EventBatch {
  id: string;
  events: HostEvent[];
}

/** How often, and after how long, a report or event batch whose POST failed is sent again. */
export const REPORT_RETRIES = 5;
export const REPORT_RETRY_MS = 25;

/** What belongs to no case (sent in an EventBatch). */
export type HostEvent =
  | { t: 'errors'; text: string }
  | { t: 'blind' }
  | { t: 'violation'; violation: { clause: string; level: 'must' | 'should'; party: 'app' | 'host' | 'middleware'; subject: string; message: string; value?: unknown } }
  | { t: 'stray' }
  | { t: 'unhandled'; reason: unknown };

/**
 * The longest a case in progress goes without looking for changes to report: the suite
 * takes a case that has been quiet for a few of these as having reported everything.
 */
export const MAX_POLL_MS = 40;

/** A case id: the case's number and the control endpoint's port. */
export function caseId(n: number, port: number): string {
  return `${n}@${port}`;
}

/** The port of the control endpoint a case id names, or undefined. */
export function controlPortOf(id: string): number | undefined {
  const match = /^\d+@(\d{1,5})$/.exec(id);
  return match ? Number(match[1]) : undefined;
}
