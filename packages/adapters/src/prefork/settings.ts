import { availableParallelism } from 'node:os';
import { COMBINED_LOG_FORMAT, compileAccessLogFormat } from '@tsgi/interface/middleware';
import { appSpecFromString, type AppSpec } from './app-spec.js';
import { bindFromString, type Bind } from './bind.js';
import { HOOK_NAMES, type PreforkHooks } from './hooks.js';
import { LOG_LEVELS, OPTION_SPECS, optionSpecFor, type OptionSpec, type PreforkOptions } from './options.js';
import { SettingsError, showValue } from './settings-error.js';

export type LogLevel = (typeof LOG_LEVELS)[number];

/** Validated settings, durations in milliseconds. */
export interface PreforkSettings {
  readonly app: AppSpec;
  readonly workers: number;
  readonly binds: readonly Bind[];
  readonly chdir: string | undefined;
  readonly timeoutMs: number;
  readonly gracefulTimeoutMs: number;
  readonly bootTimeoutMs: number;
  readonly keepAliveMs: number;
  readonly requestDeadlineMs: number;
  readonly maxRequests: number;
  readonly maxRequestsJitter: number;
  readonly maxBootFailures: number;
  readonly preload: boolean;
  readonly reload: boolean;
  readonly reloadExtraFiles: readonly string[];
  readonly accessLogfile: string | null;
  readonly accessLogformat: string;
  readonly errorLogfile: string;
  readonly logLevel: LogLevel;
  readonly pidfile: string | null;
  readonly forwardedAllowIps: readonly string[];
  readonly limits: {
    readonly requestLine: number;
    readonly headerCount: number;
    readonly headerSize: number;
    readonly bodySize: number;
  };
  readonly reusePort: boolean;
  readonly tls: { readonly certfile: string; readonly keyfile: string } | undefined;
  readonly name: string | undefined;
  readonly hooks: PreforkHooks;
}

type Env = Readonly<Record<string, string | undefined>>;

function checkValue(spec: OptionSpec, value: unknown): unknown {
  const subject = `--${spec.flag}`;
  const fail = (expected: string): never => {
    throw new SettingsError(`${subject} must be ${expected}; got ${showValue(value)}`);
  };
  switch (spec.type) {
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail('a whole number, 0 or more');
      return value;
    case 'seconds':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail('a number of seconds, 0 or more');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') fail('true or false');
      return value;
    case 'level':
      if (!LOG_LEVELS.includes(value as LogLevel)) fail(`one of ${LOG_LEVELS.join(', ')}`);
      return value;
    case 'string':
      if (spec.key === 'accessLogfile' || spec.key === 'pid') {
        if (value !== null && (typeof value !== 'string' || value === '')) fail('a file path, or null');
      } else if (typeof value !== 'string' || value === '') fail('a non-empty string');
      return value;
    case 'strings': {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) fail('a string or an array of strings');
      return list;
    }
  }
}

/** Checks that every key is a known setting or hook, and that each value has its type. */
export function checkOptions(options: Readonly<Record<string, unknown>>, source: string): PreforkOptions {
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if ((HOOK_NAMES as readonly string[]).includes(key)) {
      if (typeof value !== 'function') throw new SettingsError(`${source}: hook ${key} must be a function; got ${showValue(value)}`);
      continue;
    }
    if (key === 'app') {
      if (typeof value !== 'string') throw new SettingsError(`${source}: app must be MODULE[:EXPORT]; got ${showValue(value)}`);
      continue;
    }
    const spec = optionSpecFor(key);
    if (!spec) {
      const known = [...OPTION_SPECS.map((s) => s.key), 'app', ...HOOK_NAMES].join(', ');
      throw new SettingsError(`${source}: unknown setting ${showValue(key)}; known settings: ${known}`);
    }
    try {
      checkValue(spec, value);
    } catch (error) {
      throw new SettingsError(`${source}: ${(error as Error).message}`);
    }
  }
  return options as PreforkOptions;
}

function workersDefault(env: Env): number {
  const fromEnv = env.WEB_CONCURRENCY;
  if (fromEnv !== undefined && fromEnv !== '') {
    const n = Number(fromEnv);
    if (!Number.isSafeInteger(n) || n < 1) throw new SettingsError(`WEB_CONCURRENCY must be a whole number, 1 or more; got ${showValue(fromEnv)}`);
    return n;
  }
  return availableParallelism();
}

function listFrom(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return (typeof value === 'string' ? [value] : value).flatMap((item) => item.split(',')).map((s) => s.trim()).filter(Boolean);
}

const seconds = (value: number | undefined, fallback: number): number => Math.round((value ?? fallback) * 1000);

/** Fills defaults (from `env` where gunicorn reads it) and validates everything. */
export function settingsFromOptions(input: PreforkOptions, env: Env = process.env): PreforkSettings {
  const options = checkOptions(input as Record<string, unknown>, 'settings');
  if (!options.app) throw new SettingsError('[PF-1] the app must be given as MODULE[:EXPORT]; got nothing');
  const workers = options.workers ?? workersDefault(env);
  if (workers < 1) throw new SettingsError(`--workers must be 1 or more; got ${workers}`);
  const bindTexts = options.bind === undefined ? [] : ([] as string[]).concat(options.bind);
  if (bindTexts.length === 0) bindTexts.push(env.PORT ? `0.0.0.0:${env.PORT}` : '127.0.0.1:8000');
  if ((options.certfile === undefined) !== (options.keyfile === undefined)) {
    throw new SettingsError('--certfile and --keyfile must be given together');
  }
  const accessLogformat = options.accessLogformat ?? COMBINED_LOG_FORMAT;
  try {
    compileAccessLogFormat(accessLogformat);
  } catch (error) {
    throw new SettingsError(`[PF-9] --access-logformat must use gunicorn's atoms; ${(error as Error).message}`);
  }
  const hooks: PreforkHooks = {};
  for (const name of HOOK_NAMES) if (options[name]) (hooks as Record<string, unknown>)[name] = options[name];
  return {
    app: appSpecFromString(options.app),
    workers,
    binds: bindTexts.map(bindFromString),
    chdir: options.chdir,
    timeoutMs: seconds(options.timeout, 30),
    gracefulTimeoutMs: seconds(options.gracefulTimeout, 30),
    bootTimeoutMs: seconds(options.bootTimeout, 60),
    keepAliveMs: seconds(options.keepAlive, 5),
    requestDeadlineMs: seconds(options.requestDeadline, 0),
    maxRequests: options.maxRequests ?? 0,
    maxRequestsJitter: options.maxRequestsJitter ?? 0,
    maxBootFailures: Math.max(1, options.maxBootFailures ?? 5),
    preload: options.preload ?? false,
    reload: options.reload ?? false,
    reloadExtraFiles: listFrom(options.reloadExtraFile),
    accessLogfile: options.accessLogfile ?? null,
    accessLogformat,
    errorLogfile: options.errorLogfile ?? '-',
    logLevel: options.logLevel ?? 'info',
    pidfile: options.pid ?? null,
    forwardedAllowIps: listFrom(options.forwardedAllowIps ?? env.FORWARDED_ALLOW_IPS),
    limits: {
      requestLine: options.limitRequestLine ?? 8190,
      headerCount: options.limitRequestFields ?? 100,
      headerSize: options.limitRequestHeaderSize ?? 16384,
      bodySize: options.limitRequestBody ?? 0,
    },
    reusePort: options.reusePort ?? false,
    tls: options.certfile && options.keyfile ? { certfile: options.certfile, keyfile: options.keyfile } : undefined,
    name: options.name,
    hooks,
  };
}
