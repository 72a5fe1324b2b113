import { decodeByteStringUtf8 } from '../bytestring.js';

/** How files and folders whose name starts with a dot are treated. */
export type DotfilePolicy = 'ignore' | 'deny' | 'allow';

/** The path segments below the root, or why the request cannot name a file. */
export type StaticPath =
  | { ok: true; segments: string[]; directory: boolean }
  | { ok: false; reason: 'not-found' | 'forbidden' };

/**
 * Turns PATH_INFO (a percent-decoded ByteString) into safe segments below a static root, or
 * refuses it. This is the pure half of path safety: whatever it accepts can only name
 * something under the root. It refuses bytes that are not UTF-8, control characters and
 * NUL, backslashes (a separator on Windows), `.` and `..` segments (the host decoded `%2e%2e`
 * already, so encoded dots arrive here as dots), drive letters and stream names (`:` on
 * Windows), and, unless allowed, dotfiles (`ignore`: not found; `deny`: forbidden).
 */
export function resolveStaticPath(pathInfo: string, dotfiles: DotfilePolicy = 'ignore', windows = false): StaticPath {
  const path = decodeByteStringUtf8(pathInfo);
  if (path === undefined || path !== '' && !path.startsWith('/')) return { ok: false, reason: 'not-found' };
  if (/[\x00-\x1f\x7f\\]/.test(path) || (windows && path.includes(':'))) return { ok: false, reason: 'not-found' };
  const segments: string[] = [];
  let dotfile = false;
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    if (segment === '.' || segment === '..') return { ok: false, reason: 'not-found' };
    // Windows ignores trailing dots and spaces: "secret.txt." opens "secret.txt".
    if (windows && /[. ]$/.test(segment)) return { ok: false, reason: 'not-found' };
    if (segment.startsWith('.')) dotfile = true;
    segments.push(segment);
  }
  if (dotfile && dotfiles !== 'allow') return { ok: false, reason: dotfiles === 'deny' ? 'forbidden' : 'not-found' };
  return { ok: true, segments, directory: path === '' || path.endsWith('/') };
}
