import { eventually } from '../../probes/deferred.js';
import { HOP_TOKEN, PROBE_DATE } from '../../probes/start-response-probes.js';
import { latin1 } from '../../drivers/wire.js';
import type { ServerCheck } from './check.js';

const decoder = new TextDecoder();

export const commitCheck: ServerCheck = {
  name: 'headers commit on the first non-empty chunk',
  clauses: ['BODY-5', 'BODY-3'],
  features: ['commitVisible'],
  async run(ctx) {
    const c = ctx.newCase('commit');
    const exchange = ctx.driver.open(ctx.request(c));
    // The app has started the response and yielded an empty chunk once the host asks for the
    // next one (on a loaded machine, or with a remote probe app, that takes a while); nothing
    // may show yet, then or in the next 150 ms.
    await eventually(() => c.pulls >= 2, ctx.timeoutMs);
    const early = await exchange.anyResponseWithin(150);
    ctx.expect(!early, 'BODY-5', 'the status and headers', 'must not reach the client before the first non-empty chunk');
    ctx.expect(!early, 'BODY-3', 'an empty chunk', 'must not commit the headers');
    c.open('checked');
    const response = await exchange.readAll(ctx.timeoutMs);
    ctx.expect(response.status === 200 && decoder.decode(response.body) === 'committed now', 'BODY-5', 'the response', 'must arrive once the first non-empty chunk came', `${response.status} ${decoder.decode(response.body)}`);
  },
};

export const excInfoBeforeCheck: ServerCheck = {
  name: 'excInfo before the commit replaces the response',
  clauses: ['SR-11'],
  async run(ctx) {
    const c = ctx.newCase('excinfo-before');
    const response = await ctx.send(c);
    ctx.expect(c.notes.threw === false, 'SR-11', 'startResponse with excInfo before the commit', 'must not throw', c.notes.threw);
    ctx.expect(response.status === 503, 'SR-11', 'the status', 'must be the replacement 503', response.status);
    ctx.expect(ctx.header(response, 'x-old').length === 0, 'SR-11', 'the headers of the first call', 'must all be replaced (x-old was kept)', ctx.header(response, 'x-old'));
    ctx.expect(ctx.header(response, 'x-new')[0] === 'replaced', 'SR-11', 'the replacement headers', 'must be sent', ctx.header(response, 'x-new'));
  },
};

export const excInfoAfterCheck: ServerCheck = {
  name: 'excInfo after the commit is rethrown',
  clauses: ['SR-12'],
  async run(ctx) {
    const c = ctx.newCase('excinfo-after');
    const response = await ctx.send(c);
    ctx.expect(c.notes.rethrown === 'same', 'SR-12', 'startResponse with excInfo after the commit', 'must throw excInfo itself', c.notes.rethrown);
    ctx.expect(response.status === 200, 'SR-12', 'the status', 'must stay the committed 200', response.status);
  },
};

export const twiceCheck: ServerCheck = {
  name: 'a second startResponse without excInfo throws',
  clauses: ['SR-10'],
  async run(ctx) {
    const c = ctx.newCase('twice');
    const response = await ctx.send(c);
    ctx.expect(c.notes.threw === true, 'SR-10', 'a second startResponse without excInfo', 'must throw an Error', c.notes.threw);
    if (response.status !== 500) {
      ctx.expect(response.status === 201 && ctx.header(response, 'x-first').length === 1 && ctx.header(response, 'x-second').length === 0, 'SR-10', 'the response', 'must keep the status and headers of the first call', response.status);
    } else ctx.ledger.pass('SR-10');
  },
};

export const afterEndCheck: ServerCheck = {
  name: 'startResponse after the body ended throws',
  clauses: ['SR-13'],
  async run(ctx) {
    const c = ctx.newCase('after-end');
    await ctx.send(c);
    await c.finished.promise.catch(() => {});
    ctx.expect(c.notes.threw === true, 'SR-13', 'startResponse during release', 'must throw an Error', c.notes.threw);
  },
};

export const copyCheck: ServerCheck = {
  name: 'status and headers are copied',
  clauses: ['SR-14'],
  async run(ctx) {
    const c = ctx.newCase('copy');
    const response = await ctx.send(c);
    ctx.expect(c.notes.changedByHost === false, 'SR-14', 'the header array the app passed', 'must not be changed by the host', c.notes.changedByHost);
    ctx.expect(ctx.header(response, 'x-copy')[0] === 'original' && ctx.header(response, 'x-added').length === 0, 'SR-14', 'the headers sent', 'must be those of the call, unaffected by later changes to the array', ctx.header(response, 'x-copy'));
  },
};

export const invalidResponseCheck: ServerCheck = {
  name: 'an invalid status or header never reaches the wire',
  clauses: ['SR-15', 'HOST-11'],
  async run(ctx) {
    for (const kind of ['invalid-status', 'invalid-header'] as const) {
      const c = ctx.newCase(kind);
      const response = await ctx.send(c);
      const injected = ctx.header(response, 'x-injected').length > 0 || response.headers.some(([, v]) => v.includes('X-Injected'));
      ctx.expect(!injected, 'SR-15', `the ${kind.slice(8)} with CR LF`, 'must not reach the wire', ctx.header(response, 'x-injected'));
      ctx.expect(response.status === 500, 'SR-15', `a response with an invalid ${kind.slice(8)}`, 'must be answered as an app error (500)', response.status);
    }
  },
};

export const hopByHopCheck: ServerCheck = {
  name: 'hop-by-hop headers from the app are dropped and reported',
  clauses: ['HOST-16'],
  async run(ctx) {
    const c = ctx.newCase('hop-by-hop');
    const mark = ctx.tap.mark();
    const response = await ctx.send(c);
    const leaked = response.headers.filter(([name, value]) => value.includes(HOP_TOKEN) || value.includes('timeout=987') || (name.toLowerCase() === 'upgrade' && value.includes('tsgi-probe')));
    ctx.expect(leaked.length === 0, 'HOST-16', 'hop-by-hop headers from the app', 'must be dropped', leaked);
    ctx.expect(ctx.header(response, 'x-ok')[0] === '1', 'HOST-16', 'the other headers', 'must still be sent', ctx.header(response, 'x-ok'));
    if (ctx.tap.blind) ctx.skip(['HOST-16'], 'not-checked', 'tsgi.errors could not be observed');
    else {
      await eventually(() => /connection/i.test(ctx.tap.since(mark)), ctx.patience(500));
      ctx.expect(/connection/i.test(ctx.tap.since(mark)), 'HOST-16', 'tsgi.errors', 'must get a warning naming the dropped header', ctx.tap.since(mark));
    }
  },
};

export const ownHeadersCheck: ServerCheck = {
  name: 'Date, Server and Content-Length from the app are not duplicated',
  clauses: ['HOST-19'],
  async run(ctx) {
    const c = ctx.newCase('own-headers');
    const response = await ctx.send(c);
    const date = ctx.header(response, 'date');
    const server = ctx.header(response, 'server');
    const length = ctx.header(response, 'content-length');
    ctx.expect(date.length === 1 && date[0] === PROBE_DATE, 'HOST-19', 'Date', 'must be the app\'s, once', date);
    ctx.expect(server.length === 1 && server[0] === 'tsgi-probe', 'HOST-19', 'Server', 'must be the app\'s, once', server);
    if (ctx.driver.features.framing) ctx.expect(length.length <= 1 && (length[0] ?? '2') === '2', 'HOST-19', 'Content-Length', 'must be the app\'s, once', length);
  },
};

export const reasonCheck: ServerCheck = {
  name: 'the reason phrase goes out unchanged',
  clauses: ['HOST-20'],
  features: ['reasonPhrase'],
  drivers: ['http'],
  async run(ctx) {
    const c = ctx.newCase('reason');
    const response = await ctx.send(c);
    ctx.expect(response.status === 299 && response.reason === 'Probe\tReason  Phrase!', 'HOST-20', 'the status line', 'must carry the app\'s reason phrase unchanged', `${response.status} ${response.reason}`);
  },
};

export const errorsPrivateCheck: ServerCheck = {
  name: 'tsgi.errors stays private and behaves',
  clauses: ['ERR-1', 'ERR-3'],
  async run(ctx) {
    const c = ctx.newCase('errors');
    const response = await ctx.send(c);
    ctx.expect(c.notes.threw === false, 'ERR-1', 'tsgi.errors.write and flush', 'must accept any string and not throw', c.notes.threw);
    ctx.expect(c.notes.flushResult === 'undefined' || c.notes.flushResult === 'promise', 'ERR-1', 'tsgi.errors.flush()', 'must return undefined or a Promise', c.notes.flushResult);
    const wire = latin1(response.body) + response.headers.map(([n, v]) => `${n}: ${v}`).join('\n');
    ctx.expect(!wire.includes('tsgi-probe-secret'), 'ERR-3', 'the response', 'must not carry text written to tsgi.errors', wire.slice(0, 60));
  },
};
