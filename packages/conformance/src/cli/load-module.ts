import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './args.js';

const TYPESCRIPT = /\.(?:ts|mts|cts|tsx)$/;

/**
 * Imports MODULE and returns the export asked for. TypeScript modules load through tsx's
 * API (`tsx/esm/api`) when tsx is installed; without it they need Node 22.6 or later with
 * --experimental-strip-types.
 */
export async function loadExport(specifier: string, exportName: string | undefined, cwd = process.cwd()): Promise<unknown> {
  const local = specifier.startsWith('.') || isAbsolute(specifier) || existsSync(resolve(cwd, specifier));
  const url = local ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
  if (local && !existsSync(resolve(cwd, specifier))) throw new UsageError(`no such module: ${specifier}`);
  let namespace: Record<string, unknown>;
  try {
    if (TYPESCRIPT.test(specifier)) namespace = await importTypeScript(url, cwd);
    else namespace = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot load ${specifier}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const name = exportName ?? 'default';
  let value = namespace[name];
  // A CommonJS module's exports arrive as the default export.
  if (value === undefined && exportName && namespace.default && typeof namespace.default === 'object') value = (namespace.default as Record<string, unknown>)[exportName];
  if (value === undefined) {
    const names = Object.keys(namespace).join(', ') || 'none';
    throw new UsageError(`${specifier} has no export ${JSON.stringify(name)} (exports: ${names})`);
  }
  return value;
}

type TsxApi = { tsImport: (specifier: string, parent: string) => Promise<Record<string, unknown>> };

/** tsx's API: from beside this package first, else from the project being certified. */
async function loadTsx(cwd: string): Promise<TsxApi | undefined> {
  try {
    return (await import('tsx/esm/api')) as TsxApi;
  } catch {
    try {
      const require = createRequire(resolve(cwd, 'package.json'));
      const root = dirname(require.resolve('tsx/package.json'));
      return (await import(pathToFileURL(join(root, 'dist', 'esm', 'api', 'index.mjs')).href)) as TsxApi;
    } catch {
      return undefined;
    }
  }
}

async function importTypeScript(url: string, cwd: string): Promise<Record<string, unknown>> {
  const api = await loadTsx(cwd);
  // Without tsx, Node 22.6+ strips types itself (--experimental-strip-types).
  if (!api) return (await import(url)) as Record<string, unknown>;
  return api.tsImport(url, pathToFileURL(resolve(cwd, 'index.js')).href);
}
