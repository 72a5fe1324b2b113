// Bundles each handler into dist/, one self-contained ES module per function, ready for
// `sam deploy` (template.yaml points CodeUri at dist/).
import { build } from 'esbuild';

export async function buildHandlers(outdir = new URL('./dist/', import.meta.url).pathname) {
  return build({
    entryPoints: { handler: 'src/handler.ts', streaming: 'src/streaming.ts' },
    absWorkingDir: new URL('.', import.meta.url).pathname,
    outdir,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildHandlers();
