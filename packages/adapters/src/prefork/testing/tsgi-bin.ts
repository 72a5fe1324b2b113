/**
 * Test support: bundles the `tsgi` bin and the worker script from source with esbuild, so
 * that the process tests run the code under test without a prior `npm run build` and
 * without a TypeScript loader in every process.
 */
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const src = fileURLToPath(new URL('../../', import.meta.url));

export interface TsgiBin {
  /** Path of the bundled `tsgi` script. */
  readonly bin: string;
  remove(): Promise<void>;
}

export async function buildTsgiBin(): Promise<TsgiBin> {
  const outdir = fileURLToPath(new URL(`../../../build/tsgi-bin-${process.pid}-${Date.now()}/`, import.meta.url));
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: { 'cli/tsgi': `${src}cli/tsgi.ts`, 'prefork/worker': `${src}prefork/worker.ts` },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return { bin: `${outdir}cli/tsgi.js`, remove: () => rm(outdir, { recursive: true, force: true }) };
}
