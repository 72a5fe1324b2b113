import type { PreforkServer } from './prefork-server.js';

/** A worker as the master's hooks see it. */
export interface WorkerInfo {
  /** Process id of the worker. */
  readonly pid: number;
  /** 1, 2, 3 ... in spawn order over the master's life. */
  readonly serial: number;
  /** Bumped by each rolling reload; workers of the same generation load the same code. */
  readonly generation: number;
}

/** Why a worker ended, as `workerExit` reports it. */
export interface WorkerExitInfo extends WorkerInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What the master expected: `retired` and `stopped` are normal, the rest are failures. */
  readonly reason: 'retired' | 'stopped' | 'boot-failed' | 'app-load-failed' | 'timed-out' | 'crashed';
}

/**
 * Server hooks in gunicorn's manner. Every hook runs in the master except
 * `postWorkerInit`, which runs in each worker after the app loaded (only from a config file,
 * because a function cannot travel to another process). A hook may return a Promise; the
 * master awaits `onStarting` and `preFork` and reports a throwing hook to the error log.
 */
export interface PreforkHooks {
  /** Before the master binds its sockets; throwing stops the start. */
  onStarting?(server: PreforkServer): void | Promise<void>;
  /** Once, when the first full set of workers has reported ready. */
  whenReady?(server: PreforkServer): void | Promise<void>;
  /** On SIGHUP (or `reload()`), before new workers start. */
  onReload?(server: PreforkServer): void | Promise<void>;
  /** Before each worker process starts. */
  preFork?(server: PreforkServer, worker: Omit<WorkerInfo, 'pid'>): void | Promise<void>;
  /** Right after each worker process started (its pid is known; it is still booting). */
  postFork?(server: PreforkServer, worker: WorkerInfo): void | Promise<void>;
  /** In the worker, after its app loaded and before it accepts connections; throwing fails the boot. */
  postWorkerInit?(worker: WorkerInfo): void | Promise<void>;
  /** After a worker exited, whatever the reason. */
  workerExit?(server: PreforkServer, worker: WorkerExitInfo): void | Promise<void>;
  /** When the wanted number of workers changed (TTIN, TTOU, `scale()`, reloaded config). */
  nworkersChanged?(server: PreforkServer, workers: number, previous: number): void | Promise<void>;
  /** Last thing before the master exits. */
  onExit?(server: PreforkServer): void | Promise<void>;
}

export const HOOK_NAMES = [
  'onStarting',
  'whenReady',
  'onReload',
  'preFork',
  'postFork',
  'postWorkerInit',
  'workerExit',
  'nworkersChanged',
  'onExit',
] as const satisfies ReadonlyArray<keyof PreforkHooks>;
