import { fork, type ChildProcess } from 'node:child_process';
import { ExitCode } from './exit-codes.js';
import { performance } from 'node:perf_hooks';
import type { WorkerExitInfo, WorkerInfo } from './hooks.js';
import { isWorkerMessage, type WorkerBootConfig, type WorkerMessage } from './worker-protocol.js';

export type WorkerState = 'booting' | 'ready' | 'stopping';
export type StopReason = 'retired' | 'stopped' | 'timed-out' | 'boot-timeout';

/** How the master starts worker processes. */
export interface WorkerEntry {
  /** The worker script (`dist/prefork/worker.js`). */
  readonly script: string;
  /** Node flags for the worker (the master's own, minus the inspector's). */
  readonly execArgv: readonly string[];
}

export interface WorkerEvents {
  message(worker: WorkerProcess, message: Exclude<WorkerMessage, { t: 'hb' }>): void;
  exit(worker: WorkerProcess, code: number | null, signal: NodeJS.Signals | null): void;
}

/**
 * The master's view of one worker process. Heartbeats only move `lastHeartbeat`; every
 * other message and the exit go to the arbiter's queue through `events`.
 */
export class WorkerProcess implements WorkerInfo {
  readonly spawnedAt = performance.now();
  readonly child: ChildProcess;
  state: WorkerState = 'booting';
  readyAt = 0;
  lastHeartbeat = this.spawnedAt;
  heartbeats = 0;
  /** Set when the master asked it to stop or killed it. */
  stopReason: StopReason | undefined;
  /** When the master sends SIGKILL if it is still running. */
  killAt = Number.POSITIVE_INFINITY;
  /** Marked for replacement by a rolling reload or by max-requests. */
  stale: 'reload' | 'max-requests' | undefined;
  /** The old worker this one retires once it reports ready. */
  replaces: WorkerProcess | undefined;
  bootFailure: { kind: 'boot' | 'app-load'; message: string } | undefined;
  exited = false;

  constructor(
    readonly serial: number,
    readonly generation: number,
    entry: WorkerEntry,
    fds: readonly number[],
    config: WorkerBootConfig,
    events: WorkerEvents,
  ) {
    this.child = fork(entry.script, [], {
      execArgv: [...entry.execArgv],
      // Index 3 is the IPC channel; the listening sockets follow it from 4 on.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', ...fds],
      serialization: 'json',
    });
    this.child.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.t === 'hb') {
        this.lastHeartbeat = performance.now();
        this.heartbeats++;
      } else events.message(this, message);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      events.exit(this, code, signal);
    });
    // A send to a worker that already died fails here instead of crashing the master; a
    // process that could not be started at all (no pid) never exits, so it counts as exited.
    this.child.on('error', () => {
      if (this.child.pid === undefined && !this.exited) {
        this.exited = true;
        events.exit(this, null, null);
      }
    });
    this.child.send({ t: 'boot', config }, () => undefined);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Sends a signal to this worker's pid; false when it is already gone. */
  signal(signal: NodeJS.Signals): boolean {
    if (this.exited) return false;
    try {
      return this.child.kill(signal);
    } catch {
      return false;
    }
  }

  /** Why this worker ended, from what the master asked of it and how far it got. */
  exitReason(code: number | null): WorkerExitInfo['reason'] {
    if (this.stopReason === 'retired' || this.stopReason === 'stopped') return this.stopReason;
    if (this.readyAt === 0) {
      return this.bootFailure?.kind === 'app-load' || code === ExitCode.APP_LOAD_ERROR ? 'app-load-failed' : 'boot-failed';
    }
    return this.stopReason === 'timed-out' ? 'timed-out' : 'crashed';
  }

  info(): WorkerInfo {
    return { pid: this.pid, serial: this.serial, generation: this.generation };
  }

  exitInfo(code: number | null, signal: NodeJS.Signals | null, reason: WorkerExitInfo['reason']): WorkerExitInfo {
    return { ...this.info(), code, signal, reason };
  }
}
