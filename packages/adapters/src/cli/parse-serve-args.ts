import { parseArgs, type ParseArgsConfig } from 'node:util';
import { OPTION_SPECS, type OptionSpec, type PreforkOptions } from '../prefork/options.js';
import { UsageError } from './usage-error.js';

/** What `tsgi serve ARGS` asks for. */
export interface ServeCommand {
  readonly help: boolean;
  readonly version: boolean;
  readonly checkConfig: boolean;
  readonly config: string | undefined;
  /** Settings from the flags only; the config file's are merged under them later. */
  readonly options: PreforkOptions;
}

/** Flags that are not settings. */
const COMMAND_FLAGS = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'check-config': { type: 'boolean' },
} as const;

function parseConfig(): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = { ...COMMAND_FLAGS };
  for (const spec of OPTION_SPECS) {
    options[spec.flag] = {
      type: spec.type === 'boolean' ? 'boolean' : 'string',
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.type === 'strings' ? { multiple: true } : {}),
    };
    if (spec.type === 'boolean') options[`no-${spec.flag}`] = { type: 'boolean' };
  }
  return options;
}

/** Edit distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function suggestion(flag: string): string {
  const name = flag.replace(/^-+/, '').split('=')[0]!;
  const flags = [...OPTION_SPECS.map((s) => s.flag), ...Object.keys(COMMAND_FLAGS)];
  const best = flags.map((f) => ({ f, d: distance(name, f) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(1, Math.floor(name.length / 3)) ? ` (did you mean --${best.f}?)` : '';
}

function valueOf(spec: OptionSpec, raw: string | boolean | string[]): unknown {
  const flag = `--${spec.flag}`;
  switch (spec.type) {
    case 'int':
      if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new UsageError(`${flag} must be a whole number; got ${JSON.stringify(raw)}`);
      return Number(raw);
    case 'seconds':
      if (typeof raw !== 'string' || !/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(raw)) throw new UsageError(`${flag} must be a number of seconds; got ${JSON.stringify(raw)}`);
      return Number(raw);
    case 'level':
      return String(raw).toLowerCase();
    default:
      return raw;
  }
}

/** Parses the arguments after `tsgi serve`; throws UsageError with a message for people. */
export function parseServeArgs(args: readonly string[]): ServeCommand {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options: parseConfig(), allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const quoted = /'(-[^']*)'/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${quoted}${suggestion(quoted)}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = /--[\w-]+/.exec(message)?.[0] ?? quoted;
      if (message.includes('does not take an argument')) throw new UsageError(`${flag} takes no value`);
      throw new UsageError(`${flag} needs a value (write --flag=VALUE for values that start with '-')`);
    }
    throw new UsageError(message.split('\n')[0]!);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const options: Record<string, unknown> = {};
  for (const spec of OPTION_SPECS) {
    const raw = values[spec.flag];
    if (raw !== undefined) options[spec.key] = valueOf(spec, raw);
    if (spec.type === 'boolean' && values[`no-${spec.flag}`]) {
      if (raw) throw new UsageError(`--${spec.flag} and --no-${spec.flag} contradict each other`);
      options[spec.key] = false;
    }
  }
  if (parsed.positionals.length > 1) {
    throw new UsageError(`expected one MODULE[:EXPORT]; got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`);
  }
  if (parsed.positionals[0] !== undefined) options.app = parsed.positionals[0];
  return {
    help: values.help === true,
    version: values.version === true,
    checkConfig: values['check-config'] === true,
    config: typeof values.config === 'string' ? values.config : undefined,
    options: options as PreforkOptions,
  };
}
