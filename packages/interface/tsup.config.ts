import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'middleware/index': 'src/middleware/index.ts', 'middleware/static': 'src/middleware/static.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  tsconfig: 'tsconfig.build.json',
});
