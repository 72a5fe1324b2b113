import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Pipes and O_APPEND files take writes up to PIPE_BUF (4096 bytes on Linux) whole, so lines
 * from several workers sharing one destination never interleave mid-line.
 */
const MAX_BATCH = 4096;

/**
 * A worker's access log. Lines collect during one turn of the event loop and go out in one
 * write, so a busy worker makes one system call per batch instead of one per request.
 * `-` writes to standard output (inherited from the master).
 */
export class AccessLog {
  private stream: WriteStream | undefined;
  private batch = '';
  private scheduled = false;
  private closed = false;

  constructor(readonly destination: string) {
    this.open();
  }

  private open(): void {
    if (this.destination !== '-') {
      this.stream = createWriteStream(this.destination, { flags: 'a' });
      // A failing log must not take the worker down; the error log says why.
      this.stream.on('error', (error) => process.stderr.write(`tsgi: access log ${this.destination}: ${error.message}\n`));
    }
  }

  write(line: string): void {
    if (this.closed) return;
    if (this.batch.length + line.length + 1 > MAX_BATCH) this.flush();
    this.batch += `${line}\n`;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.batch === '') return;
    const text = this.batch;
    this.batch = '';
    if (this.stream) this.stream.write(text);
    else process.stdout.write(text);
  }

  /** Starts a new file at the same path (after logrotate moved the old one). */
  reopen(): void {
    if (this.closed) return;
    this.flush();
    const old = this.stream;
    this.open();
    old?.end();
  }

  /** Writes what is pending and closes the file. */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    const stream = this.stream;
    this.stream = undefined;
    if (stream && !stream.destroyed) {
      stream.end();
      await once(stream, 'close').catch(() => undefined);
    }
  }
}
