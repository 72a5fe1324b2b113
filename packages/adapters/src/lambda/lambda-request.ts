/**
 * A request as an HTTP event describes it, before it becomes an environ: the pure middle of
 * the Lambda host. Each source has a pair of conversions through it, `requestFromXEvent`
 * (what the host does) and `xEventFromRequest` (what the platform does with a client's
 * request), and a round-trip property ties the two together. Every string is a ByteString.
 */
export interface LambdaRequest {
  method: string;
  /** The request target rebuilt from the event (ENV-14): encoded path, `?` and the query when there is one. */
  target: string;
  /** A prefix moved from `PATH_INFO` to `SCRIPT_NAME` when the path starts with it; `""` for none. */
  scriptName: string;
  /** Header fields as the event gives them, flattened: `[name, value, name, value, ...]`. */
  rawHeaders: string[];
  protocol: string;
  scheme: 'http' | 'https';
  /** The gateway's own name, for a request without a Host header (ENV-15). */
  serverName: string;
  /** The gateway's port, for a request without a Host header (ENV-16). */
  serverPort: string;
  /** The client address the gateway vouches for (LAMBDA-9); undefined when the source gives none. */
  remoteAddress: string | undefined;
  /** The whole body, decoded (LAMBDA-4); undefined when the event has none. */
  body: Uint8Array | undefined;
  /** True when the source cut the body short (CloudFront's `inputTruncated`, LAMBDA-5). */
  bodyTruncated: boolean;
}

/** Options of every `requestFromXEvent` conversion. */
export interface RequestConversionOptions {
  /**
   * A root path moved from `PATH_INFO` to `SCRIPT_NAME` when the path starts with it
   * (ENV-7): `'/api'` for a custom domain's base path mapping, or `'stage'` for the API
   * Gateway stage the client named in the URL (`/prod/...` on an `execute-api` domain).
   */
  scriptName?: string | undefined;
}

/**
 * A client's request as it reaches the platform: what the `xEventFromRequest` conversions
 * turn into an event, the way the platform would. For tests, sample events and the
 * round-trip properties. Strings are ByteStrings, as on the wire.
 */
export interface LambdaClientRequest {
  method: string;
  /** The request target as the client sent it: encoded path, then `?` and the raw query. */
  target: string;
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  body?: Uint8Array | undefined;
  /** The client's address as the platform sees it. */
  sourceIp?: string | undefined;
  scheme?: 'http' | 'https' | undefined;
}

/** Splits a request target into path and query (without the `?`). */
export function splitTarget(target: string): [path: string, query: string] {
  const question = target.indexOf('?');
  return question === -1 ? [target, ''] : [target.slice(0, question), target.slice(question + 1)];
}

/** The target of a path and a raw query: `path` alone when the query is empty. */
export function joinTarget(path: string, query: string): string {
  return query === '' ? path : `${path}?${query}`;
}

/**
 * The stage prefix (`/prod`) when the deployer asked for the stage in `SCRIPT_NAME` and the
 * client's path starts with it; `""` otherwise. `$default` stages never appear in paths.
 */
export function stagePrefix(stage: unknown, clientPath: string): string {
  if (typeof stage !== 'string' || stage === '' || stage === '$default') return '';
  const prefix = '/' + stage;
  return clientPath === prefix || clientPath.startsWith(prefix + '/') ? prefix : '';
}
