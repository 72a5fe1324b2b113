import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDir, type AppDir } from './testing/fixtures.js';
import { loadConfigFile } from './config-file.js';
import { SettingsError } from './settings-error.js';

let dir: AppDir;
beforeAll(() => {
  dir = appDir();
});
afterAll(() => dir.remove());

describe('loadConfigFile', () => {
  it('reads JSON, JavaScript and TypeScript files', async () => {
    const json = dir.write('a.json', JSON.stringify({ workers: 2, bind: ['127.0.0.1:9000'] }));
    expect(await loadConfigFile(json)).toEqual({ workers: 2, bind: ['127.0.0.1:9000'] });
    const js = dir.write('b.mjs', 'export default async () => ({ timeout: 5, whenReady() {} });');
    const fromJs = await loadConfigFile(js);
    expect(fromJs.timeout).toBe(5);
    expect(typeof fromJs.whenReady).toBe('function');
    const ts = dir.write('c.ts', "import type { PreforkOptions } from '@tsgi/adapters/prefork';\nconst config: PreforkOptions = { gracefulTimeout: 7 };\nexport default config;\n");
    expect((await loadConfigFile(ts)).gracefulTimeout).toBe(7);
  });

  it('reads the file afresh on each call (SIGHUP re-reads it)', async () => {
    const path = dir.write('d.mjs', 'export default { workers: 1 };');
    expect((await loadConfigFile(path)).workers).toBe(1);
    dir.write('d.mjs', 'export default { workers: 4 };');
    expect((await loadConfigFile(path)).workers).toBe(4);
  });

  it.each([
    ['e.json', '{ workers: 2 }', /not valid JSON/],
    ['f.json', '[1]', /must hold \(or export as default\) an object/],
    ['g.mjs', 'export default { wokers: 2 };', /unknown setting "wokers"/],
    ['h.mjs', 'export default { workers: "two" };', /--workers must be a whole number/],
    ['i.mjs', 'export default {', /cannot load it/],
  ])('rejects %s with a SettingsError', async (name, text, message) => {
    const path = dir.write(name, text);
    await expect(loadConfigFile(path)).rejects.toThrow(SettingsError);
    await expect(loadConfigFile(path)).rejects.toThrow(message);
  });

  it('reports a missing file', async () => {
    await expect(loadConfigFile(`${dir.dir}/missing.json`)).rejects.toThrow(/cannot read it/);
  });
});
