import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    'node/index': 'src/node/index.ts',
    'prefork/index': 'src/prefork/index.ts',
    'lambda/index': 'src/lambda/index.ts',
    'fetch/index': 'src/fetch/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  tsconfig: 'tsconfig.build.json',
});
