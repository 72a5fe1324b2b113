import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'middleware/index': 'src/middleware/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  tsconfig: 'tsconfig.build.json',
});
