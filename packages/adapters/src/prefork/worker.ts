/**
 * The worker process of `tsgi serve`: boots from the master's first message, loads the app,
 * serves it with the Node host on the sockets it inherited, beats its heart from its own
 * event loop, and stops on TERM (graceful), INT or QUIT (quick).
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { App } from '@tsgi/interface';
import { serve, type NodeServerHandle, type ServeOptions } from '../node/index.js';
import { AccessLog } from './access-log.js';
import { compileAccessLogFormat } from '@tsgi/interface/middleware';
import { accessLogRecordFromResponse, formatNeedsResponseHeaders } from './access-log-record.js';
import { ConnectionDrain, LINGER_MS } from './connection-drain.js';
import { ErrorLog } from './error-log.js';
import { ExitCode } from './exit-codes.js';
import { AppLoadError, loadApp } from './load-app.js';
import { loadConfigFile } from './config-file.js';
import { withResponseHeaders } from './response-headers.js';
import type { MasterMessage, WorkerBootConfig, WorkerListener, WorkerMessage } from './worker-protocol.js';

let config: WorkerBootConfig | undefined;
let log: ErrorLog | undefined;
let accessLog: AccessLog | undefined;
const servers: Array<{ handle: NodeServerHandle; drain: ConnectionDrain | undefined }> = [];
let stopping: Promise<void> | undefined;
let heartbeat: NodeJS.Timeout | undefined;

function send(message: WorkerMessage): Promise<void> {
  if (!process.connected) return Promise.resolve();
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

async function exit(code: number): Promise<never> {
  if (heartbeat) clearInterval(heartbeat);
  await accessLog?.close();
  log?.close();
  process.exit(code);
}

async function fail(kind: 'boot' | 'app-load', error: unknown): Promise<never> {
  const message = error instanceof Error ? (error instanceof AppLoadError ? error.message : (error.stack ?? error.message)) : String(error);
  // The report must reach the master before this process is gone.
  await send({ t: 'boot-failed', kind, message });
  return exit(kind === 'app-load' ? ExitCode.APP_LOAD_ERROR : ExitCode.WORKER_BOOT_ERROR);
}

/** TERM: finish what is in flight (HOST-30). INT and QUIT: give up on it now (PF-4, HOST-31). */
function stop(mode: 'graceful' | 'quick'): void {
  if (stopping && mode === 'graceful') return;
  // QUIT or INT during a graceful stop: the host's close() is already under way with the
  // graceful timeout, so leave now; what is still in flight ends with the process.
  if (stopping) return void exit(ExitCode.OK);
  const timeout = mode === 'quick' ? 0 : (config?.gracefulTimeoutMs ?? 0);
  stopping = (async () => {
    const started = Date.now();
    await Promise.all(
      servers.map(async ({ handle, drain }) => {
        if (drain && mode === 'graceful') await drain.drain(Math.min(LINGER_MS, timeout));
        await handle.close({ timeout: Math.max(0, timeout - (Date.now() - started)) });
      }),
    );
  })().then(
    () => exit(ExitCode.OK),
    (error: unknown) => {
      log?.error(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
      return exit(ExitCode.FAILURE);
    },
  );
}

function listenOptions(listener: WorkerListener): ServeOptions {
  return listener.kind === 'fd' ? { fd: listener.fd } : { host: listener.host, port: listener.port, reusePort: true };
}

async function boot(bootConfig: WorkerBootConfig): Promise<void> {
  config = bootConfig;
  const c = bootConfig;
  process.title = c.name ? `tsgi: worker [${c.name}]` : 'tsgi: worker';
  // PF-5: the beat comes from a timer on this event loop, so a blocked loop stops it.
  heartbeat = setInterval(() => void send({ t: 'hb' }), c.heartbeatMs);
  void send({ t: 'hb' });
  log = new ErrorLog(c.errorLogfile, c.logLevel);
  accessLog = c.accessLogfile ? new AccessLog(c.accessLogfile) : undefined;
  const errorLog = log;

  let app: App;
  try {
    app = await loadApp(c.app);
  } catch (error) {
    return void (await fail('app-load', error));
  }
  const info = { pid: process.pid, serial: c.serial, generation: c.generation };
  try {
    const hooks = c.configFile ? await loadConfigFile(c.configFile) : {};
    await hooks.postWorkerInit?.(info);
  } catch (error) {
    return void (await fail('boot', error));
  }

  const format = accessLog ? compileAccessLogFormat(c.accessLogformat) : undefined;
  const capture = format && formatNeedsResponseHeaders(c.accessLogformat) ? withResponseHeaders(app) : undefined;
  let served = 0;
  const options: ServeOptions = {
    limits: {
      maxHeaderSize: c.limits.headerSize,
      maxHeaderCount: c.limits.headerCount,
      maxRequestLine: c.limits.requestLine,
      ...(c.limits.bodySize > 0 ? { maxBodySize: c.limits.bodySize } : {}),
      keepAliveTimeout: c.keepAliveMs,
      ...(c.requestDeadlineMs > 0 ? { requestDeadline: c.requestDeadlineMs } : {}),
    },
    trustedProxies: c.forwardedAllowIps,
    errors: { write: (text) => errorLog.write(text), flush: () => {} },
    multiprocess: true,
    ...(c.tls ? { tls: { cert: readFileSync(c.tls.certfile), key: readFileSync(c.tls.keyfile) } } : {}),
    onResponse(response) {
      served++;
      if (accessLog && format) {
        accessLog.write(format(accessLogRecordFromResponse(response, capture?.headersOf(response.environ))));
      }
      // PF-6: ask for a replacement, and ask again every further max-requests in case the
      // replacement could not boot.
      if (c.maxRequests > 0 && served % c.maxRequests === 0) void send({ t: 'max-requests', served });
    },
  };
  try {
    for (const listener of c.listeners) {
      if (stopping) return;
      const handle = await serve(capture?.app ?? app, { ...options, ...listenOptions(listener) });
      // HTTP/1.x servers only: HTTP/2 sessions end politely with GOAWAY on their own.
      const drain = 'closeIdleConnections' in handle.server ? new ConnectionDrain(handle.server as Server) : undefined;
      servers.push({ handle, drain });
    }
  } catch (error) {
    return void (await fail('boot', error));
  }
  if (!stopping) void send({ t: 'ready' });
}

if (!process.send) {
  process.stderr.write('tsgi: this is the worker of `tsgi serve`; the master starts it. Run `tsgi serve --help`.\n');
  process.exit(ExitCode.USAGE);
}
process.on('SIGTERM', () => stop('graceful'));
process.on('SIGINT', () => stop('quick'));
process.on('SIGQUIT', () => stop('quick'));
process.on('SIGUSR1', () => {
  log?.reopen();
  accessLog?.reopen();
});
// An error outside any request (a timer's callback, a rejected promise nobody awaited) goes
// to the error log, not only to the inherited stderr, and ends the worker as Node would; the
// master starts another.
process.on('uncaughtException', (error) => {
  log?.critical(`worker ${process.pid} crashed: ${error.stack ?? String(error)}`);
  void exit(ExitCode.FAILURE);
});
// The master is gone (killed, crashed): no one supervises this worker any more.
process.on('disconnect', () => stop('graceful'));
process.on('message', (message: MasterMessage) => {
  if (message?.t === 'boot' && !config) void boot(message.config);
});
