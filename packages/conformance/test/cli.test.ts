import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../src/cli/args.js';
import { runCli } from '../src/cli/run-cli.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => join(here, 'fixtures', name);

async function cli(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { status, stdout, stderr };
}

describe('tsgi-conformance CLI', () => {
  it('parses MODULE[:export] and the options', () => {
    expect(parseArgs(['server', './host.ts:factory', '--runs', '7', '--seed=3', '--kind', 'fetch', '--capabilities', 'streaming-response,wait-until', '--no-shrink'])).toMatchObject({
      command: 'server',
      module: './host.ts',
      exportName: 'factory',
      runs: 7,
      seed: 3,
      kind: 'fetch',
      capabilities: ['streaming-response', 'wait-until'],
      shrink: false,
    });
    expect(parseArgs(['app', 'C:\\apps\\app.js'])).toMatchObject({ module: 'C:\\apps\\app.js', exportName: undefined });
    expect(() => parseArgs(['app'])).toThrow(UsageError);
    expect(() => parseArgs(['app', 'x', '--runs', 'many'])).toThrow(UsageError);
    expect(() => parseArgs(['app', 'x', '--kind', 'fetch'])).toThrow(UsageError);
  });

  it('exits 2 on usage errors, with the usage text', async () => {
    for (const argv of [[], ['certify', 'x'], ['app'], ['app', fixture('hello-app.ts'), '--bogus'], ['app', fixture('missing.ts')], ['app', `${fixture('hello-app.ts')}:nothing`]]) {
      const result = await cli(...argv);
      expect(result.status, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/tsgi-conformance: /);
    }
    expect((await cli('--help')).status).toBe(0);
  });

  it('APP-1: certifies a TypeScript app module and prints the clause table', async () => {
    const result = await cli('app', fixture('hello-app.ts'), '--runs', '20', '--seed', '1');
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/APP-1\s+pass/);
    expect(result.stdout).toContain('result: PASS');
  });

  it('BODY-14: exits 1 on a failing clause, with --json and --junit reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsgi-conformance-'));
    const junit = join(dir, 'report.xml');
    const result = await cli('app', `${fixture('hello-app.ts')}:lying`, '--runs', '10', '--seed', '2', '--json', '--junit', junit);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; clauses: Array<{ clause: string; status: string }>; counterexample: unknown };
    expect(report.ok).toBe(false);
    expect(report.clauses.find((c) => c.clause === 'BODY-14')?.status).toBe('failed');
    expect(report.counterexample).toBeTruthy();
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testcase classname="tsgi-conformance app \(memory\)" name="BODY-14">\s*<failure message="\[BODY-14\]/);
    expect(xml).toContain('name="APP-1"></testcase>');
  });

  it('certifies a server factory module (the reference host) and a middleware module', async () => {
    const server = await cli('server', fixture('reference-factory.ts'), '--runs', '5', '--seed', '3');
    expect(server.status, server.stdout).toBe(0);
    expect(server.stdout).toMatch(/HOST-30\s+pass/);
    const middleware = await cli('middleware', `${fixture('powered-by.mjs')}:poweredBy`, '--runs', '10');
    expect(middleware.status, middleware.stdout).toBe(0);
  }, 60_000);

  it('runs as a program: exit status 2 without arguments, help on --help', () => {
    const entry = join(here, '..', 'src', 'cli.ts');
    const none = spawnSync(process.execPath, ['--import', 'tsx', entry], { encoding: 'utf8' });
    expect(none.status).toBe(2);
    const help = spawnSync(process.execPath, ['--import', 'tsx', entry, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: tsgi-conformance app|server|middleware MODULE[:export]');
  });
});
