import { writeFileSync } from 'node:fs';
import { CAPABILITIES, type App, type Capability, type Middleware } from '@tsgi/interface';
import { certifyApp } from '../certify/certify-app.js';
import { certifyMiddleware } from '../certify/certify-middleware.js';
import { certifyServer, type HttpHostFactory } from '../certify/certify-server.js';
import type { CertificationReport } from '../certify/report.js';
import { driverFor } from '../drivers/driver-for.js';
import { parseArgs, USAGE, UsageError } from './args.js';
import { junitXml } from './junit.js';
import { loadExport } from './load-module.js';
import { ProgressBar } from './progress.js';
import { formatReport } from './table.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  progress?: ProgressBar;
  cwd?: string;
}

/** The whole command: parse, load, certify, report. Resolves to the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`tsgi-conformance: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  let target: unknown;
  try {
    target = await loadExport(args.module, args.exportName, io.cwd);
    if (typeof target !== 'function') throw new UsageError(`${args.module}:${args.exportName ?? 'default'} must be a function; got ${typeof target}`);
    for (const capability of args.capabilities ?? []) {
      if (!CAPABILITIES.includes(capability as Capability)) throw new UsageError(`unknown capability ${JSON.stringify(capability)}; known: ${CAPABILITIES.join(', ')}`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`tsgi-conformance: ${error.message}\n`);
    return 2;
  }
  const progress = io.progress;
  const onProgress = (done: number, total: number, label: string) => progress?.update(done, total, label);
  const common = { runs: args.runs, seed: args.seed, timeoutMs: args.timeoutMs, shrink: args.shrink, onProgress };
  let report: CertificationReport;
  try {
    if (args.command === 'app') report = await certifyApp(target as App, common);
    else if (args.command === 'middleware') report = await certifyMiddleware(target as Middleware, common);
    else {
      const kind = args.kind ?? 'http';
      const declared = args.capabilities ?? (target as { capabilities?: readonly string[] }).capabilities;
      const fallback = declared ? undefined : await loadExport(args.module, 'capabilities', io.cwd).catch(() => undefined);
      report = await certifyServer(target as HttpHostFactory, {
        ...common,
        kind,
        capabilities: (declared ?? (Array.isArray(fallback) ? fallback : [])) as Capability[],
        ...(kind === 'lambda' || kind === 'fetch' ? { driver: driverFor(kind) } : {}),
      });
    }
  } finally {
    progress?.clear();
  }
  if (args.json) io.stdout(`${JSON.stringify(report, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v instanceof Error ? `${v.name}: ${v.message}` : v), 2)}\n`);
  else io.stdout(`${formatReport(report)}\n`);
  if (args.junit) writeFileSync(args.junit, junitXml(report));
  return report.ok ? 0 : 1;
}
