import type { CrashLoopPolicy } from './crash-loop.js';
import type { ErrorLog } from './error-log.js';
import type { PreforkHooks } from './hooks.js';
import type { BoundListener } from './listeners.js';
import type { PreforkSettings } from './settings.js';
import type { WorkerEntry, WorkerProcess } from './worker-process.js';
import type { WorkerMessage } from './worker-protocol.js';

/** What the master's loop dispatches. Signal handlers and process events only push these. */
export type ArbiterEvent =
  | { readonly kind: 'signal'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'message'; readonly worker: WorkerProcess; readonly message: Exclude<WorkerMessage, { t: 'hb' }> }
  | { readonly kind: 'exit'; readonly worker: WorkerProcess; readonly code: number | null; readonly signal: NodeJS.Signals | null };

/** The signals the master acts on (PF-4). */
export const MASTER_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGTTIN', 'SIGTTOU', 'SIGUSR1'];

export interface ArbiterOptions {
  readonly entry: WorkerEntry;
  readonly listeners: readonly BoundListener[];
  readonly log: ErrorLog;
  readonly configFile: string | undefined;
  /** Re-reads the settings on SIGHUP (the config file); throws SettingsError when they are bad. */
  readonly rereadSettings: () => Promise<PreforkSettings>;
  /** Calls a hook and reports what it throws; returns false when it threw. */
  readonly callHook: <K extends keyof PreforkHooks>(name: K, ...args: unknown[]) => Promise<boolean>;
  readonly crashLoop?: CrashLoopPolicy;
  /** Called once when the first full set of workers is ready. */
  readonly onReady: () => void;
}
