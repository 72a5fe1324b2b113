import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CrashLoop, DEFAULT_CRASH_LOOP_POLICY, type CrashLoopPolicy } from './crash-loop.js';
import type { ErrorLog } from './error-log.js';
import { describeExitCode, ExitCode } from './exit-codes.js';
import type { PreforkHooks, WorkerExitInfo } from './hooks.js';
import type { BoundListener } from './listeners.js';
import type { PreforkSettings } from './settings.js';
import { WorkerProcess, type WorkerEntry, type StopReason } from './worker-process.js';
import type { WorkerBootConfig, WorkerMessage } from './worker-protocol.js';

/** What the loop dispatches. Signal handlers and process events only push these. */
export type ArbiterEvent =
  | { readonly kind: 'signal'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'message'; readonly worker: WorkerProcess; readonly message: Exclude<WorkerMessage, { t: 'hb' }> }
  | { readonly kind: 'exit'; readonly worker: WorkerProcess; readonly code: number | null; readonly signal: NodeJS.Signals | null };

/** The signals the master acts on (PF-4). */
export const MASTER_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGTTIN', 'SIGTTOU', 'SIGUSR1'];

/** A rolling reload whose new workers did not boot; the old workers keep serving. */
export class ReloadError extends Error {
  override readonly name = 'ReloadError';
}

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

/** Quick shutdown: workers abort their requests at once; this is how long they get to exit. */
const QUICK_EXIT_MS = 2000;

/**
 * The master's loop, after gunicorn's arbiter: signal handlers, worker messages and exits
 * only enqueue events; one loop dispatches them and then does its rounds (hung workers,
 * graceful deadlines, the worker count, the rolling replacement). Every state change
 * happens in that loop, so no two of them interleave.
 */
export class Arbiter {
  readonly workers = new Set<WorkerProcess>();
  settings: PreforkSettings;
  private readonly queue: ArbiterEvent[] = [];
  private wake: (() => void) | undefined;
  private readonly crashLoop: CrashLoop;
  private serial = 0;
  private generation = 1;
  private stopping: 'graceful' | 'quick' | undefined;
  private exitCode: ExitCode = ExitCode.OK;
  private surge: WorkerProcess | undefined;
  private reloadWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private announcedReady = false;
  /** A rolling reload is under way (from SIGHUP, `reload()` or --reload). */
  private reloading = false;
  private lastRound = performance.now();

  constructor(
    settings: PreforkSettings,
    private readonly options: ArbiterOptions,
  ) {
    this.settings = settings;
    this.crashLoop = new CrashLoop({
      ...(options.crashLoop ?? DEFAULT_CRASH_LOOP_POLICY),
      maxBootFailures: settings.maxBootFailures,
    });
  }

  private get log(): ErrorLog {
    return this.options.log;
  }

  /** Queues an event and wakes the loop. Safe to call from a signal handler. */
  enqueue(event: ArbiterEvent): void {
    this.queue.push(event);
    this.wake?.();
  }

  /** Rolling reload (SIGHUP). Resolves when every worker runs new code. */
  reload(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.reloadWaiters.push({ resolve, reject });
      this.enqueue({ kind: 'signal', signal: 'SIGHUP' });
    });
  }

  /** Runs until the master stops; returns its exit status. */
  async run(): Promise<ExitCode> {
    while (!(this.stopping && this.workers.size === 0)) {
      await this.nap();
      while (this.queue.length > 0) await this.dispatch(this.queue.shift()!);
      // One clock reading for the stall check and every deadline, in one synchronous
      // stretch: a stop before the reading shows as a stall, a stop after it changes nothing.
      const now = performance.now();
      this.forgiveOwnStall(now);
      this.enforceDeadlines(now);
      if (!this.stopping) await this.maintain(now);
    }
    this.settleReloads(new ReloadError('the server stopped before the reload completed'));
    return this.exitCode;
  }

  private roundMs(): number {
    const timeout = this.settings.timeoutMs || 4000;
    return Math.min(1000, Math.max(50, Math.floor(timeout / 4)));
  }

  private nap(): Promise<void> {
    if (this.queue.length > 0) return Promise.resolve();
    let ms = this.roundMs();
    const next = this.crashLoop.nextSpawnAt() - performance.now();
    if (next > 0) ms = Math.min(ms, next + 1);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => {
      this.wake = undefined;
    });
  }

  /**
   * A master that was suspended (SIGSTOP, a frozen VM) or starved could not read heartbeats
   * meanwhile; the time it was away says nothing about the workers, so their clocks restart.
   */
  private forgiveOwnStall(now: number): void {
    const gap = now - this.lastRound;
    this.lastRound = now;
    const allowance = this.roundMs() * 2 + 500;
    if (gap <= allowance) return;
    this.log.warning(`master did not run for ${(gap / 1000).toFixed(1)} s; restarting the workers' heartbeat clocks`);
    for (const worker of this.workers) {
      worker.lastHeartbeat = now;
      if (worker.killAt !== Number.POSITIVE_INFINITY) worker.killAt += gap;
    }
  }

  private async dispatch(event: ArbiterEvent): Promise<void> {
    if (event.kind === 'signal') return this.onSignal(event.signal);
    if (event.kind === 'exit') return this.onExit(event.worker, event.code, event.signal);
    const { worker, message } = event;
    if (message.t === 'ready') return this.onWorkerReady(worker);
    if (message.t === 'boot-failed') {
      worker.bootFailure = { kind: message.kind, message: message.message };
      this.log.error(`worker ${worker.pid} failed to boot: ${message.message}`);
      return;
    }
    if (message.t === 'max-requests' && !this.stopping && worker.state === 'ready' && !worker.stale) {
      this.log.info(`worker ${worker.pid} served ${message.served} requests (max-requests); replacing it`);
      worker.stale = 'max-requests';
    }
  }

  private async onSignal(signal: NodeJS.Signals): Promise<void> {
    this.log.info(`handling ${signal}`);
    switch (signal) {
      case 'SIGTERM':
        return this.beginStop('graceful');
      case 'SIGINT':
      case 'SIGQUIT':
        return this.beginStop('quick');
      case 'SIGHUP':
        return this.beginReload();
      case 'SIGTTIN':
        return this.scale(this.settings.workers + 1);
      case 'SIGTTOU':
        return this.scale(this.settings.workers - 1);
      case 'SIGUSR1':
        this.log.reopen();
        // A worker that has not beaten yet may not have its USR1 handler yet, and Node's
        // default for USR1 is to start the inspector; it opens its logs after that anyway.
        for (const worker of this.workers) if (worker.heartbeats > 0) worker.signal('SIGUSR1');
        return;
    }
  }

  /** Sets the wanted number of workers (never below one). */
  async scale(workers: number): Promise<void> {
    const next = Math.max(1, workers);
    const previous = this.settings.workers;
    if (next === previous) return;
    this.settings = { ...this.settings, workers: next };
    this.log.info(`workers: ${previous} -> ${next}`);
    await this.options.callHook('nworkersChanged', next, previous);
  }

  private async beginReload(): Promise<void> {
    if (this.stopping) return this.settleReloads(new ReloadError('the server is stopping'));
    if (this.options.configFile) {
      try {
        const next = await this.options.rereadSettings();
        if (next.workers !== this.settings.workers) await this.scale(next.workers);
        this.settings = { ...next, workers: this.settings.workers };
      } catch (error) {
        this.log.error(`reload failed: ${(error as Error).message}; the old workers keep serving`);
        return this.settleReloads(new ReloadError((error as Error).message));
      }
    }
    await this.options.callHook('onReload');
    this.generation++;
    this.reloading = true;
    for (const worker of this.workers) if (worker.state !== 'stopping') worker.stale = 'reload';
    this.log.info(`rolling reload to generation ${this.generation}`);
  }

  private settleReloads(error?: Error): void {
    this.reloading = false;
    const waiters = this.reloadWaiters;
    this.reloadWaiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  private beginStop(mode: 'graceful' | 'quick'): void {
    if (this.stopping === 'quick' || this.stopping === mode) return;
    this.stopping = mode;
    const now = performance.now();
    for (const listener of this.options.listeners) listener.close();
    for (const worker of this.workers) this.stopWorker(worker, 'stopped', now);
  }

  /** Asks a worker to stop: TERM lets it finish its requests, QUIT aborts them (PF-4). */
  private stopWorker(worker: WorkerProcess, reason: StopReason, now: number): void {
    worker.state = 'stopping';
    worker.stopReason ??= reason;
    const quick = this.stopping === 'quick';
    worker.signal(quick ? 'SIGQUIT' : 'SIGTERM');
    worker.killAt = Math.min(worker.killAt, now + (quick ? QUICK_EXIT_MS : this.settings.gracefulTimeoutMs));
  }

  private kill(worker: WorkerProcess, reason: StopReason, why: string): void {
    this.log.error(`worker ${worker.pid} ${why}; killing it`);
    worker.stopReason = reason;
    worker.state = 'stopping';
    worker.killAt = Number.POSITIVE_INFINITY;
    worker.signal('SIGKILL');
  }

  /** Hung workers (PF-5), boots that take too long, stops past their grace period. */
  private enforceDeadlines(now: number): void {
    const { timeoutMs, bootTimeoutMs } = this.settings;
    for (const worker of this.workers) {
      if (worker.exited || worker.stopReason === 'timed-out' || worker.stopReason === 'boot-timeout') continue;
      if (now >= worker.killAt) {
        this.kill(worker, worker.stopReason ?? 'stopped', 'did not exit within its grace period');
      } else if (worker.state === 'booting' && now - worker.spawnedAt > bootTimeoutMs) {
        this.kill(worker, 'boot-timeout', `did not become ready within ${bootTimeoutMs / 1000} s (--boot-timeout)`);
      } else if (timeoutMs > 0 && (worker.state === 'ready' || (worker.state === 'booting' && worker.heartbeats > 0)) && now - worker.lastHeartbeat > timeoutMs) {
        const silent = ((now - worker.lastHeartbeat) / 1000).toFixed(1);
        this.kill(worker, 'timed-out', `sent no heartbeat for ${silent} s (--timeout ${timeoutMs / 1000})`);
      }
    }
  }

  private onWorkerReady(worker: WorkerProcess): void {
    if (worker.state !== 'booting') return;
    worker.state = 'ready';
    worker.readyAt = performance.now();
    this.crashLoop.ready(worker.spawnedAt);
    this.log.info(`worker ${worker.pid} (generation ${worker.generation}) ready`);
    const old = worker.replaces;
    worker.replaces = undefined;
    if (this.surge === worker) this.surge = undefined;
    if (old && !old.exited && old.state !== 'stopping') this.stopWorker(old, 'retired', worker.readyAt);
    if (!this.announcedReady && this.countReady() >= this.settings.workers) {
      this.announcedReady = true;
      this.options.onReady();
    }
  }

  private countReady(): number {
    let n = 0;
    for (const worker of this.workers) if (worker.state === 'ready') n++;
    return n;
  }

  private async onExit(worker: WorkerProcess, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    this.workers.delete(worker);
    for (const other of this.workers) if (other.replaces === worker) other.replaces = undefined;
    const now = performance.now();
    const how = signal ? `signal ${signal}` : `status ${describeExitCode(code ?? 0)}`;
    let reason: WorkerExitInfo['reason'];
    if (worker.stopReason === 'retired' || worker.stopReason === 'stopped') {
      reason = worker.stopReason;
      this.log.info(`worker ${worker.pid} exited (${how})`);
    } else if (worker.state === 'booting' || worker.stopReason === 'boot-timeout' || worker.readyAt === 0) {
      const appLoad = worker.bootFailure?.kind === 'app-load' || code === ExitCode.APP_LOAD_ERROR;
      reason = appLoad ? 'app-load-failed' : 'boot-failed';
      if (this.surge === worker) {
        this.surge = undefined;
        this.failReload(`new worker ${worker.pid} exited before it was ready (${how})`);
      } else {
        this.crashLoop.bootFailed(worker.spawnedAt, now, appLoad ? 'app-load' : 'boot');
        this.log.error(`worker ${worker.pid} exited before it was ready (${how})`);
      }
    } else {
      reason = worker.stopReason === 'timed-out' ? 'timed-out' : 'crashed';
      this.crashLoop.crashed(worker.spawnedAt, worker.readyAt, now);
      this.log.error(`worker ${worker.pid} died (${how}); starting a new one`);
    }
    await this.options.callHook('workerExit', worker.exitInfo(code, signal, reason));
  }

  /** A reload's new worker failed: the reload stops and the old workers keep serving. */
  private failReload(why: string): void {
    for (const worker of this.workers) if (worker.stale === 'reload' || worker.stale === 'max-requests') worker.stale = undefined;
    this.log.error(`reload failed: ${why}; the old workers keep serving`);
    this.settleReloads(new ReloadError(`reload failed: ${why}`));
  }

  /** Brings the workers to the wanted count and moves the rolling replacement one step. */
  private async maintain(now: number): Promise<void> {
    this.crashLoop.settle(now, this.countReady() > 0);
    const serving = [...this.workers].filter((w) => w.state !== 'stopping' && w !== this.surge);
    const booting = serving.filter((w) => w.state === 'booting');
    if (this.crashLoop.exhausted() && this.countReady() === 0 && booting.length === 0 && !this.surge) {
      this.exitCode = this.crashLoop.lastBootFailure === 'app-load' ? ExitCode.APP_LOAD_ERROR : ExitCode.WORKER_BOOT_ERROR;
      this.log.critical(`workers failed to boot ${this.crashLoop.bootFailures} times in a row; giving up (exit ${describeExitCode(this.exitCode)})`);
      this.beginStop('quick');
      return;
    }
    const mayStart = now >= this.crashLoop.nextSpawnAt();
    const missing = this.settings.workers - serving.length;
    if (missing > 0 && mayStart) {
      // While workers keep failing, start one at a time: a probe, not a stampede.
      const count = this.crashLoop.streak > 0 ? (booting.length === 0 ? 1 : 0) : missing;
      for (let i = 0; i < count; i++) await this.spawn();
      return;
    }
    if (missing < 0) {
      const order = [...serving].sort((a, b) => rank(a) - rank(b) || a.serial - b.serial);
      for (const worker of order.slice(0, -missing)) this.stopWorker(worker, 'retired', now);
      return;
    }
    const stale = serving.filter((w) => w.stale).sort((a, b) => a.serial - b.serial);
    if (stale.length === 0) {
      // Complete once no old worker runs at all, so every request sent from then on meets new code.
      const retiring = [...this.workers].some((w) => w.state === 'stopping' && w.stopReason === 'retired');
      if (this.reloading && !this.surge && booting.length === 0 && !retiring) {
        this.log.info(`reload complete: ${serving.length} workers of generation ${this.generation}`);
        this.settleReloads();
      }
      return;
    }
    if (this.surge || !mayStart) return;
    const old = stale[0]!;
    if (old.state === 'booting') {
      this.stopWorker(old, 'retired', now);
      return;
    }
    const fresh = await this.spawn();
    if (fresh) {
      fresh.replaces = old;
      this.surge = fresh;
    }
  }

  private async spawn(): Promise<WorkerProcess | undefined> {
    const serial = ++this.serial;
    const generation = this.generation;
    await this.options.callHook('preFork', { serial, generation });
    const s = this.settings;
    const fds = this.options.listeners.flatMap((l) => (l.fd === undefined ? [] : [l.fd]));
    let childFd = 4;
    const config: WorkerBootConfig = {
      serial,
      generation,
      app: s.app,
      listeners: this.options.listeners.map((l) => l.worker(l.fd === undefined ? -1 : childFd++)),
      configFile: this.options.configFile,
      heartbeatMs: heartbeatInterval(s.timeoutMs),
      gracefulTimeoutMs: s.gracefulTimeoutMs,
      keepAliveMs: s.keepAliveMs,
      requestDeadlineMs: s.requestDeadlineMs,
      maxRequests: s.maxRequests > 0 ? s.maxRequests + randomInt(0, s.maxRequestsJitter + 1) : 0,
      limits: s.limits,
      forwardedAllowIps: s.forwardedAllowIps,
      tls: s.tls,
      accessLogfile: s.accessLogfile,
      accessLogformat: s.accessLogformat,
      errorLogfile: s.errorLogfile,
      logLevel: s.logLevel,
      name: s.name,
    };
    const worker = new WorkerProcess(serial, generation, this.options.entry, fds, config, {
      message: (w, message) => this.enqueue({ kind: 'message', worker: w, message }),
      exit: (w, code, signal) => this.enqueue({ kind: 'exit', worker: w, code, signal }),
    });
    this.workers.add(worker);
    this.log.debug(`started worker ${worker.pid} (serial ${serial}, generation ${generation})`);
    await this.options.callHook('postFork', worker.info());
    return worker;
  }
}

/** Booting workers go first when there are too many, then stale ones, then the oldest. */
function rank(worker: WorkerProcess): number {
  if (worker.state === 'booting') return 0;
  return worker.stale ? 1 : 2;
}

/** Four beats per timeout, at most one a second: a late beat or two never looks like a hang. */
export function heartbeatInterval(timeoutMs: number): number {
  if (timeoutMs <= 0) return 1000;
  return Math.max(25, Math.min(1000, Math.floor(timeoutMs / 4)));
}
