#!/usr/bin/env node
// `npm run test:node-versions [-- 22|24] [-- vitest filters...]`: runs the test suite (vitest) on
// Node 22 and Node 24, whose binaries tools/node-versions installs from npm
// (`(cd tools/node-versions && npm install)`). `npm test` covers the machine's Node (20 in CI)
// and the build, typecheck and clause checks; this covers the versions users deploy on, where
// Node's HTTP internals and `reusePort` (22.12 and later) differ.
//
//   node scripts/test-node-versions.mjs                       both versions, every test
//   node scripts/test-node-versions.mjs 24 packages/adapters  Node 24, the adapters' tests
//
// Needs `npm run build` first (the examples import the built packages).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const VERSIONS = ['22', '24'];
const args = process.argv.slice(2);
const versions = args.filter((a) => VERSIONS.includes(a));
const filters = args.filter((a) => !VERSIONS.includes(a));
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');

let failed = 0;
for (const version of versions.length > 0 ? versions : VERSIONS) {
  const node = join(root, 'tools', 'node-versions', 'node_modules', `node${version}`, 'bin', 'node');
  if (!existsSync(node)) {
    console.error(`test-node-versions: no Node ${version} at ${node}; run (cd tools/node-versions && npm install)`);
    process.exit(2);
  }
  const reported = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`\n## vitest on Node ${reported}\n`);
  // The suite's child processes (prefork workers, the tsgi CLI) run on process.execPath, so
  // they are on this version too; PATH is left alone so that tools keep the machine's Node.
  const result = spawnSync(node, [vitest, 'run', ...filters], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`test-node-versions: the suite failed on Node ${reported} (exit ${result.status ?? result.signal})`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
