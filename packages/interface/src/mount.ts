import { deriveEnviron } from './middleware/derive-environ.js';
import type { App, Environ, StartResponse } from './types.js';

/**
 * A mount prefix as a ByteString path: "" and "/" mean the root; others start with "/" and
 * do not end with "/"; anything else is a TypeError (MW-11).
 */
export function normalizePrefix(prefix: string): string {
  if (prefix === '' || prefix === '/') return '';
  if (typeof prefix !== 'string' || !prefix.startsWith('/') || prefix.endsWith('/')) {
    throw new TypeError(`[MW-11] a mount prefix is "", "/" or starts with "/" and does not end with "/"; got ${JSON.stringify(prefix)}`);
  }
  return prefix;
}

/**
 * True when `prefix` matches `path` on a segment boundary: "/api" matches "/api" and
 * "/api/x" but not "/apix" (MW-12).
 */
export function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === '') return true;
  if (!path.startsWith(prefix)) return false;
  return path.length === prefix.length || path.charCodeAt(prefix.length) === 47;
}

/**
 * The environ an app mounted at `prefix` sees: a new object in which the prefix moved from
 * PATH_INFO to SCRIPT_NAME, so SCRIPT_NAME + PATH_INFO is unchanged (MW-5, MW-14).
 */
export function environForMount(environ: Environ, prefix: string): Environ {
  if (prefix === '') return environ;
  // Not a spread: that would read tsgi.signal and create its AbortController for nothing.
  return deriveEnviron(environ, {
    SCRIPT_NAME: environ.SCRIPT_NAME + prefix,
    PATH_INFO: environ.PATH_INFO.slice(prefix.length),
  });
}

const NOT_FOUND = new TextEncoder().encode('Not Found\n');

/** The answer of a mount map when no prefix matches (MW-15). */
export const notFoundApp: App = (_environ, startResponse: StartResponse) => {
  startResponse('404 Not Found', [
    ['content-type', 'text/plain; charset=utf-8'],
    ['content-length', String(NOT_FOUND.length)],
  ]);
  return [NOT_FOUND];
};

/**
 * Dispatches by PATH_INFO prefix to several apps; the longest matching prefix wins (MW-13).
 * `mount({ '/api': api, '/': site })`. Apps with no match get `fallback` (404 by default).
 */
export function mount(apps: Record<string, App> | Iterable<readonly [string, App]>, fallback: App = notFoundApp): App {
  const entries = (Symbol.iterator in Object(apps) ? [...(apps as Iterable<readonly [string, App]>)] : Object.entries(apps))
    .map(([prefix, app]) => {
      if (typeof app !== 'function') throw new TypeError(`mount: the app for ${JSON.stringify(prefix)} is not a function`);
      return [normalizePrefix(prefix), app] as const;
    })
    .sort((a, b) => b[0].length - a[0].length);
  const seen = new Set<string>();
  for (const [prefix] of entries) {
    if (seen.has(prefix)) throw new TypeError(`mount: prefix ${JSON.stringify(prefix || '/')} is mounted twice`);
    seen.add(prefix);
  }
  return (environ, startResponse) => {
    const path = environ.PATH_INFO;
    for (const [prefix, app] of entries) {
      if (prefixMatches(prefix, path)) return app(environForMount(environ, prefix), startResponse);
    }
    return fallback(environ, startResponse);
  };
}
