/**
 * The suite's remote probe app as a module's default export, for hosts that load an app
 * from a module (`tsgi serve @tsgi/conformance/probe-app`, a Bun or Deno entry point, a
 * Worker bundle). It reports to the control endpoint in `TSGI_PROBE_CONTROL` when the
 * environment has one, else to 127.0.0.1 on the port each case id names.
 */
import { createRemoteProbeApp } from './remote/remote-app.js';

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
let control: string | undefined;
try {
  control = env?.TSGI_PROBE_CONTROL || undefined;
} catch {
  // Deno without --allow-env: the case ids say where to report.
}

export default createRemoteProbeApp(control ? { control } : {});
