/** What the command line asked for. */
export interface CliArgs {
  command: 'app' | 'server' | 'middleware';
  module: string;
  exportName: string | undefined;
  runs: number | undefined;
  seed: number | undefined;
  json: boolean;
  junit: string | undefined;
  kind: 'http' | 'lambda' | 'fetch' | 'memory' | undefined;
  capabilities: string[] | undefined;
  timeoutMs: number | undefined;
  shrink: boolean;
}

/** A command line that cannot run: exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: tsgi-conformance app|server|middleware MODULE[:export] [options]

Certifies a tsgi app, server (host) or middleware against the tsgi 1.0 spec.
MODULE is a path (.js, .mjs, .ts ...) or a package name; its default export is used
unless :export names another. For server, the export is a factory:
  (app) => Promise<{ url, close }>   an HTTP host (url: its base URL, http://127.0.0.1:PORT)
  (app) => handler                    a Lambda or fetch host (with --kind lambda|fetch)

Options:
  --runs N             generated cases (default 100)
  --seed N             replay a run
  --json               print the report as JSON on stdout
  --junit FILE         write a JUnit XML report to FILE
  --kind KIND          server only: http (default), lambda, fetch or memory
  --capabilities a,b   server only: what the host advertises (default: the factory's
                       \`capabilities\` property, or the module's \`capabilities\` export)
  --timeout MS         most time one response may take (default 5000)
  --no-shrink          report the first failing case as it was, without shrinking
  -h, --help           show this help

Exit status: 0 when every checked clause passed, 1 when one failed, 2 on a usage error.`;

function integer(flag: string, value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new UsageError(`${flag} needs a non-negative integer; got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  return Number(value);
}

/** Parses argv (without node and the script). */
export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  const positional: string[] = [];
  const args: Omit<CliArgs, 'command' | 'module' | 'exportName'> = {
    runs: undefined,
    seed: undefined,
    json: false,
    junit: undefined,
    kind: undefined,
    capabilities: undefined,
    timeoutMs: undefined,
    shrink: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--runs':
        args.runs = integer(flag, value());
        break;
      case '--seed':
        args.seed = integer(flag, value());
        break;
      case '--json':
        args.json = true;
        break;
      case '--junit': {
        const file = value();
        if (!file) throw new UsageError('--junit needs a file name');
        args.junit = file;
        break;
      }
      case '--kind': {
        const kind = value();
        if (kind !== 'http' && kind !== 'lambda' && kind !== 'fetch' && kind !== 'memory') throw new UsageError(`--kind must be http, lambda, fetch or memory; got ${JSON.stringify(kind)}`);
        args.kind = kind;
        break;
      }
      case '--capabilities':
        args.capabilities = (value() ?? '').split(',').map((c) => c.trim()).filter(Boolean);
        break;
      case '--timeout':
        args.timeoutMs = integer(flag, value());
        break;
      case '--no-shrink':
        args.shrink = false;
        break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        positional.push(arg);
    }
  }
  const [command, target, ...rest] = positional;
  if (command !== 'app' && command !== 'server' && command !== 'middleware') {
    throw new UsageError(command === undefined ? 'missing command: app, server or middleware' : `unknown command ${JSON.stringify(command)}; expected app, server or middleware`);
  }
  if (!target) throw new UsageError(`missing MODULE: tsgi-conformance ${command} MODULE[:export]`);
  if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  if (command !== 'server' && (args.kind || args.capabilities)) throw new UsageError('--kind and --capabilities apply to server only');
  // MODULE[:export]; a Windows drive letter (C:\\...) is not an export.
  const colon = target.lastIndexOf(':');
  const hasExport = colon > 1 && !/[\\/]/.test(target.slice(colon + 1));
  return {
    command,
    module: hasExport ? target.slice(0, colon) : target,
    exportName: hasExport ? target.slice(colon + 1) : undefined,
    ...args,
  };
}
