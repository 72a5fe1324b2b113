import { requestHeader } from '../helpers.js';
import type { Environ, Middleware } from '../types.js';
import { deriveEnviron } from './derive-environ.js';
import { compileProxyTrust, type ProxyTrustOptions, type ProxyView } from './resolve-proxy-headers.js';

export type ProxyHeadersOptions = ProxyTrustOptions;

/** The environ key under which the values a proxy rewrote are kept, as the host set them. */
export const PROXY_ORIGINAL_KEY = 'proxy.original';

/** The host's own values, kept under `proxy.original` when proxy headers rewrote them. */
export interface ProxyOriginal {
  REMOTE_ADDR: string | undefined;
  REMOTE_PORT: string | undefined;
  'tsgi.url_scheme': 'http' | 'https';
  HTTP_HOST: string | undefined;
  SERVER_NAME: string;
  SERVER_PORT: string;
  SCRIPT_NAME: string;
}

/**
 * Applies `Forwarded` / `X-Forwarded-*` from trusted proxies: the app below sees the
 * client's address as REMOTE_ADDR, the client's scheme as `tsgi.url_scheme` (ENV-25:
 * "through a trusted proxy that says so"), the Host it asked for as HTTP_HOST, SERVER_NAME
 * and SERVER_PORT, and the prefix the proxy removed in front of SCRIPT_NAME. Headers from
 * an untrusted peer change nothing. The environ is derived, never changed (MW-5).
 */
export function proxyHeaders(options: ProxyHeadersOptions = {}): Middleware {
  const resolve = compileProxyTrust(options);
  return (app) => (environ, startResponse) => {
    // Most requests that reach an app directly carry none of these: nothing to resolve.
    if (
      environ.HTTP_FORWARDED === undefined &&
      environ.HTTP_X_FORWARDED_FOR === undefined &&
      environ.HTTP_X_FORWARDED_PROTO === undefined &&
      environ.HTTP_X_FORWARDED_HOST === undefined &&
      environ.HTTP_X_FORWARDED_PORT === undefined &&
      environ.HTTP_X_FORWARDED_PREFIX === undefined
    ) {
      return app(environ, startResponse);
    }
    const view = resolve(environ.REMOTE_ADDR, (name) => requestHeader(environ, name));
    return app(view ? environBehindProxy(environ, view) : environ, startResponse);
  };
}

/** A new environ that shows what `view` says; the received one is left as it was. */
export function environBehindProxy(environ: Environ, view: ProxyView): Environ {
  return deriveEnviron(environ, proxyChanges(environ, view, environ.REMOTE_PORT));
}

/**
 * For hosts: applies `view` to an environ the host has just built and no app has seen yet,
 * in place, with the same result as `environBehindProxy` but no copy. The host builds that
 * environ without `REMOTE_PORT` and passes the peer's port here: the port is either the
 * peer's or the one the proxy names, and leaving a key out is cheaper than removing it.
 */
export function applyProxyView(environ: Environ, view: ProxyView | undefined, remotePort: string | undefined): void {
  const target = environ as unknown as Record<string, unknown>;
  if (view === undefined) {
    if (remotePort !== undefined) target.REMOTE_PORT = remotePort;
    return;
  }
  const changes = proxyChanges(environ, view, remotePort);
  // A view that names no client leaves the peer, and its port, as they were.
  if (view.remoteAddr === undefined && remotePort !== undefined) changes.REMOTE_PORT = remotePort;
  for (const key in changes) {
    const value = changes[key];
    if (value !== undefined) target[key] = value;
    // Only an unknown client (REMOTE_ADDR left out, ENV-19) removes a key the environ had.
    else if (key in target) delete target[key];
  }
}

/** What `view` changes: the keys to set (undefined: to leave out) and `proxy.original`. */
function proxyChanges(environ: Environ, view: ProxyView, remotePort: string | undefined): Record<string, unknown> {
  const original: ProxyOriginal = {
    REMOTE_ADDR: environ.REMOTE_ADDR,
    REMOTE_PORT: remotePort,
    'tsgi.url_scheme': environ['tsgi.url_scheme'],
    HTTP_HOST: environ.HTTP_HOST,
    SERVER_NAME: environ.SERVER_NAME,
    SERVER_PORT: environ.SERVER_PORT,
    SCRIPT_NAME: environ.SCRIPT_NAME,
  };
  const changes: Record<string, unknown> = { [PROXY_ORIGINAL_KEY]: original };
  if (view.remoteAddr !== undefined) {
    // An unknown client is left out rather than named by a placeholder (ENV-19).
    changes.REMOTE_ADDR = view.remoteAddr ?? undefined;
    changes.REMOTE_PORT = view.remotePort;
  }
  const scheme = view.scheme ?? environ['tsgi.url_scheme'];
  changes['tsgi.url_scheme'] = scheme;
  const defaultPort = scheme === 'https' ? '443' : '80';
  if (view.host !== undefined) {
    const [name, port] = splitHost(view.host);
    changes.HTTP_HOST = view.host;
    changes.SERVER_NAME = name;
    changes.SERVER_PORT = port ?? view.port ?? defaultPort;
  } else if (view.port !== undefined) {
    changes.SERVER_PORT = view.port;
  } else if (view.scheme !== undefined && view.scheme !== environ['tsgi.url_scheme'] && environ.HTTP_HOST !== undefined && splitHost(environ.HTTP_HOST)[1] === undefined) {
    // The Host field names no port, so the port is the scheme's default: the client's scheme.
    changes.SERVER_PORT = defaultPort;
  }
  if (view.prefix) changes.SCRIPT_NAME = view.prefix + environ.SCRIPT_NAME;
  return changes;
}

/** `[name, port]` of a Host value; an IPv6 literal keeps its brackets (ENV-15). */
function splitHost(host: string): [string, string | undefined] {
  const colon = host.lastIndexOf(':');
  if (colon === -1 || host.endsWith(']')) return [host, undefined];
  return [host.slice(0, colon), host.slice(colon + 1)];
}
