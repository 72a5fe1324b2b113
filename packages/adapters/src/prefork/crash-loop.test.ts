import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrashLoop, DEFAULT_CRASH_LOOP_POLICY } from './crash-loop.js';

const policy = { baseDelayMs: 100, maxDelayMs: 5000, stableMs: 10_000, maxBootFailures: 4 };

describe('CrashLoop', () => {
  it('PF-7: waits 0, then base, doubling up to the maximum, as boots keep failing', () => {
    const loop = new CrashLoop(policy);
    expect(loop.delayMs()).toBe(0);
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 8; i++) {
      loop.bootFailed(now, now + 10);
      now += 10;
      delays.push(loop.delayMs());
      now = loop.nextSpawnAt();
    }
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it('PF-7: delays never decrease while failures continue and never pass the maximum', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 40 }), (gaps) => {
        const loop = new CrashLoop(policy);
        let now = 0;
        let previous = 0;
        for (const gap of gaps) {
          const spawned = Math.max(now, loop.nextSpawnAt());
          now = spawned + gap;
          loop.bootFailed(spawned, now);
          expect(loop.delayMs()).toBeGreaterThanOrEqual(previous);
          expect(loop.delayMs()).toBeLessThanOrEqual(policy.maxDelayMs);
          previous = loop.delayMs();
        }
      }),
    );
  });

  it('PF-7: counts the failures of one batch of workers once', () => {
    const loop = new CrashLoop(policy);
    for (let i = 0; i < 8; i++) loop.bootFailed(0, 50 + i);
    expect(loop.bootFailures).toBe(1);
    expect(loop.streak).toBe(1);
  });

  it('PF-8: is exhausted after maxBootFailures boot failures in a row; a booted worker resets the count', () => {
    const loop = new CrashLoop(policy);
    let now = 0;
    for (let i = 0; i < 3; i++) {
      loop.bootFailed(now, now + 1);
      now += 2;
    }
    expect(loop.exhausted()).toBe(false);
    loop.ready(now);
    expect(loop.bootFailures).toBe(0);
    for (let i = 0; i < 4; i++) {
      loop.bootFailed(now, now + 1, 'app-load');
      now += 2;
    }
    expect(loop.exhausted()).toBe(true);
    expect(loop.lastBootFailure).toBe('app-load');
  });

  it('PF-7: forgives the streak after a stable stretch with a worker serving, not before', () => {
    const loop = new CrashLoop(policy);
    loop.crashed(0, 10, 20);
    expect(loop.streak).toBe(1);
    loop.settle(20 + policy.stableMs - 1, true);
    expect(loop.streak).toBe(1);
    loop.settle(20 + policy.stableMs, false);
    expect(loop.streak).toBe(1);
    loop.settle(20 + policy.stableMs, true);
    expect(loop.streak).toBe(0);
    expect(loop.delayMs()).toBe(0);
  });

  it('PF-7: a worker that ran longer than the stable stretch and then died restarts at once', () => {
    const loop = new CrashLoop(DEFAULT_CRASH_LOOP_POLICY);
    expect(loop.crashed(0, 1, 1 + DEFAULT_CRASH_LOOP_POLICY.stableMs)).toBe(false);
    expect(loop.delayMs()).toBe(0);
  });
});
