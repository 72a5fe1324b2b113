import { describeError, type ErrorStream } from '@tsgi/interface';

/**
 * The work handed to `tsgi.wait_until` on a long-running host: kept referenced until it
 * settles (HOST-27), rejections reported to `tsgi.errors` instead of becoming unhandled
 * (HOST-28), and drained on shutdown within the grace period (HOST-32).
 */
export class WaitUntilTracker {
  readonly #pending = new Set<Promise<unknown>>();
  readonly #errors: ErrorStream;
  /** `tsgi.wait_until` for every request of this host: one function, not one per request. */
  readonly waitUntil: (promise: PromiseLike<unknown>) => void;

  constructor(errors: ErrorStream) {
    this.#errors = errors;
    this.waitUntil = (promise) => {
      // HOST-25: accept any thenable, return undefined, never throw.
      let tracked: Promise<unknown>;
      try {
        tracked = Promise.resolve(promise);
      } catch (error) {
        this.#report(error);
        return;
      }
      const settled: Promise<unknown> = tracked.then(
        () => void this.#pending.delete(settled),
        (error: unknown) => {
          this.#pending.delete(settled);
          this.#report(error);
        },
      );
      this.#pending.add(settled);
    };
  }

  /** Promises not settled yet. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Resolves to true once every pending promise (including ones added while waiting) has
   * settled, or to false when `timeoutMs` passes first.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#pending.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<boolean>((resolve) => {
        timer = setTimeout(resolve, left, true);
      });
      const timedOut = await Promise.race([Promise.all(this.#pending).then(() => false), expired]);
      clearTimeout(timer);
      if (timedOut) return false;
    }
    return true;
  }

  #report(error: unknown): void {
    this.#errors.write(`[HOST-28] a promise passed to tsgi.wait_until rejected\n${describeError(error)}\n`);
  }
}
