import type { ErrorStream } from './types.js';

/** An ErrorStream over any text sink (a file, a logger, `process.stderr.write`). */
export function errorStreamFrom(write: (text: string) => void, flush: () => void | Promise<void> = () => {}): ErrorStream {
  return { write, flush };
}

/** An ErrorStream that keeps what it is given, for tests and in-memory runs. */
export class MemoryErrorStream implements ErrorStream {
  readonly lines: string[] = [];
  write(text: string): void {
    this.lines.push(text);
  }
  flush(): void {}
  get text(): string {
    return this.lines.join('');
  }
}
