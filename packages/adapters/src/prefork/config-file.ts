import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importModule } from './load-app.js';
import type { PreforkOptions } from './options.js';
import { SettingsError } from './settings-error.js';
import { checkOptions } from './settings.js';

let loads = 0;

/**
 * Reads a config file: JSON, or a JavaScript or TypeScript module whose default export is
 * the settings object (or a function, possibly async, that returns it). Keys are the
 * camelCase long flags (`gracefulTimeout`) and the hooks. Each call reads the file afresh,
 * so SIGHUP picks up edits to the file itself (not to modules it imports).
 */
export async function loadConfigFile(path: string): Promise<PreforkOptions> {
  const absolute = resolve(path);
  let value: unknown;
  if (extname(absolute) === '.json') {
    let text: string;
    try {
      text = await readFile(absolute, 'utf8');
    } catch (error) {
      throw new SettingsError(`--config ${path}: cannot read it: ${(error as Error).message}`);
    }
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new SettingsError(`--config ${path}: not valid JSON: ${(error as Error).message}`);
    }
  } else {
    const url = `${pathToFileURL(absolute).href}?tsgi-config=${++loads}`;
    try {
      value = (await importModule(url, process.cwd())).default;
    } catch (error) {
      throw new SettingsError(`--config ${path}: cannot load it: ${(error as Error).message}`);
    }
    if (typeof value === 'function') value = await (value as () => unknown)();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SettingsError(`--config ${path}: must hold (or export as default) an object of settings; got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return checkOptions(value as Record<string, unknown>, `--config ${path}`);
}
