import type { ErrorStream } from '@tsgi/interface';

/**
 * Listens to what a host writes to `tsgi.errors` (HOST-13, HOST-16, BODY-12, BODY-15):
 * the suite wraps the `write` method of each error stream it meets, once, and keeps the
 * text with the time it arrived. Probes run one at a time, so the text written during a
 * probe belongs to it.
 */
export class ErrorsTap {
  readonly lines: string[] = [];
  readonly #tapped = new WeakSet<object>();
  /** A stream could not be tapped (frozen or read-only): checks that need it say so. */
  blind = false;

  /** `onWrite` hears each text as it is written (a remote probe app passes it on). */
  constructor(readonly onWrite?: (text: string) => void) {}

  tap(errors: unknown): void {
    if (errors === null || typeof errors !== 'object' || this.#tapped.has(errors)) return;
    const stream = errors as ErrorStream;
    const original = stream.write;
    if (typeof original !== 'function') return;
    const lines = this.lines;
    const onWrite = this.onWrite;
    try {
      Object.defineProperty(stream, 'write', {
        configurable: true,
        writable: true,
        value: function write(this: unknown, text: string) {
          lines.push(String(text));
          onWrite?.(String(text));
          return original.call(this, text);
        },
      });
      this.#tapped.add(stream);
    } catch {
      this.blind = true;
    }
  }

  /** A position in the log, to read what came after it. */
  mark(): number {
    return this.lines.length;
  }

  since(mark: number): string {
    return this.lines.slice(mark).join('');
  }
}
