import type { StopReason, WorkerState } from './worker-process.js';

/** What the deadline check reads of a worker (times from `performance.now()`). */
export interface TimedWorker {
  readonly state: WorkerState;
  readonly spawnedAt: number;
  readonly lastHeartbeat: number;
  readonly heartbeats: number;
  readonly killAt: number;
  readonly stopReason: StopReason | undefined;
  readonly exited: boolean;
}

/**
 * Pure: whether a worker is past one of its deadlines, and which. A stopping worker past its
 * grace period; a booting one past --boot-timeout; a serving one (or a booting one that has
 * started to beat) silent for longer than --timeout (PF-5). A booting worker's heartbeat
 * only counts once it began, so a slow start is judged by --boot-timeout alone.
 */
export function overdue(worker: TimedWorker, now: number, limits: { timeoutMs: number; bootTimeoutMs: number }): { reason: StopReason; why: string } | undefined {
  if (worker.exited || worker.stopReason === 'timed-out' || worker.stopReason === 'boot-timeout') return undefined;
  if (now >= worker.killAt) return { reason: worker.stopReason ?? 'stopped', why: 'did not exit within its grace period' };
  if (worker.state === 'booting' && now - worker.spawnedAt > limits.bootTimeoutMs) {
    return { reason: 'boot-timeout', why: `did not become ready within ${limits.bootTimeoutMs / 1000} s (--boot-timeout)` };
  }
  const beating = worker.state === 'ready' || (worker.state === 'booting' && worker.heartbeats > 0);
  if (limits.timeoutMs > 0 && beating && now - worker.lastHeartbeat > limits.timeoutMs) {
    const silent = ((now - worker.lastHeartbeat) / 1000).toFixed(1);
    return { reason: 'timed-out', why: `sent no heartbeat for ${silent} s (--timeout ${limits.timeoutMs / 1000})` };
  }
  return undefined;
}

/**
 * Notices when the master itself did not run (SIGSTOP, a suspended machine, starvation):
 * a gap between two rounds much longer than a round. Heartbeats could not be read meanwhile,
 * so that time says nothing about the workers (PF-12).
 */
export class StallClock {
  private last: number;

  constructor(now: number) {
    this.last = now;
  }

  /** The length of the stall that ended at `now`, or 0 when the master kept its pace. */
  observe(now: number, roundMs: number): number {
    const gap = now - this.last;
    this.last = now;
    return gap > roundMs * 2 + 500 ? gap : 0;
  }
}
