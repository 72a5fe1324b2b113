import type { Body } from '@tsgi/interface';
import type { ProbeCase } from './registry.js';

export interface CountedBodyOptions {
  /** Give the body a close() method (default true). */
  close?: boolean | (() => void | Promise<void>);
}

/**
 * A body that records what the host does with it: each pull, `return()`, `close()`, and a
 * copy of each chunk (to check that the host changes no byte, BODY-13). `source` produces
 * chunks lazily; it is called with the pull number and may wait on gates.
 */
export function countedBody(c: ProbeCase, source: (pull: number) => Promise<Uint8Array | undefined> | Uint8Array | undefined, options: CountedBodyOptions = {}): Body {
  let finished = false;
  let pendingStop: (() => void) | undefined;
  const end = () => {
    if (options.close === false) c.finished.resolve();
  };
  const iterator: AsyncIterator<Uint8Array> = {
    async next() {
      c.pulls++;
      if (finished) return { done: true, value: undefined };
      const result = source(c.pulls);
      // A pull that waits can be cut short by return(): the client went away (HOST-24).
      const value = result instanceof Promise ? await new Promise<Uint8Array | undefined | 'stopped'>((resolve) => {
        pendingStop = () => resolve('stopped');
        result.then(resolve, () => resolve(undefined));
      }) : result;
      pendingStop = undefined;
      if (value === 'stopped' || value === undefined || finished) {
        finished = true;
        end();
        return { done: true, value: undefined };
      }
      c.yielded.push([value, value.slice()]);
      return { done: false, value };
    },
    async return() {
      c.returnCalls++;
      finished = true;
      pendingStop?.();
      end();
      return { done: true, value: undefined };
    },
  };
  const body: Body = { [Symbol.asyncIterator]: () => iterator };
  if (options.close !== false) {
    body.close = () => {
      c.closeCalls++;
      c.finished.resolve();
      if (typeof options.close === 'function') return options.close();
    };
  }
  return body;
}

/** A counted body over a fixed list of chunks. */
export function countedChunks(c: ProbeCase, chunks: readonly Uint8Array[], options: CountedBodyOptions = {}): Body {
  return countedBody(c, (pull) => chunks[pull - 1], options);
}
