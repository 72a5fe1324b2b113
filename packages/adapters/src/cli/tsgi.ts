/** The `tsgi` command. */
import { workerEntryAt } from '../prefork/worker-entry.js';
import { ExitCode } from '../prefork/exit-codes.js';
import { mainHelp } from './help.js';
import { runServe, version } from './serve-command.js';

async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'serve') {
    return runServe(rest, { entry: workerEntryAt(new URL('../prefork/worker.js', import.meta.url)) });
  }
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(mainHelp());
    return command === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`tsgi ${version()}\n`);
    return ExitCode.OK;
  }
  process.stderr.write(`tsgi: error: unknown command ${JSON.stringify(command)}\nRun 'tsgi --help' for the commands.\n`);
  return ExitCode.USAGE;
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
