import { delay, eventually } from '../../probes/deferred.js';
import { secretOf } from '../../probes/lifecycle-probes.js';
import { expectReleased } from './body-checks.js';
import type { ServerCheck } from './check.js';

export const signalQuietCheck: ServerCheck = {
  name: 'tsgi.signal stays quiet on a normal response',
  clauses: ['HOST-21'],
  async run(ctx) {
    const c = ctx.newCase('signal');
    await ctx.send(c);
    await eventually(() => c.closeCalls > 0, ctx.patience(1000));
    await delay(50);
    ctx.expect(c.notes.abortedAtCall === false, 'HOST-21', 'tsgi.signal when the app is called', 'must not be aborted', c.notes.abortedAtCall);
    ctx.expect(c.signal?.aborted === false, 'HOST-21', 'tsgi.signal after a normal response', 'must not be aborted, then or later', c.signal?.aborted);
  },
};

export const disconnectCheck: ServerCheck = {
  name: 'client disconnect: signal, release, write rejects',
  clauses: ['HOST-22', 'HOST-24', 'BODY-9', 'BODY-10', 'BODY-11', 'SR-23'],
  capabilities: ['client-disconnect'],
  features: ['disconnect', 'incremental'],
  async run(ctx) {
    const c = ctx.newCase('hang');
    const exchange = ctx.driver.open(ctx.request(c));
    await exchange.head(ctx.timeoutMs);
    await exchange.nextChunk(ctx.timeoutMs);
    exchange.disconnect();
    const aborted = await eventually(() => c.signal?.aborted === true, ctx.patience(2000));
    ctx.expect(aborted, 'HOST-22', 'tsgi.signal', 'must abort when the client goes away', c.signal?.aborted);
    await expectReleased(ctx, c, 'client gone', true);
    ctx.expect(c.closeCalls === 1, 'HOST-24', 'a body waiting for data when the client leaves', 'must be released without waiting for it to end', c.closeCalls);

    const w = ctx.newCase('write-gone');
    const writing = ctx.driver.open(ctx.request(w));
    await writing.head(ctx.timeoutMs);
    await writing.nextChunk(ctx.timeoutMs);
    writing.disconnect();
    // A host that did not notice the first disconnect gets a short wait here, not a second timeout.
    await eventually(() => w.signal?.aborted === true, aborted ? ctx.patience(2000) : 100);
    w.open('client-gone');
    await eventually(() => w.notes.writeAfterGone !== undefined, ctx.patience(2000));
    ctx.expect(w.notes.writeAfterGone !== undefined && w.notes.writeAfterGone !== 'resolved', 'SR-23', 'write after the client went away', 'must reject', w.notes.writeAfterGone);
  },
};

export const waitUntilCheck: ServerCheck = {
  name: 'tsgi.wait_until',
  clauses: ['HOST-25', 'HOST-28'],
  async run(ctx) {
    const c = ctx.newCase('wait-until');
    const watch = ctx.watchUnhandled();
    const mark = ctx.tap.mark();
    let unhandled: unknown[] = [];
    try {
      await ctx.send(c);
      // Blind to tsgi.errors, the wait is still the window for an unhandled rejection to show.
      await eventually(() => !ctx.tap.blind && ctx.tap.since(mark).includes(`${secretOf(c.id)}-wait-until`), ctx.tap.blind ? 1000 : ctx.patience(1000));
      await delay(20);
    } finally {
      unhandled = watch.stop();
    }
    const results = (c.notes.results as unknown[] | undefined) ?? [];
    ctx.expect(c.notes.threw === false && results.length === 3 && results.every((r) => r === undefined), 'HOST-25', 'tsgi.wait_until', 'must accept thenables, return undefined and not throw', c.notes.threw === false ? results : c.notes.threw);
    ctx.expect(unhandled.length === 0, 'HOST-28', 'a rejected promise given to tsgi.wait_until', 'must not become an unhandled rejection', unhandled[0]);
    if (!ctx.tap.blind) ctx.expect(ctx.tap.since(mark).includes(`${secretOf(c.id)}-wait-until`), 'HOST-28', 'a rejected promise given to tsgi.wait_until', 'must be reported to tsgi.errors', ctx.tap.since(mark).slice(0, 80));
  },
};

export const concurrencyCheck: ServerCheck = {
  name: 'one request at a time when tsgi.multithread is false',
  clauses: ['HOST-3', 'HOST-4', 'HOST-5', 'ENV-27'],
  async run(ctx) {
    const cases = [ctx.newCase('concurrency', { waitMs: 300 }), ctx.newCase('concurrency', { waitMs: 300 })];
    const before = ctx.registry.maxInFlight;
    ctx.registry.maxInFlight = 0;
    const pending = cases.map((c) => ctx.send(c));
    await delay(50);
    for (const c of cases) c.open('all-sent');
    await Promise.all(pending);
    const overlap = ctx.registry.maxInFlight;
    ctx.registry.maxInFlight = Math.max(before, overlap);
    const multithread = cases[0]?.environ?.multithread;
    if (multithread === false) ctx.expect(overlap <= 1, 'HOST-4', 'a host with tsgi.multithread false', 'must not call the app for another request while one is in progress', `${overlap} at once`);
    else ctx.ledger.pass('HOST-4');
    if (overlap > 1) ctx.expect(multithread === true, 'ENV-27', 'tsgi.multithread', 'must be true when the host runs requests concurrently', multithread);
    for (const c of cases) ctx.expect(c.calls === 1, 'HOST-3', 'the app', 'must be called at most once per request', c.calls);
    // Two requests reached the app in this realm: neither may have said it would be the only one.
    const runOnce = cases.filter((c) => c.environ?.runOnce === true).length;
    ctx.expect(runOnce === 0, 'HOST-5', 'tsgi.run_once', 'must not be true when the host calls the app again in the same realm', runOnce);
  },
};
