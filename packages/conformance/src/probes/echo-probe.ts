import type { Environ, InputStream } from '@tsgi/interface';
import { snapshotEnviron } from './environ-snapshot.js';
import { countedChunks } from './counted-body.js';
import { bodyFromPlan } from './plan-app.js';
import type { Probe } from './probe.js';
import type { ProbeCase, ReadPattern } from './registry.js';
import { concatBytes } from '../drivers/wire.js';

/** Reads the whole request body the way the case says, so every read path of tsgi.input is exercised. */
export async function readInput(input: InputStream, pattern: ReadPattern | undefined): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  if (!pattern || pattern.kind === 'read') {
    const sizes = pattern?.sizes.length ? pattern.sizes : [0];
    for (let i = 0; ; i++) {
      const size = sizes[i % sizes.length]!;
      const chunk = await input.read(size > 0 ? size : undefined);
      if (chunk.length === 0) break;
      parts.push(chunk.slice());
    }
  } else if (pattern.kind === 'readLine') {
    for (;;) {
      const line = await input.readLine(pattern.limit);
      if (line.length === 0) break;
      parts.push(line.slice());
    }
  } else {
    let n = 0;
    for await (const chunk of input) {
      parts.push(chunk.slice());
      if (pattern.breakAfter !== undefined && ++n >= pattern.breakAfter) break;
    }
    // Continue where iteration stopped (INP-8).
    for (;;) {
      const chunk = await input.read();
      if (chunk.length === 0) break;
      parts.push(chunk.slice());
    }
  }
  return concatBytes(parts);
}

/** Records the environ a case saw and the body bytes it read. */
export async function recordRequest(environ: Environ, c: ProbeCase): Promise<void> {
  const env = environ as unknown as Record<string, unknown>;
  c.environ = snapshotEnviron(env);
  c.live = env;
  c.signal = env['tsgi.signal'] as AbortSignal;
  try {
    c.bodyRead = await readInput(environ['tsgi.input'], c.readPattern);
  } catch (error) {
    c.inputError = error;
  }
}

/**
 * The echo probe of generated runs: records the environ and the body (read in the case's
 * pattern), then answers with the case's planned response.
 */
export const echoProbe: Probe = {
  async run(environ, startResponse, c) {
    await recordRequest(environ, c);
    const plan = c.plan;
    if (!plan) {
      startResponse('200 OK', [['content-type', 'application/octet-stream']]);
      return countedChunks(c, [c.bodyRead ?? new Uint8Array(0)]);
    }
    const body = await bodyFromPlan(plan, startResponse, { onClose: () => c.closeCalls++ });
    c.finished.resolve();
    return body;
  },
};
