import { ExitCode } from './exit-codes.js';
import type { StopReason, WorkerState } from './worker-process.js';

/** What the planner needs to know of a worker. */
export interface PlannedWorker {
  readonly state: WorkerState;
  readonly serial: number;
  readonly stale: 'reload' | 'max-requests' | undefined;
  readonly stopReason: StopReason | undefined;
}

export interface RoundInput<W extends PlannedWorker> {
  readonly workers: readonly W[];
  /** The new worker of the rolling replacement in flight, if any. */
  readonly surge: W | undefined;
  /** The wanted number of workers. */
  readonly target: number;
  /** Whether the crash-loop pause allows a start now. */
  readonly mayStart: boolean;
  /** Counted failures in a row (0: no crash loop). */
  readonly streak: number;
  /** Enough boots failed in a row to give up, if no worker serves. */
  readonly exhausted: boolean;
  readonly lastBootFailure: 'boot' | 'app-load';
  readonly reloading: boolean;
}

/** The one thing the master does in this round. */
export type RoundAction<W> =
  | { readonly kind: 'give-up'; readonly exitCode: ExitCode }
  | { readonly kind: 'start'; readonly count: number }
  | { readonly kind: 'retire'; readonly workers: readonly W[] }
  | { readonly kind: 'replace'; readonly old: W }
  | { readonly kind: 'reload-complete' }
  | { readonly kind: 'wait' };

/** Booting workers go first when there are too many, then stale ones, then the oldest. */
function retireRank(worker: PlannedWorker): number {
  if (worker.state === 'booting') return 0;
  return worker.stale ? 1 : 2;
}

/**
 * Pure: from the workers and the crash-loop state, the next step towards the wanted count
 * and a finished rolling replacement. Rolling replacement moves one worker at a time: a new
 * worker starts as the surge, and the master retires the old one when the surge reports
 * ready (PF-10).
 */
export function planRound<W extends PlannedWorker>(input: RoundInput<W>): RoundAction<W> {
  const serving = input.workers.filter((w) => w.state !== 'stopping' && w !== input.surge);
  const booting = serving.filter((w) => w.state === 'booting');
  const anyReady = input.workers.some((w) => w.state === 'ready');
  if (input.exhausted && !anyReady && booting.length === 0 && !input.surge) {
    return { kind: 'give-up', exitCode: input.lastBootFailure === 'app-load' ? ExitCode.APP_LOAD_ERROR : ExitCode.WORKER_BOOT_ERROR };
  }
  const missing = input.target - serving.length;
  if (missing > 0) {
    if (!input.mayStart) return { kind: 'wait' };
    // While workers keep failing, start one at a time: a probe, not a stampede (PF-7).
    const count = input.streak > 0 ? (booting.length === 0 ? 1 : 0) : missing;
    return count > 0 ? { kind: 'start', count } : { kind: 'wait' };
  }
  if (missing < 0) {
    const order = [...serving].sort((a, b) => retireRank(a) - retireRank(b) || a.serial - b.serial);
    return { kind: 'retire', workers: order.slice(0, -missing) };
  }
  const stale = serving.filter((w) => w.stale).sort((a, b) => a.serial - b.serial);
  if (stale.length === 0) {
    // Complete once no old worker runs at all, so every request sent from then on meets new code.
    const retiring = input.workers.some((w) => w.state === 'stopping' && w.stopReason === 'retired');
    return input.reloading && !input.surge && booting.length === 0 && !retiring ? { kind: 'reload-complete' } : { kind: 'wait' };
  }
  if (input.surge || !input.mayStart) return { kind: 'wait' };
  const old = stale[0]!;
  // A stale worker that has not served yet is simply stopped; the count brings a new one.
  if (old.state === 'booting') return { kind: 'retire', workers: [old] };
  return { kind: 'replace', old };
}
