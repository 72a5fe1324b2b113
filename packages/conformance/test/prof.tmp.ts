import { certifyServer } from '../src/index.js';
import { startReferenceHost, REFERENCE_CAPABILITIES } from './reference-host.js';
import { CATALOGUE } from './catalogue/index.js';
const name = process.argv[2];
const e = CATALOGUE.find(e => name && e.name.includes(name));
let last = Date.now();
const r = await certifyServer((app) => startReferenceHost(app, (e as any)?.hooks ?? {}), { capabilities: REFERENCE_CAPABILITIES, runs: 20, seed: 7, shrink: false, timeoutMs: Number(process.env.T ?? 2000), onProgress: (d, t, l) => { const now = Date.now(); if (now - last > 200) console.log(now - last, l); last = now; } });
console.log(r.durationMs, r.ok, r.clauses.filter(c=>c.status==="failed").map(c=>c.violations[0]?.message));
