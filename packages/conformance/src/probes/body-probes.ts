import type { Body } from '@tsgi/interface';
import { countedBody, countedChunks } from './counted-body.js';
import { text, type Probe } from './probe.js';

/** Chunks given to write go out in order, before the returned body (SR-18, SR-20). */
export const writePathProbe: Probe = {
  async run(_environ, startResponse, c) {
    const write = startResponse('200 OK', [['content-type', 'text/plain']]);
    await write(text('one;'));
    await write(new Uint8Array(0));
    await write(text('two;'));
    return countedChunks(c, [text('three')]);
  },
};

/** write with a string: rejected with a TypeError, nothing sent (SR-17). */
export const writeBadProbe: Probe = {
  breaksAppRules: true,
  async run(_environ, startResponse, c) {
    const write = startResponse('200 OK', [['content-type', 'text/plain']]);
    try {
      const result = write('not bytes' as unknown as Uint8Array);
      c.notes.returnedPromise = result instanceof Promise || typeof (result as PromiseLike<void>)?.then === 'function';
      await result;
      c.notes.rejectedWith = 'resolved';
    } catch (error) {
      c.notes.rejectedWith = error;
    }
    return countedChunks(c, [text('ok')]);
  },
};

/** write after the body was returned: rejected (SR-22). Breaks SR-21 on purpose. */
export const writeLateProbe: Probe = {
  breaksAppRules: true,
  run(_environ, startResponse, c) {
    const write = startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedBody(c, async (pull) => {
      if (pull === 1) {
        try {
          await write(text('late'));
          c.notes.late = 'resolved';
        } catch (error) {
          c.notes.late = error;
        }
        return text('body');
      }
      return undefined;
    });
  },
};

/** Both iterator methods: the host must take the async one (BODY-1). */
export const bothIteratorsProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    const body: Body = {
      async *[Symbol.asyncIterator]() {
        c.pulls++;
        yield text('async');
      },
      *[Symbol.iterator]() {
        c.notes.syncUsed = true;
        yield text('sync');
      },
      close() {
        c.closeCalls++;
        c.finished.resolve();
      },
    };
    return body;
  },
};

/** A Node Buffer and a Uint8Array from another realm are chunks (BODY-2). */
export const foreignChunksProbe: Probe = {
  async run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    // Runtimes without Buffer or node:vm (workerd) get plain Uint8Arrays with the same bytes.
    const buffer = (globalThis as { Buffer?: { from(text: string): Uint8Array } }).Buffer?.from('buffer;') ?? text('buffer;');
    let foreign = text('realm');
    try {
      const vm = (await import('node:vm')) as typeof import('node:vm');
      foreign = vm.runInNewContext('new Uint8Array([114, 101, 97, 108, 109])') as Uint8Array;
    } catch {
      // No node:vm here: the plain chunk goes instead.
    }
    return countedChunks(c, [buffer, foreign]);
  },
};

/** A string chunk: an app error, answered 500, never encoded (BODY-2). */
export const stringChunkProbe: Probe = {
  breaksAppRules: true,
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedBody(c, (pull) => (pull === 1 ? ('a string chunk' as unknown as Uint8Array) : undefined));
  },
};

/** A body that is not iterable: an app error (BODY-2). */
export const notIterableProbe: Probe = {
  breaksAppRules: true,
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    c.finished.resolve();
    return 42 as unknown as Body;
  },
};

/** A non-empty chunk before startResponse: an app error (BODY-4). */
export const noStartProbe: Probe = {
  breaksAppRules: true,
  run(_environ, _startResponse, c) {
    return countedChunks(c, [text('too early')]);
  },
};

/** A body that ends before startResponse: an app error (BODY-4). */
export const noStartEmptyProbe: Probe = {
  breaksAppRules: true,
  run(_environ, _startResponse, c) {
    return countedChunks(c, []);
  },
};

/** Chunk N+1 waits until the client has read chunk N: nothing may be held back (BODY-6). */
export const streamProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    const count = Number(c.notes.count ?? 4);
    const waitMs = Number(c.notes.waitMs ?? 2000);
    return countedBody(c, async (pull) => {
      if (pull > count) return undefined;
      if (pull > 1) {
        const seen = await Promise.race([c.gate(`saw-${pull - 1}`).promise.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), waitMs))]);
        if (!seen && c.notes.stalledAt === undefined) c.notes.stalledAt = pull - 1;
      }
      return text(`<chunk ${pull}>`);
    });
  },
};

/** An endless body of one reused 64 KiB chunk, counting what the host pulls (BODY-7). */
export const firehoseProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'application/octet-stream']]);
    const chunk = new Uint8Array(64 * 1024).fill(120);
    const cap = Number(c.notes.capBytes ?? 256 * 1024 * 1024);
    let produced = 0;
    return countedBody(c, () => {
      if (produced >= cap) return undefined;
      produced += chunk.length;
      c.notes.produced = produced;
      return chunk;
    });
  },
};

/** HEAD: the declared length goes out unchanged, no body bytes, iteration stops at the commit (BODY-20, 22, 23). */
export const headProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain'], ['content-length', '1234']]);
    return countedBody(c, (pull) => (pull <= 3 ? text('x'.repeat(pull === 1 ? 1000 : 117)) : undefined));
  },
};

/** HEAD without a declared length: the host adds none (BODY-18). */
export const headNoLengthProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('head body'), text(' more')]);
  },
};

/** 204 with a body: no body bytes, no Content-Length, iteration stops (BODY-18, 20, 22). Breaks BODY-19. */
export const noBodyStatusProbe: Probe = {
  breaksAppRules: true,
  run(_environ, startResponse, c) {
    startResponse((c.notes.status as '204 No Content') ?? '204 No Content', []);
    return countedChunks(c, [text('must not be sent'), text(' nor this')]);
  },
};

/** A clean 204 or 304: no Content-Length added (BODY-18). */
export const noBodyCleanProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse((c.notes.status as '204 No Content') ?? '204 No Content', []);
    return countedChunks(c, []);
  },
};

/** More bytes than the declared Content-Length (BODY-15). Breaks BODY-14. */
export const lengthOverProbe: Probe = {
  breaksAppRules: true,
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain'], ['content-length', '5']]);
    return countedChunks(c, [text('hello wo'), text('rld'), text(' and more')]);
  },
};

/** Fewer bytes than the declared Content-Length (BODY-16). Breaks BODY-14. */
export const lengthShortProbe: Probe = {
  breaksAppRules: true,
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain'], ['content-length', '10']]);
    return countedChunks(c, [text('short')]);
  },
};
