/** What a probe app saw of its environ, detached from the live object. */
export interface EnvironSnapshot {
  /** CGI and HTTP_* keys with their values, exactly. */
  cgi: Record<string, unknown>;
  /** Every key, in the object's order. */
  keys: string[];
  headers: unknown;
  version: unknown;
  scheme: unknown;
  multithread: unknown;
  multiprocess: unknown;
  runOnce: unknown;
  inputTerminated: unknown;
  signalAborted: boolean | undefined;
  prototypeOk: boolean;
}

/** Takes a snapshot of an environ for later comparison with what was sent. */
export function snapshotEnviron(environ: Record<string, unknown>): EnvironSnapshot {
  const cgi: Record<string, unknown> = {};
  for (const key of Object.keys(environ)) if (!key.includes('.')) cgi[key] = environ[key];
  const headers = environ['tsgi.headers'];
  const proto = Object.getPrototypeOf(environ);
  const signal = environ['tsgi.signal'] as AbortSignal | undefined;
  return {
    cgi,
    keys: Object.keys(environ),
    headers: Array.isArray(headers) ? headers.map((pair) => (Array.isArray(pair) ? [...pair] : pair)) : headers,
    version: environ['tsgi.version'],
    scheme: environ['tsgi.url_scheme'],
    multithread: environ['tsgi.multithread'],
    multiprocess: environ['tsgi.multiprocess'],
    runOnce: environ['tsgi.run_once'],
    inputTerminated: environ['tsgi.input_terminated'],
    signalAborted: typeof signal?.aborted === 'boolean' ? signal.aborted : undefined,
    prototypeOk: proto === Object.prototype || proto === null,
  };
}
