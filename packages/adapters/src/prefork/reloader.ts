import { watch, type FSWatcher } from 'node:fs';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const WATCHED = /\.(?:[cm]?[jt]sx?|json)$/;
const IGNORED = /(?:^|[\\/])(?:node_modules|\.[^\\/]+)(?:[\\/]|$)/;
const DEBOUNCE_MS = 150;

/**
 * `--reload` (development): watches the app's directory, and any extra paths, and calls
 * `onChange` once per burst of edits to source files. Dependencies (node_modules) and
 * dot-directories are ignored. The master runs it; the hot path of the workers never sees it.
 */
export class Reloader {
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private changed = new Set<string>();

  constructor(
    paths: readonly string[],
    private readonly onChange: (files: string[]) => void,
  ) {
    for (const path of new Set(paths.map((p) => resolve(p)))) {
      const directory = isDirectory(path);
      const watcher = watch(path, { recursive: directory, persistent: false }, (_event, file) => {
        const name = file ? String(file) : '';
        if (directory && (!WATCHED.test(name) || IGNORED.test(name))) return;
        this.changed.add(directory ? resolve(path, name) : path);
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.fire(), DEBOUNCE_MS);
      });
      watcher.on('error', () => undefined);
      this.watchers.push(watcher);
    }
  }

  private fire(): void {
    const files = [...this.changed];
    this.changed = new Set();
    this.onChange(files);
  }

  close(): void {
    clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.close();
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The directory a module path lives in, to watch with `--reload`. */
export function watchRootFor(module: string, cwd: string): string {
  if (module.startsWith('file:')) return dirname(new URL(module).pathname);
  const path = resolve(cwd, module);
  return isDirectory(path) ? path : dirname(path);
}
