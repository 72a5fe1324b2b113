import { certifyServer } from '../src/index.js';
const r = await certifyServer((app) => app, { kind: 'memory', capabilities: ['raw-request-target', 'remote-address'], runs: 100, seed: 3 });
console.log(r.durationMs, r.ok, r.clauses.filter(c=>c.status==="failed").map(c=>c.violations[0]?.message), r.counterexample && JSON.stringify(r.counterexample.input,(k,v)=>v instanceof Uint8Array?`<${v.length}>`:v));
console.log(r.clauses.filter(c=>c.status!=="passed").map(c=>`${c.clause} ${c.status} ${c.reason??''}`).join('\n'));
