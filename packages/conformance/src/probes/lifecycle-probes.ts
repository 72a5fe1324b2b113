
import { countedBody, countedChunks } from './counted-body.js';
import { recordRequest } from './echo-probe.js';
import { text, type Probe } from './probe.js';

/** The secret a failing probe puts in its error: it must reach tsgi.errors and never the client. */
export function secretOf(id: string): string {
  return `tsgi-probe-secret-${id}`;
}

/** A body that ends normally: released once, close() only (BODY-9, BODY-10, BODY-11). */
export const releaseProbe: Probe = {
  run(environ, startResponse, c) {
    c.signal = environ['tsgi.signal'];
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('a;'), text('b;'), text('c')]);
  },
};

/** A body that throws after the commit: aborted, no second status, released (HOST-14, BODY-9). */
export const throwAfterProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedBody(c, (pull) => {
      if (pull === 1) return text('partial;');
      throw new Error(secretOf(c.id));
    });
  },
};

/** The app throws before the commit: 500, generic body, details to tsgi.errors (HOST-11, 12, 13). */
export const throwBeforeProbe: Probe = {
  run(_environ, _startResponse, c) {
    c.finished.resolve();
    throw new Error(secretOf(c.id));
  },
};

/** The app's Promise rejects before the commit (HOST-11). */
export const rejectBeforeProbe: Probe = {
  async run(_environ, _startResponse, c) {
    c.finished.resolve();
    await Promise.resolve();
    throw new Error(secretOf(c.id));
  },
};

/** A body that waits for ever after its first chunk, until the host stops it (HOST-22, HOST-24). */
export const hangProbe: Probe = {
  run(environ, startResponse, c) {
    c.signal = environ['tsgi.signal'];
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedBody(c, async (pull) => {
      if (pull === 1) return text('first;');
      return new Promise<Uint8Array | undefined>(() => {});
    });
  },
};

/** write, before the app returns, after the client went away: rejected (SR-23). */
export const writeGoneProbe: Probe = {
  async run(environ, startResponse, c) {
    c.signal = environ['tsgi.signal'];
    const write = startResponse('200 OK', [['content-type', 'text/plain']]);
    await write(text('first;'));
    await c.gate('client-gone').promise;
    try {
      for (let i = 0; i < 64; i++) await write(new Uint8Array(16 * 1024));
      c.notes.writeAfterGone = 'resolved';
    } catch (error) {
      c.notes.writeAfterGone = error;
    }
    c.finished.resolve();
    return [];
  },
};

/** close() rejects: reported to tsgi.errors, response intact, no unhandled rejection (BODY-12). */
export const closeRejectsProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('closing')], { close: () => Promise.reject(new Error(`${secretOf(c.id)}-close`)) });
  },
};

/** Text written to tsgi.errors never reaches the client; write and flush behave (ERR-1, ERR-3). */
export const errorsProbe: Probe = {
  async run(environ, startResponse, c) {
    const errors = environ['tsgi.errors'];
    try {
      errors.write(`${secretOf(c.id)}-errors\n`);
      errors.write('');
      errors.write('\u2603 non-Latin-1 text\n');
      const flushed = errors.flush();
      c.notes.flushResult = flushed === undefined ? 'undefined' : typeof (flushed as PromiseLike<void>)?.then === 'function' ? 'promise' : flushed;
      await flushed;
      c.notes.threw = false;
    } catch (error) {
      c.notes.threw = error;
    }
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('logged')]);
  },
};

/** tsgi.signal stays quiet on a normal response, then and later (HOST-21). */
export const signalProbe: Probe = {
  run(environ, startResponse, c) {
    c.signal = environ['tsgi.signal'];
    c.notes.abortedAtCall = c.signal?.aborted;
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('signal')]);
  },
};

/** tsgi.wait_until takes thenables, returns undefined, reports rejections (HOST-25, HOST-28). */
export const waitUntilProbe: Probe = {
  run(environ, startResponse, c) {
    const waitUntil = environ['tsgi.wait_until'];
    const results: unknown[] = [];
    try {
      results.push(waitUntil(new Promise((resolve) => setTimeout(resolve, 20))));
      results.push(waitUntil({ then: (resolve: () => void) => resolve() } as unknown as Promise<void>));
      results.push(waitUntil(Promise.reject(new Error(`${secretOf(c.id)}-wait-until`))));
      c.notes.threw = false;
    } catch (error) {
      c.notes.threw = error;
    }
    c.notes.results = results;
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('waiting')]);
  },
};

/** Waits until the client says every concurrent request has been sent (HOST-4, ENV-27). */
export const concurrencyProbe: Probe = {
  async run(environ, startResponse, c) {
    const registry = c.registry;
    registry.inFlight++;
    registry.maxInFlight = Math.max(registry.maxInFlight, registry.inFlight);
    try {
      await recordRequest(environ, c);
      await Promise.race([c.gate('all-sent').promise, new Promise((r) => setTimeout(r, Number(c.notes.waitMs ?? 300)))]);
    } finally {
      registry.inFlight--;
    }
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('together')]);
  },
};

/** A plain recorder: records the environ and body, answers 200 (asterisk, absolute form, no Host ...). */
export const recordProbe: Probe = {
  async run(environ, startResponse, c) {
    await recordRequest(environ, c);
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('recorded')]);
  },
};

/** A response that stays in progress until the client says so (HOST-30). */
export const slowProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedBody(c, async (pull) => {
      if (pull === 1) return text('first;');
      if (pull === 2) {
        await c.gate('finish').promise;
        return text('done');
      }
      return undefined;
    });
  },
};

/** Background work that ends only when the client says so (HOST-32). */
export const lateWorkProbe: Probe = {
  run(environ, startResponse, c) {
    environ['tsgi.wait_until'](
      c.gate('work').promise.then(() => {
        c.notes.workDone = true;
      }),
    );
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('working')]);
  },
};
