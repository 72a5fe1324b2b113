import { accessSync, constants, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Arbiter } from './arbiter.js';
import { MASTER_SIGNALS } from './arbiter-options.js';
import { stringFromBind } from './bind.js';
import { loadConfigFile } from './config-file.js';
import type { CrashLoopPolicy } from './crash-loop.js';
import { ErrorLog } from './error-log.js';
import { describeExitCode, ExitCode } from './exit-codes.js';
import type { PreforkHooks, WorkerInfo } from './hooks.js';
import { bindListeners, nodeSupportsReusePort, type BoundListener } from './listeners.js';
import { loadApp } from './load-app.js';
import type { PreforkOptions } from './options.js';
import { Reloader, watchRootFor } from './reloader.js';
import { SettingsError } from './settings-error.js';
import { settingsFromOptions, type PreforkSettings } from './settings.js';
import type { WorkerEntry } from './worker-process.js';

/** The running pre-fork server, as `servePrefork()` returns it and as hooks receive it. */
export interface PreforkServer {
  /** The master's pid (this process). */
  readonly pid: number;
  /** The settings in force (a reload with a config file may change them). */
  readonly settings: PreforkSettings;
  /** `http://127.0.0.1:8000` for each TCP bind, with the real port when 0 was asked. */
  readonly urls: readonly string[];
  /** Every bound address as `--bind` writes it (`unix:/run/app.sock` too). */
  readonly addresses: readonly string[];
  readonly log: ErrorLog;
  /** Resolves when the first full set of workers is ready. */
  readonly ready: Promise<void>;
  /** Resolves with the master's exit status once it stopped. */
  readonly exited: Promise<ExitCode>;
  /** The live workers. */
  workers(): WorkerInfo[];
  /** Rolling reload (like SIGHUP); rejects with ReloadError when the new code does not boot. */
  reload(): Promise<void>;
  /** Sets the number of workers (like SIGTTIN / SIGTTOU). */
  scale(workers: number): void;
  /** Graceful (like SIGTERM, the default) or quick (like SIGINT) shutdown. */
  stop(options?: { graceful?: boolean }): Promise<ExitCode>;
}

export interface ServePreforkOptions extends PreforkOptions {
  /** A config file (JSON, JavaScript or TypeScript); these options override its values. It is re-read on reload. */
  config?: string;
  /** Install handlers for TERM, INT, QUIT, HUP, TTIN, TTOU and USR1 (PF-4). Default true. */
  handleSignals?: boolean;
}

/** Internals the entry points supply. */
export interface PreforkRuntime {
  readonly entry: WorkerEntry;
  readonly crashLoop?: CrashLoopPolicy;
}

/** The settings `startPrefork` would use: the config file's, overridden by the options. */
export async function readSettings(options: ServePreforkOptions): Promise<PreforkSettings> {
  const { config, handleSignals: _signals, ...explicit } = options;
  const fromFile = config ? await loadConfigFile(config) : {};
  const merged: PreforkOptions = { ...fromFile };
  for (const [key, value] of Object.entries(explicit)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  return settingsFromOptions(merged);
}

/** What happens before the first worker: checks, onStarting, --preload, binding (PF-13). */
async function prepare(settings: PreforkSettings, server: PreforkServer, log: ErrorLog): Promise<BoundListener[]> {
  for (const file of settings.tls ? [settings.tls.certfile, settings.tls.keyfile] : []) {
    try {
      accessSync(file, constants.R_OK);
    } catch (error) {
      throw new SettingsError(`--certfile/--keyfile ${file} must be a readable file; ${(error as Error).message}`);
    }
  }
  const starting = settings.hooks.onStarting;
  if (starting) await starting(server);
  if (settings.preload) {
    await loadApp(settings.app);
    // Node cannot fork a warm heap; V8's code cache on disk (Node 22.1+) is the warm start it allows.
    process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), `tsgi-compile-cache-${process.getuid?.() ?? 'user'}`);
  }
  let reusePort = settings.reusePort;
  if (reusePort && !nodeSupportsReusePort()) {
    log.warning(`--reuse-port needs Node 22.12+ or 23.1+ (this is ${process.versions.node}); the workers share one socket instead`);
    reusePort = false;
  }
  const tcp = settings.binds.filter((b) => b.kind === 'tcp');
  const shared = settings.binds.filter((b) => b.kind !== 'tcp');
  const scheme = settings.tls ? 'https' : 'http';
  return [...(await bindListeners(tcp, reusePort, scheme)), ...(await bindListeners(shared, false))];
}

/**
 * Starts a pre-fork server: binds every address in this process (the master), starts the
 * workers and supervises them. Resolves once the addresses are bound; rejects with
 * SettingsError, BindError or AppLoadError (with `preload`) before anything runs.
 */
export async function startPrefork(options: ServePreforkOptions, runtime: PreforkRuntime): Promise<PreforkServer> {
  const settings = await readSettings(options);
  if (settings.chdir) process.chdir(settings.chdir);
  const log = new ErrorLog(settings.errorLogfile, settings.logLevel);
  process.title = settings.name ? `tsgi: master [${settings.name}]` : 'tsgi: master';

  let arbiter: Arbiter | undefined;
  let listeners: BoundListener[] = [];
  let resolveReady!: () => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => undefined);
  let resolveExited!: (code: ExitCode) => void;
  const exited = new Promise<ExitCode>((resolve) => (resolveExited = resolve));

  const server: PreforkServer = {
    pid: process.pid,
    get settings() {
      return arbiter?.settings ?? settings;
    },
    get urls() {
      return listeners.flatMap((l) => (l.url ? [l.url] : []));
    },
    get addresses() {
      return listeners.map((l) => l.label);
    },
    log,
    ready,
    exited,
    workers: () => [...(arbiter?.workers ?? [])].map((w) => w.info()),
    reload: () => (arbiter ? arbiter.reload() : Promise.reject(new Error('the server is not running'))),
    scale: (workers) => void arbiter?.scale(workers),
    stop(stopOptions = {}) {
      arbiter?.enqueue({ kind: 'signal', signal: stopOptions.graceful === false ? 'SIGINT' : 'SIGTERM' });
      return exited;
    },
  };

  const callHook = async (name: keyof PreforkHooks, ...args: unknown[]): Promise<boolean> => {
    const hook = server.settings.hooks[name] as ((...a: unknown[]) => unknown) | undefined;
    if (!hook) return true;
    try {
      await hook(server, ...args);
      return true;
    } catch (error) {
      log.error(`hook ${name} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return false;
    }
  };

  try {
    listeners = await prepare(settings, server, log);
  } catch (error) {
    log.close();
    throw error;
  }
  const reusePort = listeners.some((l) => l.fd === undefined && l.bind.kind === 'tcp');

  if (settings.pidfile) writeFileSync(settings.pidfile, `${process.pid}\n`);
  arbiter = new Arbiter(settings, {
    entry: runtime.entry,
    listeners,
    log,
    configFile: options.config,
    rereadSettings: async () => {
      const next = await readSettings(options);
      if (next.binds.map(stringFromBind).join() !== settings.binds.map(stringFromBind).join()) {
        log.warning('the config file changed --bind; new addresses take effect on restart, not on reload');
      }
      return { ...next, binds: settings.binds };
    },
    callHook,
    ...(runtime.crashLoop ? { crashLoop: runtime.crashLoop } : {}),
    onReady: () => {
      const where = listeners.map((l) => l.url ?? l.label).join(', ');
      log.info(`ready: ${server.settings.workers} workers serving ${where}`);
      resolveReady();
      void callHook('whenReady');
    },
  });
  const running = arbiter;
  const onSignal = (signal: NodeJS.Signals) => running.enqueue({ kind: 'signal', signal });
  if (options.handleSignals !== false) for (const signal of MASTER_SIGNALS) process.on(signal, onSignal);
  const reloader = settings.reload
    ? new Reloader([watchRootFor(settings.app.module, process.cwd()), ...settings.reloadExtraFiles], (files) => {
        log.info(`changed: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ' ...' : ''}; reloading`);
        running.reload().catch(() => undefined);
      })
    : undefined;

  log.info(`tsgi master ${process.pid} on Node ${process.versions.node}, ${reusePort ? 'one SO_REUSEPORT socket per worker' : 'workers sharing the sockets'} at ${server.addresses.join(', ')}`);
  void running
    .run()
    .catch((error: unknown) => {
      log.critical(`master failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      // Nobody supervises the workers any more; in a process that lives on, they must not.
      for (const worker of running.workers) worker.signal('SIGKILL');
      return ExitCode.FAILURE;
    })
    .then(async (code) => {
      reloader?.close();
      for (const signal of MASTER_SIGNALS) process.off(signal, onSignal);
      for (const listener of listeners) listener.close();
      if (settings.pidfile) {
        try {
          unlinkSync(settings.pidfile);
        } catch {
          // Removed by someone else: nothing to clean.
        }
      }
      rejectReady(new Error(`the server stopped before it was ready (exit ${describeExitCode(code)})`));
      await callHook('onExit');
      log.info(`master exiting with status ${describeExitCode(code)}`);
      resolveExited(code);
    });
  return server;
}
