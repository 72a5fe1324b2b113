#!/usr/bin/env node
// `node scripts/complete-lockfile.mjs`: adds to package-lock.json an entry for every optional
// platform binary that a dependency lists but the lockfile lacks (@deno/darwin-arm64,
// @rollup/rollup-win32-x64-msvc, @cloudflare/workerd-windows-64 ...), with its os, cpu and libc.
//
// npm writes such entries only for the packages its registry serves; a lockfile resolved
// against a registry mirror that carries just one platform's binaries lacks the others, and
// `npm ci` then refuses it on every machine ("Missing: ... from lock file"). With the entries
// in place, `npm ci` installs this platform's binary and skips the rest without fetching them.
// Run it after any `npm install` that rewrites the lockfile; it changes nothing when the
// lockfile is complete. Only exact versions are added, as the binaries' parents pin them.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
const original = new Set(Object.keys(packages));

const OS = { aix: 'aix', android: 'android', darwin: 'darwin', freebsd: 'freebsd', linux: 'linux', netbsd: 'netbsd', openbsd: 'openbsd', openharmony: 'openharmony', sunos: 'sunos', win32: 'win32', windows: 'win32' };
const CPU = { arm: 'arm', arm64: 'arm64', x64: 'x64', 64: 'x64', ia32: 'ia32', loong64: 'loong64', mips64el: 'mips64el', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' };

/** os, cpu and libc from a platform package's name: `@rollup/rollup-linux-x64-musl`, `@deno/win32-arm64`, `@cloudflare/workerd-darwin-64`. */
function platformOf(name) {
  const words = name.slice(name.indexOf('/') + 1).split('-');
  const at = words.findIndex((word) => word in OS);
  if (at === -1 || !(words[at + 1] in CPU)) return undefined;
  const os = OS[words[at]];
  const rest = words.slice(at + 2).join('-');
  return { os, cpu: CPU[words[at + 1]], libc: os === 'linux' ? (rest.includes('musl') ? 'musl' : 'glibc') : undefined };
}

let added = 0;
for (const [where, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const top = `node_modules/${dep}`;
    const nested = `${where ? `${where}/` : ''}node_modules/${dep}`;
    if (packages[nested] || packages[top]?.version === version) continue;
    const platform = platformOf(dep);
    if (platform === undefined || !/^\d+\.\d+\.\d+$/.test(version)) {
      console.warn(`complete-lockfile: ${dep}@${version} (optional, of ${where || 'the root'}) is missing and not a pinned platform binary; left alone`);
      continue;
    }
    const { os, cpu, libc } = platform;
    packages[packages[top] ? nested : top] = {
      version,
      cpu: [cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(libc ? { libc: [libc] } : {}),
      ...(entry.license ? { license: entry.license } : {}),
      optional: true,
      os: [os],
    };
    added++;
    console.log(`  ${dep}@${version} (${os} ${cpu}${libc ? ` ${libc}` : ''})`);
  }
}
// The new entries go in among the others in npm's order; the existing ones do not move.
const compare = (a, b) => a.localeCompare(b, 'en');
const fresh = Object.keys(packages).filter((key) => !original.has(key)).sort(compare);
const ordered = {};
for (const key of original) {
  while (fresh.length > 0 && compare(fresh[0], key) < 0) {
    const next = fresh.shift();
    ordered[next] = packages[next];
  }
  ordered[key] = packages[key];
}
for (const key of fresh) ordered[key] = packages[key];
lock.packages = ordered;
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: ${added} ${added === 1 ? 'entry' : 'entries'} added`);
