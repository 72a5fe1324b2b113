import { certifyServer, certifyApp, certifyMiddleware } from '../src/index.js';
import { startReferenceHost, REFERENCE_CAPABILITIES } from './reference-host.js';
import { CATALOGUE } from './catalogue/index.js';
const only = process.argv[2];
let total = Date.now();
for (const e of CATALOGUE) {
  if (only && !e.name.includes(only) && e.kind !== only) continue;
  const t = Date.now();
  const report = e.kind === 'host' ? await certifyServer((app) => startReferenceHost(app, e.hooks), { capabilities: REFERENCE_CAPABILITIES, runs: 20, seed: 7, shrink: false, timeoutMs: 1500 })
    : e.kind === 'app' ? await certifyApp(e.app, { runs: 20, seed: 7, shrink: false }) : await certifyMiddleware(e.middleware, { runs: 30, seed: 7, shrink: false });
  const failed = report.clauses.filter(c => c.status === 'failed').map(c => c.clause);
  console.log(failed.includes(e.expect) ? 'OK  ' : 'MISS', e.kind, e.expect, '|', e.name, '|', Date.now() - t, 'ms |', failed.join(' '));
}
console.log('total', Date.now() - total);
