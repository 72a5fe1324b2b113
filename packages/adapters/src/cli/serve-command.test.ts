import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../prefork/exit-codes.js';
import { buildTsgiBin, type TsgiBin } from '../prefork/testing/tsgi-bin.js';
import { runServe, type Output } from './serve-command.js';

function capture(): Output & { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '', out: (t: string) => void (out.stdout += t), err: (t: string) => void (out.stderr += t) };
  return out;
}

const runtime = { entry: { script: '/nonexistent/worker.js', execArgv: [] } };

describe('tsgi serve (in process)', () => {
  it('prints help and the version with status 0', async () => {
    const help = capture();
    expect(await runServe(['--help'], runtime, help)).toBe(ExitCode.OK);
    expect(help.stdout).toMatch(/^Usage: tsgi serve MODULE\[:EXPORT\] \[options\]/);
    const version = capture();
    expect(await runServe(['--version'], runtime, version)).toBe(ExitCode.OK);
    expect(version.stdout).toMatch(/^tsgi \d+\.\d+\.\d+\n$/);
  });

  it.each([
    [['--wokers=2', 'a.js'], /unknown option --wokers \(did you mean --workers\?\)/],
    [[], /missing MODULE\[:EXPORT\]/],
    [['a.js', '-b', 'localhost:99999'], /\[PF-1\] --bind must be/],
    [['a.js', '--access-logformat', '%(x)s'], /\[PF-9\]/],
    [['a.js', '-c', '/nonexistent/tsgi.json'], /--config \/nonexistent\/tsgi.json: cannot read it/],
    [['a.js', '--certfile', '/nonexistent/c.pem', '--keyfile', '/nonexistent/k.pem'], /--certfile\/--keyfile \/nonexistent\/c.pem must be a readable file/],
  ])('exits 2 with a message and a pointer to --help for %j', async (args, message) => {
    const output = capture();
    expect(await runServe(args, runtime, output)).toBe(ExitCode.USAGE);
    expect(output.stderr).toMatch(/^tsgi serve: error: /);
    expect(output.stderr).toMatch(message);
    expect(output.stderr).toMatch(/Run 'tsgi serve --help' for the options.\n$/);
  });
});

describe('the tsgi bin', () => {
  let tsgi: TsgiBin;
  beforeAll(async () => {
    tsgi = await buildTsgiBin();
  });
  afterAll(() => tsgi.remove());

  it('exits 2 on bad flags and unknown commands, with a message on stderr', () => {
    const bad = spawnSync(process.execPath, [tsgi.bin, 'serve', 'app.js', '--workers', 'x'], { encoding: 'utf8' });
    expect(bad.status).toBe(ExitCode.USAGE);
    expect(bad.stderr).toMatch(/--workers must be a whole number; got "x"/);
    const unknown = spawnSync(process.execPath, [tsgi.bin, 'server'], { encoding: 'utf8' });
    expect(unknown.status).toBe(ExitCode.USAGE);
    expect(unknown.stderr).toMatch(/unknown command "server"/);
    const help = spawnSync(process.execPath, [tsgi.bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(ExitCode.OK);
    expect(help.stdout).toMatch(/serve MODULE\[:EXPORT\]/);
  });
});
