/** A rolling reload whose new workers did not boot; the old workers keep serving. */
export class ReloadError extends Error {
  override readonly name = 'ReloadError';
}

/**
 * Whether a rolling reload is under way, and who waits for its outcome (`reload()` callers).
 * A second reload requested during one joins it: both resolve when no old code runs.
 */
export class ReloadTracker {
  private waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  active = false;

  /** A promise for the outcome of the next (or current) reload. */
  wait(): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  begin(): void {
    this.active = true;
  }

  /** Ends the reload: resolves every waiter, or rejects them with `error`. */
  settle(error?: Error): void {
    this.active = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }
}
