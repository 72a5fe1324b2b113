import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { buildTsgiBin, type TsgiBin } from './testing/tsgi-bin.js';
import { startTsgi, type TsgiProcess } from './testing/tsgi-process.js';
import { get, urlFromOutput } from './testing/http-client.js';
import { appDir, appSource, type AppDir } from './testing/fixtures.js';
import { ExitCode } from './exit-codes.js';

let tsgi: TsgiBin;
let dir: AppDir;
const running: TsgiProcess[] = [];

function serve(args: string[]): TsgiProcess {
  const server = startTsgi(tsgi.bin, ['serve', ...args, '--log-level', 'debug'], { cwd: dir.dir });
  running.push(server);
  return server;
}

beforeAll(async () => {
  tsgi = await buildTsgiBin();
  dir = appDir();
  dir.write('app.mjs', appSource('v1'));
});
afterEach(() => {
  for (const server of running.splice(0)) server.kill();
});
afterAll(async () => {
  await tsgi.remove();
  dir.remove();
});

describe('boot failures (PF-7, PF-8)', () => {
  it('PF-8, PF-14: an app that fails to load makes the master give up with APP_LOAD_ERROR after --max-boot-failures', async () => {
    dir.write('broken.mjs', "throw new Error('database unreachable');\n");
    const server = serve(['broken.mjs', '-w', '2', '-b', '127.0.0.1:0', '--max-boot-failures', '3']);
    expect(await server.exited(30_000)).toBe(ExitCode.APP_LOAD_ERROR);
    const output = server.output();
    expect(output).toMatch(/database unreachable/);
    expect(output).toMatch(/failed to boot 3 times in a row; giving up \(exit 4 \(APP_LOAD_ERROR\)\)/);
    // PF-7: after the first batch failed, the master probes with one worker at a time.
    expect(server.workerPids()).toHaveLength(2 + 2);
  });

  it('PF-8: workers that fail after loading the app (a throwing postWorkerInit hook) give WORKER_BOOT_ERROR', async () => {
    dir.write('boot-fails.config.mjs', "export default { postWorkerInit() { throw new Error('no license'); } };\n");
    const server = serve(['app.mjs', '-w', '1', '-b', '127.0.0.1:0', '-c', 'boot-fails.config.mjs', '--max-boot-failures', '2']);
    expect(await server.exited(30_000)).toBe(ExitCode.WORKER_BOOT_ERROR);
    expect(server.output()).toMatch(/no license/);
  });

  it('PF-8: a worker that does not get ready within --boot-timeout counts as a boot failure', async () => {
    dir.write('stuck.mjs', 'await new Promise(() => setInterval(() => {}, 1000));\nexport default () => [];\n');
    const server = serve(['stuck.mjs', '-w', '1', '-b', '127.0.0.1:0', '--boot-timeout', '0.5', '--max-boot-failures', '2']);
    expect(await server.exited(30_000)).toBe(ExitCode.WORKER_BOOT_ERROR);
    expect(server.output()).toMatch(/did not become ready within 0.5 s \(--boot-timeout\); killing it/);
  });

  it('PF-7: workers that keep crashing after boot are restarted with growing pauses, not in a tight loop', async () => {
    dir.write('crashy.mjs', `${appSource('crashy')}\nsetTimeout(() => process.exit(1), 50);\n`);
    const server = serve(['crashy.mjs', '-w', '1', '-b', '127.0.0.1:0']);
    await server.waitFor(/died \(status 1/, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    // Without a pause the master would start dozens; 0.1 + 0.2 + 0.4 + 0.8 + 1.6 s allows about six.
    expect(server.workerPids().length).toBeLessThanOrEqual(7);
    expect(server.workerPids().length).toBeGreaterThanOrEqual(2);
  });

  it('PF-13, PF-14: exits with BIND_ERROR, starting no worker, when the address is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const server = serve(['app.mjs', '-w', '1', '-b', `127.0.0.1:${port}`]);
      expect(await server.exited()).toBe(ExitCode.BIND_ERROR);
      expect(server.output()).toMatch(new RegExp(`cannot bind 127.0.0.1:${port}: EADDRINUSE`));
      expect(server.workerPids()).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('--preload: a broken app stops the start before any worker runs', async () => {
    dir.write('broken.mjs', "throw new Error('bad import');\n");
    const server = serve(['broken.mjs', '-w', '2', '-b', '127.0.0.1:0', '--preload']);
    expect(await server.exited()).toBe(ExitCode.APP_LOAD_ERROR);
    expect(server.output()).toMatch(/bad import/);
    expect(server.workerPids()).toEqual([]);
  });

  it('--check-config loads the settings and the app, then exits', async () => {
    expect(await serve(['app.mjs', '--check-config']).exited()).toBe(ExitCode.OK);
    dir.write('broken.mjs', "throw new Error('bad import');\n");
    expect(await serve(['broken.mjs', '--check-config']).exited()).toBe(ExitCode.APP_LOAD_ERROR);
  });

  it('runs the hooks of a config file in order; flags override its settings', async () => {
    const marks = `${dir.dir}/hooks.txt`;
    dir.write(
      'hooks.config.mjs',
      `import { appendFileSync } from 'node:fs';
const mark = (text) => appendFileSync(${JSON.stringify(marks)}, text + '\\n');
export default {
  workers: 3,
  timeout: 5,
  onStarting: () => mark('onStarting'),
  preFork: (server, worker) => mark('preFork ' + worker.serial),
  postFork: (server, worker) => mark('postFork ' + worker.serial),
  postWorkerInit: (worker) => mark('postWorkerInit ' + worker.serial),
  whenReady: (server) => mark('whenReady ' + server.workers().length),
  workerExit: (server, worker) => mark('workerExit ' + worker.serial + ' ' + worker.reason),
  onExit: () => mark('onExit'),
};
`,
    );
    const server = serve(['app.mjs', '-c', 'hooks.config.mjs', '-w', '1', '-b', '127.0.0.1:0']);
    await server.waitFor(/ready: 1 workers/);
    expect((await get(`${urlFromOutput(server.output())}/`)).status).toBe(200);
    server.signal('SIGTERM');
    expect(await server.exited()).toBe(0);
    expect(readFileSync(marks, 'utf8').trim().split('\n')).toEqual([
      'onStarting',
      'preFork 1',
      'postFork 1',
      'postWorkerInit 1',
      'whenReady 1',
      'workerExit 1 stopped',
      'onExit',
    ]);
  });
});
