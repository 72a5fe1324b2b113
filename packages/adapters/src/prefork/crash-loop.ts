/** How the master paces restarts of workers that keep failing (PF-7, PF-8). */
export interface CrashLoopPolicy {
  /** Delay before the restart after the first failure; doubles with each further one. */
  readonly baseDelayMs: number;
  /** The longest delay between restarts. */
  readonly maxDelayMs: number;
  /** A failure-free stretch this long (with a worker serving) forgives past failures. */
  readonly stableMs: number;
  /** Consecutive boot failures, with no worker serving, after which the master gives up. */
  readonly maxBootFailures: number;
}

export const DEFAULT_CRASH_LOOP_POLICY: CrashLoopPolicy = {
  baseDelayMs: 100,
  maxDelayMs: 30_000,
  stableMs: 10_000,
  maxBootFailures: 5,
};

/**
 * The crash-loop state: pure bookkeeping, fed with times by the arbiter. A failure counts
 * only when the failed worker started after the previous counted failure, so N workers of
 * one batch that die of the same broken import count once, not N times.
 */
export class CrashLoop {
  /** Counted failures since the last stable stretch; drives the delay. */
  streak = 0;
  /** Counted boot failures since a worker last booted; drives giving up. */
  bootFailures = 0;
  /** The kind of the most recent boot failure, for the exit status. */
  lastBootFailure: 'boot' | 'app-load' = 'boot';
  private lastCountedAt = Number.NEGATIVE_INFINITY;

  constructor(readonly policy: CrashLoopPolicy = DEFAULT_CRASH_LOOP_POLICY) {}

  /** A worker exited or was killed before it reported ready. Returns whether it counted. */
  bootFailed(spawnedAt: number, now: number, kind: 'boot' | 'app-load' = 'boot'): boolean {
    if (spawnedAt < this.lastCountedAt) return false;
    this.streak++;
    this.bootFailures++;
    this.lastBootFailure = kind;
    this.lastCountedAt = now;
    return true;
  }

  /** A worker that had reported ready exited unexpectedly (crash, hung and killed). */
  crashed(spawnedAt: number, readyAt: number, now: number): boolean {
    if (now - readyAt >= this.policy.stableMs) {
      // A worker that ran well for a long time and then died is no loop: restart at once.
      return false;
    }
    if (spawnedAt < this.lastCountedAt) return false;
    this.streak++;
    this.lastCountedAt = now;
    return true;
  }

  /** A worker reported ready; one that started after the last failure proves boot works. */
  ready(spawnedAt: number): void {
    if (spawnedAt >= this.lastCountedAt) this.bootFailures = 0;
  }

  /** Forgives the streak after a failure-free stretch while some worker serves. */
  settle(now: number, anyServing: boolean): void {
    if (this.streak > 0 && anyServing && now - this.lastCountedAt >= this.policy.stableMs) this.streak = 0;
  }

  /** The pause before the next restart: 0, then base, 2 × base, 4 × base ... up to max. */
  delayMs(): number {
    if (this.streak === 0) return 0;
    return Math.min(this.policy.baseDelayMs * 2 ** Math.min(this.streak - 1, 30), this.policy.maxDelayMs);
  }

  /** The earliest time the next restart may start. */
  nextSpawnAt(): number {
    return this.streak === 0 ? Number.NEGATIVE_INFINITY : this.lastCountedAt + this.delayMs();
  }

  /** Whether enough boots failed in a row to give up (the arbiter also needs no worker serving). */
  exhausted(): boolean {
    return this.bootFailures >= this.policy.maxBootFailures;
  }
}
