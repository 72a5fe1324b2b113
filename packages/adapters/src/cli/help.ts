import { OPTION_SPECS, type OptionSpec } from '../prefork/options.js';

const SECTIONS: ReadonlyArray<OptionSpec['section']> = ['Server', 'Workers', 'Logging', 'Limits', 'Proxy', 'Development'];

function flagColumn(spec: { flag: string; short?: string; metavar?: string }): string {
  const short = spec.short ? `-${spec.short}, ` : '    ';
  return `${short}--${spec.flag}${spec.metavar ? ` ${spec.metavar}` : ''}`;
}

/** Wraps `text` to `width` columns, indenting continuation lines by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** `tsgi serve --help`. */
export function serveHelp(): string {
  const column = 34;
  const row = (flag: string, help: string): string => `  ${flag.padEnd(column - 2)}${flag.length > column - 3 ? `\n${' '.repeat(column)}` : ''}${wrap(help, 100 - column, column)}`;
  const out = [
    'Usage: tsgi serve MODULE[:EXPORT] [options]',
    '',
    'Serves a tsgi app with a master process and N worker processes (pre-fork, like gunicorn).',
    'MODULE is a .ts or .js file or a package; EXPORT defaults to the default export;',
    'EXPORT() calls a factory (sync or async) once per worker.',
    '',
    '  tsgi serve ./app.ts -w 4 -b 127.0.0.1:8000',
    '  tsgi serve ./server.js:createApp() -b unix:/run/app.sock --access-logfile -',
    '',
    'General:',
    row('-c, --config FILE', 'settings file (.json, .js, .mjs, .ts): an object whose keys are the camelCase long flags (gracefulTimeout) and hooks; flags override it; re-read on SIGHUP'),
    row('    --check-config', 'check the settings and load the app, then exit (0 when both are fine)'),
    row('-h, --help', 'show this help'),
    row('-v, --version', 'show the version'),
  ];
  for (const section of SECTIONS) {
    out.push('', `${section}:`);
    for (const spec of OPTION_SPECS.filter((s) => s.section === section)) {
      out.push(row(flagColumn(spec), spec.help));
      if (spec.type === 'boolean') out.push(row(`    --no-${spec.flag}`, `turn --${spec.flag} off (when a config file turns it on)`));
    }
  }
  out.push(
    '',
    'Signals (to the master): TERM graceful stop, INT/QUIT quick stop, HUP rolling reload,',
    'TTIN/TTOU one worker more/less, USR1 reopen log files.',
    '',
    'Exit status: 0 stopped on request, 1 unexpected error, 2 usage or settings error,',
    '3 workers kept failing to boot, 4 the app failed to load, 5 an address could not be bound.',
  );
  return `${out.join('\n')}\n`;
}

/** `tsgi --help`. */
export function mainHelp(): string {
  return [
    'Usage: tsgi COMMAND [options]',
    '',
    'Commands:',
    '  serve MODULE[:EXPORT]   serve a tsgi app with pre-forked workers (tsgi serve --help)',
    '',
    'Options:',
    '  -h, --help              show this help',
    '  -v, --version           show the version',
    '',
  ].join('\n');
}
