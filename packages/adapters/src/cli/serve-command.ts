import { readFileSync } from 'node:fs';
import { AppLoadError, loadApp } from '../prefork/load-app.js';
import { BindError } from '../prefork/listeners.js';
import { ExitCode } from '../prefork/exit-codes.js';
import { readSettings, startPrefork, type PreforkRuntime } from '../prefork/prefork-server.js';
import { SettingsError } from '../prefork/settings-error.js';
import { serveHelp } from './help.js';
import { parseServeArgs } from './parse-serve-args.js';
import { UsageError } from './usage-error.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** The version of @tsgi/adapters, from its package.json. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The exit status for an error that stopped the start. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError || error instanceof SettingsError) return ExitCode.USAGE;
  if (error instanceof AppLoadError) return ExitCode.APP_LOAD_ERROR;
  if (error instanceof BindError) return ExitCode.BIND_ERROR;
  return ExitCode.FAILURE;
}

function report(output: Output, error: unknown): ExitCode {
  const code = exitCodeFor(error);
  const message = code === ExitCode.FAILURE && error instanceof Error ? (error.stack ?? error.message) : (error as Error).message;
  output.err(`tsgi serve: error: ${message}\n`);
  if (code === ExitCode.USAGE) output.err("Run 'tsgi serve --help' for the options.\n");
  return code;
}

/** `tsgi serve ARGS`: resolves with the exit status once the master stopped. */
export async function runServe(args: readonly string[], runtime: PreforkRuntime, output: Output = processOutput): Promise<number> {
  try {
    const command = parseServeArgs(args);
    if (command.help) {
      output.out(serveHelp());
      return ExitCode.OK;
    }
    if (command.version) {
      output.out(`tsgi ${version()}\n`);
      return ExitCode.OK;
    }
    if (command.options.app === undefined && command.config === undefined) {
      throw new UsageError('missing MODULE[:EXPORT], the app to serve (for example: tsgi serve ./app.ts)');
    }
    const options = { ...command.options, ...(command.config ? { config: command.config } : {}) };
    if (command.checkConfig) {
      const settings = await readSettings(options);
      if (settings.chdir) process.chdir(settings.chdir);
      await loadApp(settings.app);
      output.out(`tsgi serve: settings and app ${options.app ?? ''} are fine\n`);
      return ExitCode.OK;
    }
    const server = await startPrefork(options, runtime);
    return await server.exited;
  } catch (error) {
    return report(output, error);
  }
}
