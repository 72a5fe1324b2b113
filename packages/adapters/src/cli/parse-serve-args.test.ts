import { describe, expect, it } from 'vitest';
import { OPTION_SPECS } from '../prefork/options.js';
import { serveHelp } from './help.js';
import { parseServeArgs } from './parse-serve-args.js';
import { UsageError } from './usage-error.js';

describe('parseServeArgs', () => {
  it('PF-1: reads gunicorn-style flags into settings', () => {
    const command = parseServeArgs([
      './app.ts:api', '-w4', '-b', '127.0.0.1:8000', '--bind=[::1]:8001', '--timeout', '2.5', '--graceful-timeout=10',
      '--max-requests', '1000', '--max-requests-jitter', '50', '--access-logfile', '-', '--log-level', 'DEBUG',
      '--forwarded-allow-ips', '10.0.0.1,10.0.0.2', '--preload', '-c', 'tsgi.config.js',
    ]);
    expect(command.config).toBe('tsgi.config.js');
    expect(command.options).toEqual({
      app: './app.ts:api',
      workers: 4,
      bind: ['127.0.0.1:8000', '[::1]:8001'],
      timeout: 2.5,
      gracefulTimeout: 10,
      maxRequests: 1000,
      maxRequestsJitter: 50,
      accessLogfile: '-',
      logLevel: 'debug',
      forwardedAllowIps: ['10.0.0.1,10.0.0.2'],
      preload: true,
    });
  });

  it('turns a boolean off with --no-FLAG', () => {
    expect(parseServeArgs(['a.js', '--no-preload']).options.preload).toBe(false);
    expect(() => parseServeArgs(['a.js', '--preload', '--no-preload'])).toThrow(/contradict/);
  });

  it.each([
    [['a.js', '--wokers', '2'], /^unknown option --wokers \(did you mean --workers\?\)$/],
    [['a.js', '-x'], /^unknown option -x$/],
    [['a.js', '--workers'], /^--workers needs a value/],
    [['a.js', '-w', 'four'], /^--workers must be a whole number; got "four"$/],
    [['a.js', '-w', '-1'], /needs a value/],
    [['a.js', '--timeout', '1s'], /^--timeout must be a number of seconds; got "1s"$/],
    [['a.js', '--preload=yes'], /^--preload takes no value$/],
    [['a.js', 'b.js'], /^expected one MODULE\[:EXPORT\]; got 2/],
  ])('rejects %j with a clear UsageError', (args, message) => {
    expect(() => parseServeArgs(args)).toThrow(UsageError);
    expect(() => parseServeArgs(args)).toThrow(message);
  });

  it('documents every flag in --help', () => {
    const help = serveHelp();
    for (const spec of OPTION_SPECS) expect(help).toContain(`--${spec.flag}`);
    for (const line of help.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
