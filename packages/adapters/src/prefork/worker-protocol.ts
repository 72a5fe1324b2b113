import type { AppSpec } from './app-spec.js';
import type { LogLevel } from './settings.js';

/**
 * The messages between the master and its workers over the IPC channel. Stopping and
 * reopening logs travel as signals instead (TERM, QUIT, USR1), so they work even when the
 * channel is congested and match what a supervisor or an operator sends by hand.
 */

/** Where one worker listens. */
export type WorkerListener =
  /** A socket the master bound, inherited as this file descriptor. */
  | { readonly kind: 'fd'; readonly fd: number; readonly label: string }
  /** The worker's own SO_REUSEPORT socket on an address the master reserved. */
  | { readonly kind: 'reuse-port'; readonly host: string; readonly port: number; readonly label: string };

/** Everything a worker needs to boot, sent as the first message. */
export interface WorkerBootConfig {
  readonly serial: number;
  readonly generation: number;
  readonly app: AppSpec;
  readonly listeners: readonly WorkerListener[];
  /** Config file to load for the `postWorkerInit` hook, if any. */
  readonly configFile: string | undefined;
  readonly heartbeatMs: number;
  readonly gracefulTimeoutMs: number;
  readonly keepAliveMs: number;
  readonly requestDeadlineMs: number;
  /** This worker's limit, jitter already added; 0 for none (PF-6). */
  readonly maxRequests: number;
  readonly limits: {
    readonly requestLine: number;
    readonly headerCount: number;
    readonly headerSize: number;
    readonly bodySize: number;
  };
  readonly forwardedAllowIps: readonly string[];
  readonly tls: { readonly certfile: string; readonly keyfile: string } | undefined;
  readonly accessLogfile: string | null;
  readonly accessLogformat: string;
  readonly errorLogfile: string;
  readonly logLevel: LogLevel;
  readonly name: string | undefined;
}

export type MasterMessage = { readonly t: 'boot'; readonly config: WorkerBootConfig };

export type WorkerMessage =
  /** Sent from a timer on the worker's event loop: a blocked loop sends none (PF-5). */
  | { readonly t: 'hb' }
  /** The app loaded and every listener accepts connections. */
  | { readonly t: 'ready' }
  /** The worker cannot boot and is about to exit; `kind` picks the master's exit status. */
  | { readonly t: 'boot-failed'; readonly kind: 'boot' | 'app-load'; readonly message: string }
  /** The worker served its max-requests; the master starts its replacement (PF-6). */
  | { readonly t: 'max-requests'; readonly served: number };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string';
}
