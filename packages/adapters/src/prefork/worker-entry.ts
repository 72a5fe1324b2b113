import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkerEntry } from './worker-process.js';

/** Inspector flags would make every worker fight for the master's debugging port. */
const INSPECTOR = /^--(?:inspect|debug)(?:-brk|-port|-wait)?(?:=|$)/;

/**
 * Where the worker script is, given its URL as seen from an entry point (the built
 * `dist/prefork/worker.js`, or `src/prefork/worker.ts` when tsgi itself runs from source,
 * in which case the workers load tsx first).
 */
export function workerEntryAt(scriptUrl: URL, execArgv: readonly string[] = process.execArgv): WorkerEntry {
  const flags = execArgv.filter((flag) => !INSPECTOR.test(flag));
  const script = fileURLToPath(scriptUrl);
  if (existsSync(script)) return { script, execArgv: flags };
  const source = script.replace(/\.js$/, '.ts');
  const tsx = pathToFileURL(createRequire(scriptUrl).resolve('tsx')).href;
  const hasTsx = flags.some((flag, i) => flag.includes('tsx') && (flags[i - 1] === '--import' || flag.startsWith('--import=')));
  return { script: source, execArgv: hasTsx ? flags : [...flags, '--import', tsx] };
}
