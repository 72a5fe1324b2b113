#!/usr/bin/env node
import { ProgressBar } from './cli/progress.js';
import { runCli } from './cli/run-cli.js';

// `tsgi-conformance app|server|middleware MODULE[:export]`: see `--help`.
runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  progress: new ProgressBar(process.stderr),
}).then(
  // Exit explicitly: a host under test may leave handles open after its close().
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`tsgi-conformance: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
