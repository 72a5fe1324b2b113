import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { OPTION_SPECS } from './options.js';
import { SettingsError } from './settings-error.js';
import { checkOptions, settingsFromOptions } from './settings.js';

describe('settingsFromOptions', () => {
  it('fills the defaults gunicorn users expect, durations in ms', () => {
    const s = settingsFromOptions({ app: './app.ts' }, {});
    expect(s.workers).toBe(availableParallelism());
    expect(s.binds).toEqual([{ kind: 'tcp', host: '127.0.0.1', port: 8000 }]);
    expect(s.timeoutMs).toBe(30_000);
    expect(s.gracefulTimeoutMs).toBe(30_000);
    expect(s.keepAliveMs).toBe(5000);
    expect(s.maxRequests).toBe(0);
    expect(s.accessLogfile).toBeNull();
    expect(s.errorLogfile).toBe('-');
    // HOST-33: no proxy is trusted unless the deployer names it.
    expect(s.forwardedAllowIps).toEqual([]);
    expect(s.limits).toEqual({ requestLine: 8190, headerCount: 100, headerSize: 16384, bodySize: 0 });
  });

  it('reads WEB_CONCURRENCY, PORT and FORWARDED_ALLOW_IPS from the environment; options win', () => {
    const env = { WEB_CONCURRENCY: '3', PORT: '5000', FORWARDED_ALLOW_IPS: '10.0.0.1, 10.0.0.2' };
    const s = settingsFromOptions({ app: 'a.js' }, env);
    expect(s.workers).toBe(3);
    expect(s.binds).toEqual([{ kind: 'tcp', host: '0.0.0.0', port: 5000 }]);
    expect(s.forwardedAllowIps).toEqual(['10.0.0.1', '10.0.0.2']);
    const t = settingsFromOptions({ app: 'a.js', workers: 2, bind: ['[::1]:1', 'unix:/x'], forwardedAllowIps: '*', timeout: 0.5 }, env);
    expect(t.workers).toBe(2);
    expect(t.binds).toHaveLength(2);
    expect(t.forwardedAllowIps).toEqual(['*']);
    expect(t.timeoutMs).toBe(500);
  });

  it.each([
    [{ app: 'a.js', workers: 0 }, /--workers must be 1 or more/],
    [{ app: 'a.js', workers: 1.5 }, /--workers must be a whole number/],
    [{ app: 'a.js', timeout: -1 }, /--timeout must be a number of seconds/],
    [{ app: 'a.js', logLevel: 'loud' }, /--log-level must be one of debug, info/],
    [{ app: 'a.js', certfile: 'c.pem' }, /--certfile and --keyfile must be given together/],
    [{ app: 'a.js', accessLogformat: '%(zz)s' }, /\[PF-9\]/],
    [{ app: 'a.js', bind: 'nope:x' }, /\[PF-1\] --bind/],
    [{ workers: 1 }, /\[PF-1\] the app must be given/],
  ])('rejects %j', (options, message) => {
    expect(() => settingsFromOptions(options as never, {})).toThrow(SettingsError);
    expect(() => settingsFromOptions(options as never, {})).toThrow(message);
  });

  it('rejects a bad WEB_CONCURRENCY', () => {
    expect(() => settingsFromOptions({ app: 'a.js' }, { WEB_CONCURRENCY: 'lots' })).toThrow(/WEB_CONCURRENCY must be a whole number/);
  });

  it('names unknown keys and lists the known ones (config files)', () => {
    expect(() => checkOptions({ wokers: 2 }, 'tsgi.config.js')).toThrow(/^tsgi.config.js: unknown setting "wokers"; known settings: bind, /);
    expect(() => checkOptions({ onStarting: 1 }, 'x')).toThrow(/hook onStarting must be a function/);
  });

  it('has one spec per setting with a unique flag and short flag', () => {
    const flags = OPTION_SPECS.map((s) => s.flag);
    const shorts = OPTION_SPECS.flatMap((s) => (s.short ? [s.short] : []));
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(shorts).size).toBe(shorts.length);
    for (const spec of OPTION_SPECS) expect(spec.key).toBe(spec.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
  });
});
