/** A one-line progress bar on a TTY stream; silent elsewhere (CI logs stay clean). */
export class ProgressBar {
  #last = 0;
  #shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(done: number, total: number, label: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.#last < 50 && done < total) return;
    this.#last = now;
    const width = 30;
    const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
    const text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`;
    this.stream.write(`\r${text.slice(0, (this.stream.columns ?? 80) - 1).padEnd(Math.min(79, (this.stream.columns ?? 80) - 1))}`);
    this.#shown = true;
  }

  clear(): void {
    if (this.#shown) this.stream.write(`\r${' '.repeat(Math.min(79, (this.stream.columns ?? 80) - 1))}\r`);
    this.#shown = false;
  }
}
