import { latin1, type WireResponse } from '../../drivers/wire.js';
import { delay, eventually } from '../../probes/deferred.js';
import type { ProbeCase } from '../../probes/registry.js';
import { secretOf } from '../../probes/lifecycle-probes.js';
import type { CheckContext } from './context.js';
import { HttpDriver } from '../../drivers/http-driver.js';
import type { ServerCheck } from './check.js';

const decoder = new TextDecoder();

/** Checks that a probe's counted body was released exactly once, in the right way (BODY-9, 10, 11). */
export async function expectReleased(ctx: CheckContext, c: ProbeCase, path: string, stoppedEarly: boolean): Promise<void> {
  await eventually(() => c.closeCalls > 0, ctx.patience(2000));
  await delay(20);
  ctx.expect(c.closeCalls === 1, 'BODY-9', `the body (${path})`, 'must be released exactly once', `close() called ${c.closeCalls} times`);
  ctx.expect(c.closeCalls <= 1, 'BODY-11', `close() (${path})`, 'must be called exactly once', c.closeCalls);
  if (stoppedEarly) ctx.expect(c.returnCalls === 1, 'BODY-10', `return() (${path})`, 'must be called once when iteration stopped early', c.returnCalls);
  else ctx.expect(c.returnCalls === 0, 'BODY-10', `return() (${path})`, 'must not be called when the body ended by itself', c.returnCalls);
}

export const writePathCheck: ServerCheck = {
  name: 'write sends in order, before the body',
  clauses: ['SR-18', 'SR-20'],
  async run(ctx) {
    const c = ctx.newCase('write-path');
    const response = await ctx.send(c);
    ctx.expect(decoder.decode(response.body) === 'one;two;three', 'SR-20', 'chunks given to write', 'must go out in order, before the body', decoder.decode(response.body));
    ctx.ledger.pass('SR-18');
  },
};

export const writeBadCheck: ServerCheck = {
  name: 'write with a non-Uint8Array rejects with a TypeError',
  clauses: ['SR-17'],
  async run(ctx) {
    const c = ctx.newCase('write-bad');
    const response = await ctx.send(c);
    const rejected = c.notes.rejectedWith;
    ctx.expect(c.notes.returnedPromise === true, 'SR-17', 'write(string)', 'must return a Promise (rejected), not throw', c.notes.returnedPromise);
    ctx.expect(rejected instanceof TypeError || (rejected instanceof Error && rejected.name === 'TypeError'), 'SR-17', 'write(string)', 'must reject with a TypeError', rejected);
    ctx.expect(!latin1(response.body).includes('not bytes'), 'SR-17', 'the string given to write', 'must not be sent', decoder.decode(response.body));
  },
};

export const writeLateCheck: ServerCheck = {
  name: 'write after the body was returned rejects',
  clauses: ['SR-22'],
  async run(ctx) {
    const c = ctx.newCase('write-late');
    const response = await ctx.send(c);
    ctx.expect(c.notes.late !== 'resolved' && c.notes.late !== undefined, 'SR-22', 'write after the app returned its body', 'must reject', c.notes.late);
    ctx.expect(!latin1(response.body).includes('late'), 'SR-22', 'a late write', 'must not be sent', decoder.decode(response.body));
  },
};

export const iteratorChoiceCheck: ServerCheck = {
  name: 'Symbol.asyncIterator wins',
  clauses: ['BODY-1'],
  async run(ctx) {
    const c = ctx.newCase('both-iterators');
    const response = await ctx.send(c);
    ctx.expect(decoder.decode(response.body) === 'async' && !c.notes.syncUsed, 'BODY-1', 'a body with both iterator methods', 'must be iterated through Symbol.asyncIterator', decoder.decode(response.body));
  },
};

export const chunkTypesCheck: ServerCheck = {
  name: 'any Uint8Array is a chunk; anything else is an app error',
  clauses: ['BODY-2', 'BODY-4', 'HOST-11'],
  async run(ctx) {
    const good = await ctx.send(ctx.newCase('foreign-chunks'));
    ctx.expect(decoder.decode(good.body) === 'buffer;realm', 'BODY-2', 'a Buffer and a Uint8Array from another realm', 'must be sent as chunks', decoder.decode(good.body));
    for (const kind of ['string-chunk', 'not-iterable'] as const) {
      const response = await ctx.send(ctx.newCase(kind));
      ctx.expect(response.status === 500 && !latin1(response.body).includes('a string chunk'), 'BODY-2', `a ${kind === 'string-chunk' ? 'string chunk' : 'body that is not iterable'}`, 'must be answered as an app error (500), never encoded', `${response.status} ${decoder.decode(response.body).slice(0, 40)}`);
      ctx.expect(response.status === 500, 'HOST-11', `an app that breaks a MUST clause before the commit (${kind})`, 'must get a 500', response.status);
    }
    for (const kind of ['no-start', 'no-start-empty'] as const) {
      const response = await ctx.send(ctx.newCase(kind));
      ctx.expect(response.status === 500, 'BODY-4', kind === 'no-start' ? 'a chunk before startResponse' : 'a body that ends before startResponse', 'must be answered as an app error (500)', response.status);
    }
  },
};

export const streamingCheck: ServerCheck = {
  name: 'no chunk is held back',
  clauses: ['BODY-6'],
  capabilities: ['streaming-response'],
  features: ['incremental'],
  async run(ctx) {
    const count = 4;
    const c = ctx.newCase('stream', { count, waitMs: Math.min(2000, ctx.timeoutMs / 2) });
    const exchange = ctx.driver.open(ctx.request(c));
    await exchange.head(ctx.timeoutMs);
    let seen = '';
    for (let n = 1; n <= count; n++) {
      const deadline = Date.now() + ctx.timeoutMs;
      while (!seen.includes(`<chunk ${n}>`) && Date.now() < deadline) {
        const chunk = await exchange.nextChunk(Math.max(1, deadline - Date.now())).catch(() => null);
        if (chunk === null) break;
        seen += decoder.decode(chunk);
      }
      c.open(`saw-${n}`);
    }
    await exchange.readAll(ctx.timeoutMs).catch(() => undefined);
    await ctx.reported(c);
    ctx.expect(c.notes.stalledAt === undefined, 'BODY-6', `chunk ${String(c.notes.stalledAt)}`, 'must reach the client before the host asks for the next chunk', seen);
  },
};

export const backpressureCheck: ServerCheck = {
  name: 'the body is not pulled faster than the client reads',
  clauses: ['BODY-7', 'BODY-9', 'HOST-24'],
  features: ['incremental', 'disconnect'],
  drivers: ['http'],
  async run(ctx) {
    const cap = 32 * 1024 * 1024;
    const c = ctx.newCase('firehose', { capBytes: cap });
    const exchange = ctx.driver.open(ctx.request(c));
    await exchange.head(ctx.timeoutMs);
    await exchange.nextChunk(ctx.timeoutMs);
    // The client now reads nothing: the host may fill socket buffers, then must wait.
    exchange.pause?.();
    await delay(250);
    const produced = Number(c.notes.produced ?? 0);
    ctx.expect(produced < 16 * 1024 * 1024, 'BODY-7', 'the body', 'must not be pulled while the client reads nothing (bounded by transport buffers)', `${produced} bytes pulled`);
    exchange.disconnect();
    await expectReleased(ctx, c, 'client gone', produced < cap);
    ctx.expect(c.closeCalls === 1, 'HOST-24', 'the body of a response whose client went away', 'must be released without waiting for it to end', c.closeCalls);
  },
};

export const releaseCheck: ServerCheck = {
  name: 'release on normal end, app error, HEAD, no-body status',
  clauses: ['BODY-9', 'BODY-10', 'BODY-11', 'BODY-22', 'HOST-14'],
  async run(ctx) {
    const normal = ctx.newCase('release');
    const ok = await ctx.send(normal);
    ctx.expect(decoder.decode(ok.body) === 'a;b;c' && ok.complete, 'BODY-9', 'a normal response', 'must arrive complete', decoder.decode(ok.body));
    await expectReleased(ctx, normal, 'normal end', false);

    const failing = ctx.newCase('throw-after');
    const broken: WireResponse | Error = await ctx.send(failing).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    if (broken instanceof Error) ctx.ledger.pass('HOST-14');
    else {
      ctx.expect(!broken.complete, 'HOST-14', 'a response whose body throws after the commit', 'must be aborted, not completed', `${broken.status}, complete`);
      ctx.expect(broken.status === 200, 'HOST-14', 'the status of an aborted response', 'must stay the committed one (no second status)', broken.status);
    }
    await expectReleased(ctx, failing, 'app error after the commit', false);

    const head = ctx.newCase('head');
    await ctx.send(head, { method: 'HEAD' });
    await expectReleased(ctx, head, 'HEAD', true);
    ctx.expect(head.pulls <= 1, 'BODY-22', 'the body of a HEAD response', 'must not be iterated past the first non-empty chunk', `${head.pulls} pulls`);

    const noBody = ctx.newCase('no-body-status', { status: '204 No Content' });
    await ctx.send(noBody);
    await expectReleased(ctx, noBody, '204', true);
    ctx.expect(noBody.pulls <= 1, 'BODY-22', 'the body of a 204 response', 'must not be iterated past the first non-empty chunk', `${noBody.pulls} pulls`);
  },
};

export const headCheck: ServerCheck = {
  name: 'HEAD and bodiless statuses',
  clauses: ['BODY-18', 'BODY-20', 'BODY-23'],
  async run(ctx) {
    const head = await ctx.send(ctx.newCase('head'), { method: 'HEAD' });
    // Where a runtime's HTTP server frames the response, Content-Length is its doing.
    const framing = ctx.driver.features.framing;
    if (framing) ctx.expect(ctx.header(head, 'content-length')[0] === '1234', 'BODY-23', 'Content-Length of a HEAD response', 'must be the one the app declared', ctx.header(head, 'content-length'));
    ctx.expect(head.body.length === 0 && head.trailing === 0, 'BODY-20', 'a HEAD response', 'must carry no body bytes', head.body.length + head.trailing);
    const bare = await ctx.send(ctx.newCase('head-no-length'), { method: 'HEAD' });
    if (framing) ctx.expect(ctx.header(bare, 'content-length').length === 0, 'BODY-18', 'a HEAD response', 'must get no Content-Length from the host', ctx.header(bare, 'content-length'));
    ctx.expect(bare.body.length === 0 && bare.trailing === 0, 'BODY-20', 'a HEAD response', 'must carry no body bytes', bare.body.length + bare.trailing);
    for (const status of ['204 No Content', '304 Not Modified', '205 Reset Content']) {
      const dirty = await ctx.send(ctx.newCase('no-body-status', { status }));
      ctx.expect(dirty.body.length === 0 && dirty.trailing === 0, 'BODY-20', `a ${status} response`, 'must carry no body bytes', dirty.body.length + dirty.trailing);
      if (status !== '205 Reset Content') {
        const clean = await ctx.send(ctx.newCase('no-body-clean', { status }));
        if (framing) ctx.expect(ctx.header(clean, 'content-length').length === 0, 'BODY-18', `a ${status} response`, 'must get no Content-Length from the host', ctx.header(clean, 'content-length'));
      }
    }
  },
};

export const lengthCheck: ServerCheck = {
  name: 'Content-Length overrun and shortfall',
  clauses: ['BODY-15', 'BODY-16'],
  async run(ctx) {
    // Keep-alive connections: a host that leaves them open after a broken length is caught.
    const keepAlive = ctx.driver instanceof HttpDriver;
    const open = (c: ProbeCase) => (ctx.driver instanceof HttpDriver ? ctx.driver.raw(ctx.request(c), { close: false }) : undefined);

    const over = ctx.newCase('length-over');
    let mark = ctx.tap.mark();
    const raw = open(over);
    const long = raw ? await raw.readAll(ctx.timeoutMs) : await ctx.send(over);
    ctx.expect(latin1(long.body) === 'hello' && long.trailing === 0, 'BODY-15', 'a body longer than its Content-Length', 'must be cut at the declared 5 bytes', latin1(long.body) + (long.trailing ? ` +${long.trailing} stray bytes` : ''));
    if (raw && ctx.driver.features.framing) {
      const closed = await raw.waitClosed(1000);
      ctx.expect(closed, 'BODY-15', 'the connection after a body that overran its Content-Length', 'must be closed after the declared bytes');
      raw.destroy();
    }
    await eventually(() => over.closeCalls > 0, ctx.patience(2000));
    ctx.expect(over.closeCalls === 1 && over.returnCalls === 1, 'BODY-15', 'a body longer than its Content-Length', 'must be stopped and released', `return ${over.returnCalls}, close ${over.closeCalls}`);
    if (!ctx.tap.blind) {
      await eventually(() => /content-length|BODY-15/i.test(ctx.tap.since(mark)), ctx.patience(500));
      ctx.expect(/content-length|BODY-15/i.test(ctx.tap.since(mark)), 'BODY-15', 'tsgi.errors', 'must get a report of the excess', ctx.tap.since(mark));
    }

    const short = ctx.newCase('length-short');
    mark = ctx.tap.mark();
    const rawShort = open(short);
    const wait = Math.min(ctx.timeoutMs, 1500);
    const cut: WireResponse | Error = await (rawShort ? rawShort.readAll(wait) : ctx.send(short)).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    const aborted = keepAlive ? rawShort!.closed : cut instanceof Error || !cut.complete;
    rawShort?.destroy();
    ctx.expect(aborted, 'BODY-16', 'a body shorter than its Content-Length', `must abort the connection, not leave the client waiting (still open after ${wait} ms)`, cut instanceof Error ? cut.message : `${cut.body.length} bytes`);
    if (!ctx.tap.blind) {
      await eventually(() => /BODY-16|content-length|declared/i.test(ctx.tap.since(mark)), ctx.patience(500));
      ctx.expect(/BODY-16|content-length|declared/i.test(ctx.tap.since(mark)), 'BODY-16', 'tsgi.errors', 'must get a report of the shortfall', ctx.tap.since(mark));
    }
  },
};

export const closeRejectsCheck: ServerCheck = {
  name: 'a failing close() is reported, nothing else',
  clauses: ['BODY-12'],
  async run(ctx) {
    const c = ctx.newCase('close-rejects');
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    const mark = ctx.tap.mark();
    try {
      const response = await ctx.send(c);
      ctx.expect(decoder.decode(response.body) === 'closing' && response.complete, 'BODY-12', 'a response whose close() rejects', 'must complete unchanged', decoder.decode(response.body));
      await eventually(() => !ctx.tap.blind && ctx.tap.since(mark).includes(`${secretOf(c.id)}-close`), ctx.tap.blind ? 500 : ctx.patience(500));
      await delay(20);
    } finally {
      process.off('unhandledRejection', listener);
    }
    ctx.expect(unhandled.length === 0, 'BODY-12', 'the rejection of close()', 'must not become an unhandled rejection', unhandled[0]);
    if (!ctx.tap.blind) ctx.expect(ctx.tap.since(mark).includes(`${secretOf(c.id)}-close`), 'BODY-12', 'the rejection of close()', 'must be reported to tsgi.errors', ctx.tap.since(mark).slice(0, 80));
  },
};

export const appErrorCheck: ServerCheck = {
  name: 'app errors before the commit: 500, generic, details logged',
  clauses: ['HOST-11', 'HOST-12', 'HOST-13'],
  async run(ctx) {
    for (const kind of ['throw-before', 'reject-before'] as const) {
      const c = ctx.newCase(kind);
      const mark = ctx.tap.mark();
      const response = await ctx.send(c);
      ctx.expect(response.status === 500, 'HOST-11', `an app that ${kind === 'throw-before' ? 'throws' : 'rejects'}`, 'must get 500 Internal Server Error', response.status);
      const wire = latin1(response.body) + response.headers.map(([n, v]) => `${n}: ${v}`).join('\n');
      ctx.expect(!wire.includes(secretOf(c.id)) && !/\bat .*:\d+:\d+/.test(wire), 'HOST-12', 'the 500 response', 'must not carry the error message or stack', latin1(response.body).slice(0, 80));
      if (ctx.tap.blind) ctx.skip(['HOST-13'], 'not-checked', 'tsgi.errors could not be observed');
      else {
        await eventually(() => ctx.tap.since(mark).includes(secretOf(c.id)), ctx.patience(500));
        ctx.expect(ctx.tap.since(mark).includes(secretOf(c.id)), 'HOST-13', 'tsgi.errors', 'must get the message and stack of the app error', ctx.tap.since(mark).slice(0, 80));
      }
    }
  },
};

export const nomutateCheck: ServerCheck = {
  name: 'the host changes no byte of a chunk',
  clauses: ['BODY-13'],
  async run(ctx) {
    const c = ctx.newCase('release');
    await ctx.send(c);
    await eventually(() => c.closeCalls > 0, ctx.patience(2000));
    const changed = c.yielded.filter(([live, copy]) => live.length !== copy.length || live.some((b, i) => b !== copy[i]));
    ctx.expect(changed.length === 0, 'BODY-13', 'the chunks the app yielded', 'must not be changed by the host', changed.length);
  },
};
