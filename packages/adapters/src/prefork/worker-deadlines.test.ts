import { describe, expect, it } from 'vitest';
import { overdue, StallClock, type TimedWorker } from './worker-deadlines.js';

const limits = { timeoutMs: 1000, bootTimeoutMs: 5000 };
function worker(extra: Partial<TimedWorker>): TimedWorker {
  return { state: 'ready', spawnedAt: 0, lastHeartbeat: 0, heartbeats: 1, killAt: Number.POSITIVE_INFINITY, stopReason: undefined, exited: false, ...extra };
}

describe('overdue', () => {
  it('PF-5: a serving worker silent for longer than the timeout is overdue; one that beat recently is not', () => {
    expect(overdue(worker({ lastHeartbeat: 0 }), 1001, limits)?.reason).toBe('timed-out');
    expect(overdue(worker({ lastHeartbeat: 500 }), 1001, limits)).toBeUndefined();
    expect(overdue(worker({ lastHeartbeat: 0 }), 1001, { ...limits, timeoutMs: 0 })).toBeUndefined();
  });

  it('PF-5: a booting worker is judged by --boot-timeout until it starts to beat', () => {
    expect(overdue(worker({ state: 'booting', heartbeats: 0 }), 4000, limits)).toBeUndefined();
    expect(overdue(worker({ state: 'booting', heartbeats: 0 }), 5001, limits)?.reason).toBe('boot-timeout');
    expect(overdue(worker({ state: 'booting', heartbeats: 3, lastHeartbeat: 0 }), 1500, limits)?.reason).toBe('timed-out');
  });

  it('a stopping worker is overdue only past its grace period, keeping its stop reason', () => {
    const stopping = worker({ state: 'stopping', stopReason: 'retired', killAt: 3000, lastHeartbeat: 0 });
    expect(overdue(stopping, 2999, limits)).toBeUndefined();
    expect(overdue(stopping, 3000, limits)?.reason).toBe('retired');
    expect(overdue(worker({ stopReason: 'timed-out' }), 10_000, limits)).toBeUndefined();
  });
});

describe('StallClock', () => {
  it('PF-12: reports a gap much longer than a round, and nothing for a round of normal length', () => {
    const clock = new StallClock(0);
    expect(clock.observe(1000, 250)).toBe(0);
    expect(clock.observe(2100, 250)).toBe(1100);
    expect(clock.observe(2350, 250)).toBe(0);
  });
});
