import type { PreforkHooks } from './hooks.js';

/**
 * Settings of the pre-fork host, as `servePrefork()` and config files take them. Each key
 * is the camelCase form of its long `tsgi serve` flag (`--graceful-timeout` is
 * `gracefulTimeout`). Durations are in seconds, as in gunicorn; fractions are allowed.
 */
export interface PreforkOptions extends PreforkHooks {
  /** The app as `MODULE[:EXPORT]` (PF-1). */
  app?: string;
  /** Worker processes. Default: `WEB_CONCURRENCY`, else the number of cores. */
  workers?: number;
  /** Addresses to serve on: `HOST:PORT`, `[IPV6]:PORT`, `unix:PATH`, `fd://N`. */
  bind?: string | string[];
  /** Directory to change to before loading the app. */
  chdir?: string;
  /** Seconds a worker may go without a heartbeat before it is killed (0: never). */
  timeout?: number;
  /** Seconds a stopping worker has to finish its requests before it is killed. */
  gracefulTimeout?: number;
  /** Seconds a new worker has to load the app and report ready. */
  bootTimeout?: number;
  /** Seconds an idle keep-alive connection stays open. */
  keepAlive?: number;
  /** Seconds a request may run before the worker answers 503 in its place (0: no limit). */
  requestDeadline?: number;
  /** Requests a worker serves before it is replaced (0: no limit). */
  maxRequests?: number;
  /** Up to this many more requests, chosen at random per worker, so workers do not all restart at once. */
  maxRequestsJitter?: number;
  /** Load the app in the master first, so that a broken app stops the start before any worker runs. */
  preload?: boolean;
  /** Watch the app's files and reload the workers when they change (development). */
  reload?: boolean;
  /** More files or directories to watch with `reload`. */
  reloadExtraFile?: string[];
  /** Access log: a path, `-` for standard output, or null for none. */
  accessLogfile?: string | null;
  /** gunicorn-style access-log format (PF-9). */
  accessLogformat?: string;
  /** Error log: a path or `-` for standard error. */
  errorLogfile?: string;
  logLevel?: 'debug' | 'info' | 'warning' | 'error' | 'critical';
  /** Write the master's pid to this file. */
  pid?: string | null;
  /** Peers whose `Forwarded`/`X-Forwarded-*` headers are trusted (HOST-33): addresses, CIDR blocks or `*`. */
  forwardedAllowIps?: string | string[];
  /** Longest request line in bytes (414 above it). */
  limitRequestLine?: number;
  /** Most request header fields (431 above it). */
  limitRequestFields?: number;
  /** Largest request header section in bytes (431 above it, HOST-7). */
  limitRequestHeaderSize?: number;
  /** Largest request body in bytes (413 above it; 0: no limit). */
  limitRequestBody?: number;
  /** Each worker listens on its own SO_REUSEPORT socket (Node 22.12+ or 23.1+). */
  reusePort?: boolean;
  /** Boot failures in a row, with no worker serving, before the master gives up (PF-8). */
  maxBootFailures?: number;
  /** TLS certificate and key files (PEM); both or neither. */
  certfile?: string;
  keyfile?: string;
  /** A name for the process titles (`tsgi: master [NAME]`). */
  name?: string;
}

export type OptionType = 'int' | 'seconds' | 'string' | 'strings' | 'boolean' | 'level';

/** One setting: its flag, its type and its help line. The CLI, config files and help share it. */
export interface OptionSpec {
  readonly key: Exclude<keyof PreforkOptions, keyof PreforkHooks | 'app'>;
  readonly flag: string;
  readonly short?: string;
  readonly type: OptionType;
  readonly metavar?: string;
  readonly section: 'Server' | 'Workers' | 'Logging' | 'Limits' | 'Proxy' | 'Development';
  readonly help: string;
}

export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;

export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'bind', flag: 'bind', short: 'b', type: 'strings', metavar: 'ADDRESS', section: 'Server', help: 'HOST:PORT, [IPV6]:PORT, unix:PATH or fd://N; repeat to serve several. Default: 0.0.0.0:$PORT when PORT is set, else 127.0.0.1:8000' },
  { key: 'chdir', flag: 'chdir', type: 'string', metavar: 'DIR', section: 'Server', help: 'change to DIR before loading the app' },
  { key: 'keepAlive', flag: 'keep-alive', type: 'seconds', metavar: 'SECONDS', section: 'Server', help: 'how long an idle keep-alive connection stays open. Default: 5' },
  { key: 'certfile', flag: 'certfile', type: 'string', metavar: 'FILE', section: 'Server', help: 'serve HTTPS with this PEM certificate (with --keyfile)' },
  { key: 'keyfile', flag: 'keyfile', type: 'string', metavar: 'FILE', section: 'Server', help: 'the PEM private key for --certfile' },
  { key: 'pid', flag: 'pid', short: 'p', type: 'string', metavar: 'FILE', section: 'Server', help: "write the master's pid to FILE" },
  { key: 'name', flag: 'name', short: 'n', type: 'string', metavar: 'NAME', section: 'Server', help: 'name shown in process titles (tsgi: master [NAME])' },
  { key: 'workers', flag: 'workers', short: 'w', type: 'int', metavar: 'N', section: 'Workers', help: 'worker processes. Default: $WEB_CONCURRENCY, else the number of cores' },
  { key: 'timeout', flag: 'timeout', short: 't', type: 'seconds', metavar: 'SECONDS', section: 'Workers', help: 'kill and replace a worker whose event loop sent no heartbeat for this long; 0 disables. Default: 30' },
  { key: 'gracefulTimeout', flag: 'graceful-timeout', type: 'seconds', metavar: 'SECONDS', section: 'Workers', help: 'time a stopping worker has to finish its requests. Default: 30' },
  { key: 'bootTimeout', flag: 'boot-timeout', type: 'seconds', metavar: 'SECONDS', section: 'Workers', help: 'time a new worker has to load the app and listen. Default: 60' },
  { key: 'requestDeadline', flag: 'request-deadline', type: 'seconds', metavar: 'SECONDS', section: 'Workers', help: 'answer 503 for a request still running after this long; 0 disables. Default: 0' },
  { key: 'maxRequests', flag: 'max-requests', type: 'int', metavar: 'N', section: 'Workers', help: 'replace a worker after it served N requests; 0 disables. Default: 0' },
  { key: 'maxRequestsJitter', flag: 'max-requests-jitter', type: 'int', metavar: 'N', section: 'Workers', help: 'add a random 0..N to --max-requests per worker. Default: 0' },
  { key: 'maxBootFailures', flag: 'max-boot-failures', type: 'int', metavar: 'N', section: 'Workers', help: 'give up (exit 3 or 4) after N boot failures in a row with no worker serving. Default: 5' },
  { key: 'preload', flag: 'preload', type: 'boolean', section: 'Workers', help: 'load the app in the master before starting workers, so a broken app fails fast' },
  { key: 'reusePort', flag: 'reuse-port', type: 'boolean', section: 'Workers', help: 'one SO_REUSEPORT socket per worker instead of one shared socket (Node 22.12+/23.1+; TCP binds only)' },
  { key: 'accessLogfile', flag: 'access-logfile', type: 'string', metavar: 'FILE', section: 'Logging', help: "access log file; '-' for standard output. Default: none" },
  { key: 'accessLogformat', flag: 'access-logformat', type: 'string', metavar: 'FORMAT', section: 'Logging', help: 'gunicorn-style access log format. Default: %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"' },
  { key: 'errorLogfile', flag: 'error-logfile', type: 'string', metavar: 'FILE', section: 'Logging', help: "error log file; '-' for standard error. Default: -" },
  { key: 'logLevel', flag: 'log-level', type: 'level', metavar: 'LEVEL', section: 'Logging', help: `error log level: ${LOG_LEVELS.join(', ')}. Default: info` },
  { key: 'limitRequestLine', flag: 'limit-request-line', type: 'int', metavar: 'BYTES', section: 'Limits', help: 'longest request line (414 above). Default: 8190' },
  { key: 'limitRequestFields', flag: 'limit-request-fields', type: 'int', metavar: 'N', section: 'Limits', help: 'most request header fields (431 above). Default: 100' },
  { key: 'limitRequestHeaderSize', flag: 'limit-request-header-size', type: 'int', metavar: 'BYTES', section: 'Limits', help: 'largest request header section (431 above). Default: 16384' },
  { key: 'limitRequestBody', flag: 'limit-request-body', type: 'int', metavar: 'BYTES', section: 'Limits', help: 'largest request body (413 above); 0 disables. Default: 0' },
  { key: 'forwardedAllowIps', flag: 'forwarded-allow-ips', type: 'strings', metavar: 'IPS', section: 'Proxy', help: "comma-separated addresses or CIDR blocks (or '*') whose Forwarded/X-Forwarded-* headers set the client address and scheme. Default: $FORWARDED_ALLOW_IPS, else none" },
  { key: 'reload', flag: 'reload', type: 'boolean', section: 'Development', help: "reload workers when the app's files change" },
  { key: 'reloadExtraFile', flag: 'reload-extra-file', type: 'strings', metavar: 'PATH', section: 'Development', help: 'another file or directory to watch with --reload; repeatable' },
];

/** The spec of a config-file key or `servePrefork()` option, if it is one. */
export function optionSpecFor(key: string): OptionSpec | undefined {
  return OPTION_SPECS.find((spec) => spec.key === key);
}
