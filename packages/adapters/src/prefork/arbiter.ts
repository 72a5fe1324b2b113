import { performance } from 'node:perf_hooks';
import { CrashLoop, DEFAULT_CRASH_LOOP_POLICY } from './crash-loop.js';
import type { ErrorLog } from './error-log.js';
import { describeExitCode, ExitCode } from './exit-codes.js';
import type { ArbiterEvent, ArbiterOptions } from './arbiter-options.js';
import { EventQueue } from './event-queue.js';
import { planRound } from './round-plan.js';
import { overdue, StallClock } from './worker-deadlines.js';
import type { PreforkSettings } from './settings.js';
import { ReloadError, ReloadTracker } from './reload-tracker.js';
import { workerBootConfig } from './worker-boot-config.js';
import { WorkerProcess, type StopReason } from './worker-process.js';

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
  private readonly queue = new EventQueue<ArbiterEvent>();
  private readonly crashLoop: CrashLoop;
  private serial = 0;
  private generation = 1;
  private stopping: 'graceful' | 'quick' | undefined;
  private exitCode: ExitCode = ExitCode.OK;
  private surge: WorkerProcess | undefined;
  private readonly reloads = new ReloadTracker();
  private announcedReady = false;
  private readonly stall = new StallClock(performance.now());

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
  }

  /** Rolling reload (SIGHUP). Resolves when every worker runs new code. */
  reload(): Promise<void> {
    const outcome = this.reloads.wait();
    this.enqueue({ kind: 'signal', signal: 'SIGHUP' });
    return outcome;
  }

  /** Runs until the master stops; returns its exit status. */
  async run(): Promise<ExitCode> {
    while (!(this.stopping && this.workers.size === 0)) {
      const untilNextStart = this.crashLoop.nextSpawnAt() - performance.now();
      await this.queue.wait(untilNextStart > 0 ? Math.min(this.roundMs(), untilNextStart + 1) : this.roundMs());
      for (let event = this.queue.shift(); event; event = this.queue.shift()) await this.dispatch(event);
      // One clock reading for the stall check and every deadline, in one synchronous
      // stretch: a stop before the reading shows as a stall, a stop after it changes nothing.
      const now = performance.now();
      this.forgiveOwnStall(now);
      this.enforceDeadlines(now);
      if (!this.stopping) await this.maintain(now);
    }
    this.reloads.settle(new ReloadError('the server stopped before the reload completed'));
    return this.exitCode;
  }

  private roundMs(): number {
    const timeout = this.settings.timeoutMs || 4000;
    return Math.min(1000, Math.max(50, Math.floor(timeout / 4)));
  }

  /** Restarts every worker's heartbeat clock after a stall of the master itself (PF-12). */
  private forgiveOwnStall(now: number): void {
    const gap = this.stall.observe(now, this.roundMs());
    if (gap === 0) return;
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
    if (this.stopping) return this.reloads.settle(new ReloadError('the server is stopping'));
    if (this.options.configFile) {
      try {
        const next = await this.options.rereadSettings();
        if (next.workers !== this.settings.workers) await this.scale(next.workers);
        this.settings = { ...next, workers: this.settings.workers };
      } catch (error) {
        this.log.error(`reload failed: ${(error as Error).message}; the old workers keep serving`);
        return this.reloads.settle(new ReloadError((error as Error).message));
      }
    }
    await this.options.callHook('onReload');
    this.generation++;
    this.reloads.begin();
    for (const worker of this.workers) if (worker.state !== 'stopping') worker.stale = 'reload';
    this.log.info(`rolling reload to generation ${this.generation}`);
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
    for (const worker of this.workers) {
      const verdict = overdue(worker, now, this.settings);
      if (verdict) this.kill(worker, verdict.reason, verdict.why);
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
    const reason = worker.exitReason(code);
    if (reason === 'retired' || reason === 'stopped') {
      this.log.info(`worker ${worker.pid} exited (${how})`);
    } else if (reason === 'boot-failed' || reason === 'app-load-failed') {
      if (this.surge === worker) {
        this.surge = undefined;
        this.failReload(`new worker ${worker.pid} exited before it was ready (${how})`);
      } else {
        this.crashLoop.bootFailed(worker.spawnedAt, now, reason === 'app-load-failed' ? 'app-load' : 'boot');
        this.log.error(`worker ${worker.pid} exited before it was ready (${how})`);
      }
    } else {
      this.crashLoop.crashed(worker.spawnedAt, worker.readyAt, now);
      this.log.error(`worker ${worker.pid} died (${how}); starting a new one`);
    }
    await this.options.callHook('workerExit', worker.exitInfo(code, signal, reason));
  }

  /** A reload's new worker failed: the reload stops and the old workers keep serving. */
  private failReload(why: string): void {
    for (const worker of this.workers) if (worker.stale === 'reload' || worker.stale === 'max-requests') worker.stale = undefined;
    this.log.error(`reload failed: ${why}; the old workers keep serving`);
    this.reloads.settle(new ReloadError(`reload failed: ${why}`));
  }

  /** Brings the workers to the wanted count and moves the rolling replacement one step. */
  private async maintain(now: number): Promise<void> {
    this.crashLoop.settle(now, this.countReady() > 0);
    const action = planRound({
      workers: [...this.workers],
      surge: this.surge,
      target: this.settings.workers,
      mayStart: now >= this.crashLoop.nextSpawnAt(),
      streak: this.crashLoop.streak,
      exhausted: this.crashLoop.exhausted(),
      lastBootFailure: this.crashLoop.lastBootFailure,
      reloading: this.reloads.active,
    });
    switch (action.kind) {
      case 'give-up':
        this.exitCode = action.exitCode;
        this.log.critical(`workers failed to boot ${this.crashLoop.bootFailures} times in a row; giving up (exit ${describeExitCode(action.exitCode)})`);
        return this.beginStop('quick');
      case 'start':
        for (let i = 0; i < action.count; i++) await this.spawn();
        return;
      case 'retire':
        for (const worker of action.workers) this.stopWorker(worker, 'retired', now);
        return;
      case 'replace': {
        const fresh = await this.spawn();
        fresh.replaces = action.old;
        this.surge = fresh;
        return;
      }
      case 'reload-complete':
        this.log.info(`reload complete: ${this.countReady()} workers of generation ${this.generation}`);
        return this.reloads.settle();
      case 'wait':
        return;
    }
  }

  private async spawn(): Promise<WorkerProcess> {
    const serial = ++this.serial;
    const generation = this.generation;
    await this.options.callHook('preFork', { serial, generation });
    const { config, fds } = workerBootConfig(this.settings, this.options.listeners, { serial, generation, configFile: this.options.configFile });
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
