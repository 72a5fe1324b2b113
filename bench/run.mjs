#!/usr/bin/env node
// `npm run bench [-- section ...]`: runs each benchmark section (bench/<section>.mjs) in its
// own process, one after another, so that no two sections compete for the cores.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .map((f) => f.slice(0, -4))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((s) => !available.includes(s));
if (unknown.length) {
  console.error(`unknown bench section(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const section of wanted.length ? wanted : available) {
  console.log(`\n=== bench: ${section} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(here, `${section}.mjs`)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
