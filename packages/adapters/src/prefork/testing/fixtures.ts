/** Test support: apps written to a temporary directory, so tests can change them on disk. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A plain-JavaScript app (no imports, so workers boot fast) that answers:
 * `/` with `VERSION PID`; `/slow?ms=N` after N ms; `/block` never (a busy loop blocks the
 * worker's event loop); `/crash` and then throws from a timer; `/environ` with the environ keys proxies may change, as JSON.
 */
export function appSource(version: string, exportLine = 'export default app;'): string {
  return `
const encoder = new TextEncoder();
const VERSION = ${JSON.stringify(version)};
async function app(environ, startResponse) {
  const path = environ.PATH_INFO;
  const query = new URLSearchParams(environ.QUERY_STRING);
  if (path === '/slow') await new Promise((resolve) => setTimeout(resolve, Number(query.get('ms') ?? 1000)));
  if (path === '/block') for (;;);
  if (path === '/crash') setTimeout(() => { throw new Error('crash outside any request'); }, 10);
  const text = path === '/environ'
    ? JSON.stringify({ REMOTE_ADDR: environ.REMOTE_ADDR, scheme: environ['tsgi.url_scheme'], SERVER_NAME: environ.SERVER_NAME, SERVER_PORT: environ.SERVER_PORT, multiprocess: environ['tsgi.multiprocess'], forwarded: environ.HTTP_X_FORWARDED_FOR ?? null })
    : VERSION + ' ' + process.pid;
  const body = encoder.encode(text);
  startResponse('200 OK', [['content-type', 'text/plain'], ['content-length', String(body.length)], ['x-version', VERSION]]);
  return [body];
}
${exportLine}
`;
}

export interface AppDir {
  readonly dir: string;
  /** Writes a file in the directory, returns its path. */
  write(name: string, text: string): string;
  remove(): void;
}

export function appDir(): AppDir {
  const dir = mkdtempSync(join(tmpdir(), 'tsgi-prefork-'));
  return {
    dir,
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Resolves with the file's text once it matches `pattern`; polls, bounded by `timeoutMs`. */
export async function waitForFile(path: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // Not created yet.
    }
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in ${path}:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
