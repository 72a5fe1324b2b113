#!/usr/bin/env node
// `node scripts/ensure-tools.mjs [lambda-ric] [node-versions]`: installs the tools outside the
// workspace that the tests use, when they are not installed yet (`npm ci` in tools/<name>).
// `npm test` runs it for lambda-ric (AWS's runtime interface client, built from source: it
// needs Debian's autoconf automake libtool cmake g++ make python3, and a few minutes the first
// time); `npm run test:node-versions` for node-versions (Node 22 and 24 from npm).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const tools = join(dirname(fileURLToPath(import.meta.url)), '..', 'tools');
/** What each tool's install leaves behind when it worked. */
const INSTALLED = {
  'lambda-ric': ['node_modules', 'aws-lambda-ric', 'bin', 'index.mjs'],
  'node-versions': ['node_modules', 'node24', 'bin', 'node'],
};

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(INSTALLED)) {
  const marker = INSTALLED[name];
  if (marker === undefined) {
    console.error(`ensure-tools: no tool named ${name}; known: ${Object.keys(INSTALLED).join(', ')}`);
    process.exit(2);
  }
  if (existsSync(join(tools, name, ...marker))) continue;
  console.log(`ensure-tools: installing tools/${name} (npm ci)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: join(tools, name), stdio: 'inherit' });
  if (result.status !== 0 || !existsSync(join(tools, name, ...marker))) {
    console.error(`ensure-tools: installing tools/${name} failed; see tools/${name}/README.md for what it needs`);
    process.exit(1);
  }
}
