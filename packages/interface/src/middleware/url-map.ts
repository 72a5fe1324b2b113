import { mount } from '../mount.js';
import type { App, Environ, Middleware } from '../types.js';

/**
 * Keys of a URL map: a path prefix (`/api`), or a host and a prefix (`http://admin.example.com/`,
 * `//admin.example.com/tools`, `https://*.example.com/`). The scheme, when given, is only
 * a way of writing the host: requests are matched by host and path.
 */
export type UrlMapKey = string;

interface HostRule {
  host: string;
  wildcard: boolean;
  apps: Array<[string, App]>;
}

/**
 * Dispatches to several apps by host and path prefix, like Rack's URLMap and Werkzeug's
 * DispatcherMiddleware: apps mounted for the request's host are tried first, then those
 * for any host; within each, the longest prefix wins on a segment boundary (MW-13) and the
 * chosen app sees the prefix moved into SCRIPT_NAME (MW-14). Requests nothing matches go
 * to the wrapped app.
 *
 * The host is HTTP_HOST without its port, or SERVER_NAME, compared without regard to case.
 * Put proxy headers outside the map if a proxy rewrites the Host.
 */
export function urlMap(apps: Readonly<Record<UrlMapKey, App>>): Middleware {
  const anyHost: Array<[string, App]> = [];
  const byHost = new Map<string, HostRule>();
  for (const [key, app] of Object.entries(apps)) {
    if (typeof app !== 'function') throw new TypeError(`urlMap: the app for ${JSON.stringify(key)} is not a function`);
    const match = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/]+)(\/.*)?$/i.exec(key);
    if (!match) {
      anyHost.push([key, app]);
      continue;
    }
    const host = match[1]!.toLowerCase();
    if (/[:@]/.test(host.startsWith('[') ? host.slice(host.indexOf(']')) : host) || host === '') {
      throw new TypeError(`urlMap: a host key names a host without port or user; got ${JSON.stringify(key)}`);
    }
    const wildcard = host.startsWith('*.');
    const name = wildcard ? host.slice(1) : host;
    let rule = byHost.get(name);
    if (!rule) byHost.set(name, (rule = { host: name, wildcard, apps: [] }));
    rule.apps.push([match[2] ?? '', app]);
  }
  return (fallback) => {
    const general = anyHost.length ? mount(anyHost, fallback) : fallback;
    const exact = new Map<string, App>();
    const wildcards: Array<[string, App]> = [];
    for (const rule of byHost.values()) {
      const app = mount(rule.apps, general);
      if (rule.wildcard) wildcards.push([rule.host, app]);
      else exact.set(rule.host, app);
    }
    // The longest suffix first: `*.api.example.com` before `*.example.com`.
    wildcards.sort((a, b) => b[0].length - a[0].length);
    if (exact.size === 0 && wildcards.length === 0) return general;
    return (environ, startResponse) => {
      const host = requestHost(environ);
      const chosen = exact.get(host) ?? wildcards.find(([suffix]) => host.endsWith(suffix))?.[1] ?? general;
      return chosen(environ, startResponse);
    };
  };
}

/** The request's host name in lower case, without port; IPv6 literals keep their brackets. */
export function requestHost(environ: Environ): string {
  const host = environ.HTTP_HOST ?? environ.SERVER_NAME;
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.lastIndexOf(':');
  return (end > 0 ? host.slice(0, end) : host).toLowerCase();
}
