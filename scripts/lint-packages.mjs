#!/usr/bin/env node
// `npm run lint`: publint and @arethetypeswrong/cli on every published package (after a
// build), so that export maps, declaration files and the ESM/CJS split stay honest.
import { spawnSync } from 'node:child_process';

const packages = ['packages/interface', 'packages/conformance', 'packages/adapters'];
let failed = 0;
for (const dir of packages) {
  for (const [tool, args] of [
    ['publint', ['publint', '--strict']],
    // node16 profile: ESM and CJS consumers under Node's own resolution; bundler resolution
    // follows the same export map.
    ['attw', ['attw', '--pack', '.', '--profile', 'node16']],
  ]) {
    console.log(`\n== ${tool}: ${dir}`);
    const result = spawnSync('npx', ['--no-install', ...args], { cwd: dir, stdio: 'inherit' });
    if (result.status !== 0) failed++;
  }
}
process.exit(failed ? 1 : 0);
