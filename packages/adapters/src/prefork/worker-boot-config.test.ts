import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settingsFromOptions } from './settings.js';
import type { BoundListener } from './listeners.js';
import { heartbeatInterval, maxRequestsWithJitter, workerBootConfig } from './worker-boot-config.js';

describe('worker boot config', () => {
  it('PF-6: max-requests is the setting plus 0..jitter, and 0 when off', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.nat(1000), (max, jitter) => {
        const value = maxRequestsWithJitter(max, jitter);
        expect(value).toBeGreaterThanOrEqual(max);
        expect(value).toBeLessThanOrEqual(max + jitter);
      }),
    );
    expect(maxRequestsWithJitter(0, 50)).toBe(0);
    expect(maxRequestsWithJitter(10, 5, (bound) => bound - 1)).toBe(15);
  });

  it('PF-11: beats four times per timeout, at most once a second', () => {
    expect(heartbeatInterval(30_000)).toBe(1000);
    expect(heartbeatInterval(1000)).toBe(250);
    expect(heartbeatInterval(0)).toBe(1000);
  });

  it('passes the shared sockets as fds 4, 5 ... and reuse-port listeners by address', () => {
    const listener = (fd: number | undefined): BoundListener => ({
      bind: { kind: 'tcp', host: '127.0.0.1', port: 1 },
      label: `l${fd}`,
      url: undefined,
      fd,
      worker: (childFd) => (fd === undefined ? { kind: 'reuse-port', host: '127.0.0.1', port: 1, label: 'r' } : { kind: 'fd', fd: childFd, label: `l${fd}` }),
      close: () => {},
    });
    const settings = settingsFromOptions({ app: 'a.js', workers: 1 }, {});
    const { config, fds } = workerBootConfig(settings, [listener(20), listener(undefined), listener(31)], { serial: 7, generation: 2, configFile: undefined });
    expect(fds).toEqual([20, 31]);
    expect(config.listeners).toEqual([
      { kind: 'fd', fd: 4, label: 'l20' },
      { kind: 'reuse-port', host: '127.0.0.1', port: 1, label: 'r' },
      { kind: 'fd', fd: 5, label: 'l31' },
    ]);
    expect(config).toMatchObject({ serial: 7, generation: 2, heartbeatMs: 1000 });
  });
});
