import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExitCode } from './exit-codes.js';
import { planRound, type PlannedWorker, type RoundInput } from './round-plan.js';

let serial = 0;
function worker(state: PlannedWorker['state'], extra: Partial<PlannedWorker> = {}): PlannedWorker {
  return { state, serial: ++serial, stale: undefined, stopReason: undefined, ...extra };
}

function input(workers: PlannedWorker[], extra: Partial<RoundInput<PlannedWorker>> = {}): RoundInput<PlannedWorker> {
  return { workers, surge: undefined, target: 2, mayStart: true, streak: 0, exhausted: false, lastBootFailure: 'boot', reloading: false, ...extra };
}

describe('planRound', () => {
  it('starts the missing workers at once, or one probe at a time during a crash loop (PF-7)', () => {
    expect(planRound(input([]))).toEqual({ kind: 'start', count: 2 });
    expect(planRound(input([], { streak: 2 }))).toEqual({ kind: 'start', count: 1 });
    expect(planRound(input([worker('booting')], { streak: 2 }))).toEqual({ kind: 'wait' });
    expect(planRound(input([], { mayStart: false }))).toEqual({ kind: 'wait' });
  });

  it('PF-8: gives up when boots failed too often and nothing serves or boots, with the status of the last failure', () => {
    expect(planRound(input([], { exhausted: true, lastBootFailure: 'app-load' }))).toEqual({ kind: 'give-up', exitCode: ExitCode.APP_LOAD_ERROR });
    expect(planRound(input([], { exhausted: true }))).toEqual({ kind: 'give-up', exitCode: ExitCode.WORKER_BOOT_ERROR });
    expect(planRound(input([worker('ready')], { exhausted: true })).kind).not.toBe('give-up');
    expect(planRound(input([worker('booting')], { exhausted: true })).kind).not.toBe('give-up');
  });

  it('PF-4: retires booting workers first, then stale ones, then the oldest, when there are too many (TTOU)', () => {
    const old = worker('ready');
    const stale = worker('ready', { stale: 'reload' });
    const young = worker('ready');
    const booting = worker('booting');
    expect(planRound(input([old, stale, young, booting], { target: 1 }))).toEqual({ kind: 'retire', workers: [booting, stale, old] });
  });

  it('PF-10: replaces stale workers one at a time, oldest first, and waits while a replacement boots', () => {
    const a = worker('ready', { stale: 'reload' });
    const b = worker('ready', { stale: 'reload' });
    expect(planRound(input([b, a], { reloading: true }))).toEqual({ kind: 'replace', old: a });
    const surge = worker('booting');
    expect(planRound(input([a, b, surge], { surge, reloading: true }))).toEqual({ kind: 'wait' });
  });

  it('PF-10: completes a reload only when no old worker runs any more', () => {
    const fresh = [worker('ready'), worker('ready')];
    const retiring = worker('stopping', { stopReason: 'retired' });
    expect(planRound(input([...fresh, retiring], { reloading: true }))).toEqual({ kind: 'wait' });
    expect(planRound(input(fresh, { reloading: true }))).toEqual({ kind: 'reload-complete' });
    expect(planRound(input(fresh))).toEqual({ kind: 'wait' });
  });

  it('never plans more live workers than target + 1, nor retires a worker that is already stopping', () => {
    const plannedWorker = fc.record({
      state: fc.constantFrom('booting' as const, 'ready' as const, 'stopping' as const),
      stale: fc.constantFrom(undefined, 'reload' as const, 'max-requests' as const),
      stopReason: fc.constantFrom(undefined, 'retired' as const, 'stopped' as const),
    });
    fc.assert(
      fc.property(fc.array(plannedWorker, { maxLength: 8 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.nat(5), fc.boolean(), (specs, target, mayStart, streak, reloading) => {
        const workers = specs.map((spec, i) => ({ ...spec, serial: i + 1 }));
        const live = workers.filter((w) => w.state !== 'stopping');
        const action = planRound(input(workers, { target, mayStart, streak, reloading }));
        if (action.kind === 'start') expect(live.length + action.count).toBeLessThanOrEqual(target);
        if (action.kind === 'replace') expect(live.length).toBe(target);
        if (action.kind === 'retire') for (const w of action.workers) expect(w.state).not.toBe('stopping');
        if (!mayStart) expect(['start', 'replace']).not.toContain(action.kind);
      }),
    );
  });
});
