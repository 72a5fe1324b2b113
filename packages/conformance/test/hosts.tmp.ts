import { certifyServer, summarizeFailures } from '../src/index.js';
import { driverFor } from '../src/drivers/driver-for.js';
import { LambdaDriver } from '../src/drivers/lambda/lambda-driver.js';
const which = process.argv[2];
const quiet = { write() {}, flush() {} };
if (which === 'fetch') {
  const { toFetchHandler, fetchHost } = await import('@tsgi/adapters/fetch');
  const r = await certifyServer((app) => toFetchHandler(app, { errors: quiet } as any), { kind: 'fetch', host: fetchHost, runs: 100, seed: 5, driver: driverFor('fetch') });
  console.log(r.ok, r.durationMs); if (!r.ok) console.log(summarizeFailures(r)); console.log(r.notes.join('\n'));
} else if (which === 'node') {
  const { serve, nodeHost } = await import('@tsgi/adapters/node') as any;
  console.log(nodeHost);
  const r = await certifyServer(async (app) => { const h = await serve(app, { port: 0, host: '127.0.0.1', errors: quiet }); return { url: h.url ?? `http://127.0.0.1:${h.port ?? h.address?.().port}`, close: () => h.close() }; }, { host: nodeHost, runs: 100, seed: 5 });
  console.log(r.ok, r.durationMs); if (!r.ok) console.log(summarizeFailures(r)); console.log(r.notes.join('\n'));
} else {
  const { toLambdaHandler, lambdaHost } = await import('@tsgi/adapters/lambda');
  for (const source of ['api-gateway-v1', 'api-gateway-v2', 'function-url', 'alb'] as const) {
    const r = await certifyServer((app) => toLambdaHandler(app, { errors: quiet } as any), { kind: 'lambda', host: lambdaHost, runs: 100, seed: 5, driver: (h) => new LambdaDriver(h as any, source) });
    console.log(source, r.ok, r.durationMs); if (!r.ok) console.log(summarizeFailures(r));
  }
}
