import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/vitest.ts', 'src/cli.ts', 'src/probe-app.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  tsconfig: 'tsconfig.build.json',
});
