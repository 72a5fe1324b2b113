/**
 * The master's inbox. Signal handlers, worker messages and worker exits only `push`; the
 * loop takes everything queued after `wait` returns, which happens as soon as something
 * arrives or when the round's time is up, whichever is first.
 */
export class EventQueue<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }

  /** Resolves at once when items wait, else on the next push or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.items.length > 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  /** The next queued item, in arrival order. */
  shift(): T | undefined {
    return this.items.shift();
  }
}
