import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App } from '@tsgi/interface';
import { stringFromAppSpec, type AppSpec } from './app-spec.js';

/** The app module could not be loaded, or its export is not an app; workers exit with APP_LOAD_ERROR. */
export class AppLoadError extends Error {
  override readonly name = 'AppLoadError';
}

const TYPESCRIPT = /\.(?:ts|mts|cts|tsx)$/;

let typescriptRegistered = false;

/**
 * Teaches this process's loaders TypeScript, once. tsx hooks `import` (module.register,
 * Node 20.6+) and `require`, so TypeScript apps load on every Node tsgi supports, whatever
 * their module format; JavaScript apps skip it and pay nothing.
 */
async function registerTypeScript(): Promise<void> {
  if (typescriptRegistered) return;
  typescriptRegistered = true;
  const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  esm.register();
  cjs.register();
}

/** A file path (`./app.ts`, `/srv/app.js`, `app.mjs`) rather than a package specifier. */
function looksLikePath(module: string, cwd: string): boolean {
  return module.startsWith('.') || isAbsolute(module) || /\.[cm]?[jt]sx?$/.test(module) || existsSync(resolve(cwd, module));
}

/** Imports a module by file path, file URL or package specifier (resolved from `cwd`). */
export async function importModule(module: string, cwd: string): Promise<Record<string, unknown>> {
  if (module.startsWith('file:')) {
    if (TYPESCRIPT.test(new URL(module).pathname)) await registerTypeScript();
    return import(module);
  }
  if (looksLikePath(module, cwd)) {
    const path = resolve(cwd, module);
    if (!existsSync(path)) throw new AppLoadError(`[PF-1] the app module ${path} does not exist`);
    if (TYPESCRIPT.test(path)) await registerTypeScript();
    return import(pathToFileURL(path).href);
  }
  // A package specifier resolves from the working directory, as gunicorn's module names
  // resolve from sys.path, not from where tsgi is installed.
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(module, pathToFileURL(resolve(cwd, 'index.js')).href) as Promise<Record<string, unknown>>;
}

/** Loads MODULE and returns its EXPORT (calling it first for `EXPORT()` factories). */
export async function loadApp(spec: AppSpec, cwd = process.cwd()): Promise<App> {
  const name = stringFromAppSpec(spec);
  let namespace: Record<string, unknown>;
  try {
    namespace = await importModule(spec.module, cwd);
  } catch (error) {
    if (error instanceof AppLoadError) throw error;
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    throw new AppLoadError(`cannot load the app module ${spec.module}: ${detail}`);
  }
  // A CommonJS module (a .ts file outside a "type": "module" package, compiled by tsx) may
  // arrive as { default: module.exports }, with its named exports only on module.exports.
  const commonjs = namespace.default !== null && typeof namespace.default === 'object' ? (namespace.default as Record<string, unknown>) : {};
  let value = namespace[spec.exportName] ?? (spec.exportName === 'default' ? undefined : commonjs[spec.exportName]);
  // `export default app` compiled to CommonJS arrives as { default: { default: app } }.
  if (spec.exportName === 'default' && typeof commonjs.default === 'function') value = commonjs.default;
  const exported = [...new Set([...Object.keys(namespace), ...Object.keys(commonjs)])].filter((key) => key !== '__esModule' && key !== 'default');
  if (value === undefined) {
    const hint = exported.length ? `it exports: ${exported.join(', ')}` : 'it exports nothing';
    throw new AppLoadError(`[PF-1] ${name}: the module has no export ${JSON.stringify(spec.exportName)} (${hint}); name one as MODULE:EXPORT`);
  }
  if (spec.factory) {
    if (typeof value !== 'function') throw new AppLoadError(`[PF-1] ${name}: ${spec.exportName} must be a function that returns the app; got ${typeof value}`);
    try {
      value = await (value as () => unknown)();
    } catch (error) {
      throw new AppLoadError(`${name}: the app factory threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  if (typeof value !== 'function') {
    throw new AppLoadError(`[APP-1] ${name}: the app must be a function (environ, startResponse) => body; got ${value === null ? 'null' : typeof value}`);
  }
  return value as App;
}
