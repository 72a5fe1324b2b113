/**
 * `@tsgi/adapters/prefork`: the pre-fork host. A master process binds the addresses and
 * supervises worker processes that serve the app with the Node host; `tsgi serve` is the
 * same server from the command line.
 */
import { startPrefork, type PreforkServer, type ServePreforkOptions } from './prefork-server.js';
import { workerEntryAt } from './worker-entry.js';

/**
 * Starts a pre-fork server for `options.app` (`MODULE[:EXPORT]`; workers are separate
 * processes, so the app is named by module, not passed as a function). Resolves once the
 * addresses are bound; `ready` resolves when the workers serve, `exited` with the exit status.
 */
export function servePrefork(options: ServePreforkOptions): Promise<PreforkServer> {
  return startPrefork(options, { entry: workerEntryAt(new URL('./worker.js', import.meta.url)) });
}

export type { PreforkServer, ServePreforkOptions } from './prefork-server.js';
export type { PreforkOptions } from './options.js';
export type { PreforkHooks, WorkerInfo, WorkerExitInfo } from './hooks.js';
export type { PreforkSettings, LogLevel } from './settings.js';
export type { Bind } from './bind.js';
export type { AppSpec } from './app-spec.js';
export { ExitCode, describeExitCode } from './exit-codes.js';
export { SettingsError } from './settings-error.js';
export { BindError } from './listeners.js';
export { AppLoadError } from './load-app.js';
export { ReloadError } from './reload-tracker.js';
export { settingsFromOptions } from './settings.js';
export { loadConfigFile } from './config-file.js';
export { OPTION_SPECS, type OptionSpec } from './options.js';
export { bindFromString, stringFromBind } from './bind.js';
export { appSpecFromString, stringFromAppSpec } from './app-spec.js';
