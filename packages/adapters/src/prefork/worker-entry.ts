import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkerEntry } from './worker-process.js';

/** Inspector flags would make every worker fight for the master's debugging port. */
const INSPECTOR = /^--(?:inspect|debug)(?:-brk|-port|-wait)?(?:=|$)/;
/**
 * Flags that name what the master process runs rather than how Node runs: a worker started
 * with the master's `-e SCRIPT` would run that script (and start a master of its own) instead
 * of the worker.
 */
const ENTRY_WITH_VALUE = /^(?:-e|--eval|-p|--print|-pe|-ep)$/;
const ENTRY = /^(?:--eval=|--print=|-i$|--interactive$|-c$|--check$|--test(?:$|[=-])|--watch(?:$|[=-]))/;

/** The master's Node flags that also suit a worker. */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    if (ENTRY_WITH_VALUE.test(flag)) {
      i++;
      continue;
    }
    if (!INSPECTOR.test(flag) && !ENTRY.test(flag)) kept.push(flag);
  }
  return kept;
}

/**
 * Where the worker script is, given its URL as seen from an entry point (the built
 * `dist/prefork/worker.js`, or `src/prefork/worker.ts` when tsgi itself runs from source,
 * in which case the workers load tsx first).
 */
export function workerEntryAt(scriptUrl: URL, execArgv: readonly string[] = process.execArgv): WorkerEntry {
  const flags = workerExecArgv(execArgv);
  const script = fileURLToPath(scriptUrl);
  if (existsSync(script)) return { script, execArgv: flags };
  const source = script.replace(/\.js$/, '.ts');
  const tsx = pathToFileURL(createRequire(scriptUrl).resolve('tsx')).href;
  const hasTsx = flags.some((flag, i) => flag.includes('tsx') && (flags[i - 1] === '--import' || flag.startsWith('--import=')));
  return { script: source, execArgv: hasTsx ? flags : [...flags, '--import', tsx] };
}
