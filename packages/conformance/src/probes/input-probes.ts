import { concatBytes } from '../drivers/wire.js';
import { countedChunks } from './counted-body.js';
import { text, type Probe } from './probe.js';

/** Reads everything, recording the error that ends reading (INP-10: truncated, never EOF). */
export const truncatedProbe: Probe = {
  async run(environ, startResponse, c) {
    const parts: Uint8Array[] = [];
    try {
      for (;;) {
        const chunk = await environ['tsgi.input'].read();
        if (chunk.length === 0) {
          c.notes.eof = true;
          break;
        }
        parts.push(chunk.slice());
      }
    } catch (error) {
      c.inputError = error;
      try {
        await environ['tsgi.input'].read();
        c.notes.laterRead = 'resolved';
      } catch (later) {
        c.notes.laterRead = later;
      }
    }
    c.bodyRead = concatBytes(parts);
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('read')]);
  },
};

/** Two reads at once: the second is refused with TSGI_INPUT_BUSY, the first completes (INP-12). Breaks INP-13. */
export const busyProbe: Probe = {
  breaksAppRules: true,
  async run(environ, startResponse, c) {
    const input = environ['tsgi.input'];
    const first = input.read();
    let second: unknown;
    try {
      await input.read();
      second = 'resolved';
    } catch (error) {
      second = error;
    }
    c.notes.second = second;
    try {
      const parts = [await first];
      for (;;) {
        const chunk = await input.read();
        if (chunk.length === 0) break;
        parts.push(chunk);
      }
      c.bodyRead = concatBytes(parts);
    } catch (error) {
      c.inputError = error;
    }
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('busy')]);
  },
};

/** Sizes that are not positive safe integers are refused (INP-5). Breaks INP-6. */
export const badSizeProbe: Probe = {
  breaksAppRules: true,
  async run(environ, startResponse, c) {
    const input = environ['tsgi.input'];
    const accepted: string[] = [];
    for (const [name, call] of [
      ['read(0)', () => input.read(0)],
      ['read(-1)', () => input.read(-1)],
      ['read(1.5)', () => input.read(1.5)],
      ['read(NaN)', () => input.read(Number.NaN)],
      ['readLine(0)', () => input.readLine(0)],
    ] as const) {
      try {
        await call();
        accepted.push(name);
      } catch {
        // refused, as it must be
      }
    }
    c.notes.accepted = accepted;
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('sizes')]);
  },
};

/** Iteration stopped with break keeps the rest for later reads (INP-8). */
export const breakProbe: Probe = {
  async run(environ, startResponse, c) {
    const input = environ['tsgi.input'];
    const parts: Uint8Array[] = [];
    try {
      for await (const chunk of input) {
        parts.push(chunk.slice());
        break;
      }
      c.open('broke');
      for (;;) {
        const chunk = await input.read();
        if (chunk.length === 0) break;
        parts.push(chunk.slice());
      }
    } catch (error) {
      c.inputError = error;
    }
    c.bodyRead = concatBytes(parts);
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('resumed')]);
  },
};

/** Reads nothing until the client says so, then counts the body (INP-14, INP-15). */
export const lateReaderProbe: Probe = {
  async run(environ, startResponse, c) {
    await c.gate('read').promise;
    c.notes.reading = true;
    let total = 0;
    try {
      for (;;) {
        const chunk = await environ['tsgi.input'].read();
        if (chunk.length === 0) break;
        total += chunk.length;
      }
    } catch (error) {
      c.inputError = error;
    }
    c.notes.total = total;
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text(String(total))]);
  },
};
