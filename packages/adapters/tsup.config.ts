import { defineConfig } from 'tsup';

// The `tsgi` bin and the pre-fork worker script are ESM files run by path, not imported, so
// they get their own builds (no .cjs, no .d.ts); the first build's clean spares them.
const standalone = { format: ['esm'] as const, dts: false, clean: false, tsconfig: 'tsconfig.build.json' };

export default defineConfig([
  {
    entry: {
      'node/index': 'src/node/index.ts',
      'prefork/index': 'src/prefork/index.ts',
      'lambda/index': 'src/lambda/index.ts',
      'fetch/index': 'src/fetch/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    clean: ['!cli/**', '!prefork/worker.js'],
    // `import.meta.url` in the CommonJS build of ./prefork (it locates the worker script).
    shims: true,
    tsconfig: 'tsconfig.build.json',
  },
  { ...standalone, format: ['esm'], entry: { 'cli/tsgi': 'src/cli/tsgi.ts' }, banner: { js: '#!/usr/bin/env node' } },
  { ...standalone, format: ['esm'], entry: { 'prefork/worker': 'src/prefork/worker.ts' } },
]);
