import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { RequestAbortedError, type App, type HostInfo } from '@tsgi/interface';
import { NodeHandlerHost, type NodeRequest } from './node-handler-host.js';
import { nodeHost, nodeHttp2Host } from './node-host.js';
import { DEFAULT_MAX_HEADER_COUNT, DEFAULT_MAX_HEADER_SIZE, type NodeHandlerOptions } from './node-options.js';
import type { NodeResponse } from './node-response-sink.js';

export interface ServeOptions extends NodeHandlerOptions {
  /** Address to bind. Default `'127.0.0.1'`. */
  host?: string;
  /** Port to bind; 0 picks a free one. Default 8000. */
  port?: number;
  /** Listen on an inherited listening socket, by file descriptor. */
  fd?: number;
  /** Accept on the handle of an existing listening `net.Server` (a socket shared by a supervisor). */
  server?: NetServer;
  /** Listen on a Unix domain socket at this path. */
  path?: string;
  /** `SO_REUSEPORT`, so that several processes bind the same port. Needs Node 22.12 or 23.1 and later. */
  reusePort?: boolean;
  /** Serve HTTPS with these certificates and TLS settings (`node:https`). */
  tls?: SecureContextOptions & TlsOptions;
  /** With `tls`: a `node:http2` secure server that also answers HTTP/1.1 (ALPN fallback). */
  http2?: boolean;
}

export interface NodeServerHandle {
  /** The bound address as a URL: `http://127.0.0.1:40123`, `https://[::1]:8443`, `http+unix://%2Ftmp%2Fapp.sock`. */
  readonly url: string;
  readonly server: http.Server | https.Server | http2.Http2SecureServer;
  /** Requests whose response has not ended yet. */
  readonly inFlight: number;
  /** What this server can do. */
  readonly host: HostInfo;
  /**
   * Graceful shutdown (NODE-6, HOST-30 .. HOST-32): stops accepting, lets requests in flight
   * finish for `timeout` ms (default 30000), then gives up on the rest (503 or aborted, their
   * `tsgi.signal` aborted), closes every connection and waits, within what is left of the
   * same period, for the work passed to `tsgi.wait_until`. Calling it again returns the same
   * promise.
   */
  close(options?: { timeout?: number }): Promise<void>;
}

/** Node versions whose `listen()` knows `reusePort` (added in 23.1.0 and 22.12.0). */
function supportsReusePort(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

function urlOf(address: string | AddressInfo | null, scheme: string): string {
  if (address === null) return `${scheme}://localhost`;
  if (typeof address === 'string') return `${scheme}+unix://${encodeURIComponent(address)}`;
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `${scheme}://${host}:${address.port}`;
}

function wait(ms: number): Promise<false> {
  return new Promise((resolve) => setTimeout(resolve, ms, false).unref());
}

/**
 * Starts a Node server for `app` and resolves, once it listens, to a handle with its URL
 * and a graceful `close()`.
 */
export async function serve(app: App, options: ServeOptions = {}): Promise<NodeServerHandle> {
  const host = new NodeHandlerHost(app, options);
  const limits = options.limits ?? {};
  const maxHeaderSize = limits.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE;
  const maxHeaderCount = limits.maxHeaderCount ?? DEFAULT_MAX_HEADER_COUNT;
  if (options.http2 && !options.tls) throw new TypeError('serve: http2 needs tls (browsers speak HTTP/2 only over TLS)');
  if (options.reusePort && !supportsReusePort()) {
    throw new TypeError(`serve: reusePort needs Node 22.12, 23.1 or later; this is Node ${process.versions.node}`);
  }
  const onRequest = (req: NodeRequest, res: NodeResponse) => host.handle(req, res, true, false);
  const onContinue = (req: NodeRequest, res: NodeResponse) => host.handle(req, res, true, true);
  const http1Options: http.ServerOptions = {
    maxHeaderSize,
    requireHostHeader: true,
    ...(limits.headersTimeout === undefined ? {} : { headersTimeout: limits.headersTimeout }),
    ...(limits.requestTimeout === undefined ? {} : { requestTimeout: limits.requestTimeout }),
    ...(limits.keepAliveTimeout === undefined ? {} : { keepAliveTimeout: limits.keepAliveTimeout }),
  };
  let server: http.Server | https.Server | http2.Http2SecureServer;
  const sockets = new Set<Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  if (options.http2) {
    const secure = http2.createSecureServer({
      ...options.tls,
      ...http1Options,
      allowHTTP1: true,
      // Pseudo-headers count as pairs in HTTP/2; Node resets a stream with more than this many.
      maxHeaderListPairs: maxHeaderCount + 8,
      settings: { maxHeaderListSize: maxHeaderSize },
    } as http2.SecureServerOptions);
    secure.on('session', (session) => {
      sessions.add(session);
      session.on('close', () => sessions.delete(session));
    });
    secure.on('secureConnection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server = secure;
  } else {
    const server1 = options.tls ? https.createServer({ ...options.tls, ...http1Options }) : http.createServer(http1Options);
    // Node drops header lines past maxHeadersCount silently; one more than the limit lets the
    // host see the excess and answer 431 instead.
    server1.maxHeadersCount = maxHeaderCount + 1;
    if (limits.keepAliveTimeout !== undefined) server1.keepAliveTimeout = limits.keepAliveTimeout;
    if (limits.headersTimeout !== undefined) server1.headersTimeout = limits.headersTimeout;
    if (limits.requestTimeout !== undefined) server1.requestTimeout = limits.requestTimeout;
    server = server1;
  }
  server.on('request', onRequest);
  server.on('checkContinue', onContinue);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const listening = () => {
      server.off('error', reject);
      resolve();
    };
    if (options.server !== undefined) server.listen(options.server, listening);
    else if (options.fd !== undefined) server.listen({ fd: options.fd }, listening);
    else if (options.path !== undefined) server.listen({ path: options.path }, listening);
    else {
      const listen: Record<string, unknown> = { host: options.host ?? '127.0.0.1', port: options.port ?? 8000 };
      if (options.reusePort) listen.reusePort = true;
      server.listen(listen, listening);
    }
  });
  const scheme = options.tls ? 'https' : 'http';
  const url = urlOf(server.address(), scheme);
  let closing: Promise<void> | undefined;

  const closeAll = () => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    for (const session of sessions) session.destroy();
    for (const socket of sockets) socket.destroy();
  };

  async function shutdown(timeout: number): Promise<void> {
    const deadline = Date.now() + timeout;
    host.closing = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    for (const session of sessions) session.close();
    const done = await Promise.race([host.idle().then(() => true), wait(timeout)]);
    if (!done) {
      host.giveUpAll(new RequestAbortedError('[HOST-31] the server shut down before the response was complete'));
      // Let the 503s and resets just written reach the sockets before they are closed.
      await Promise.race([host.idle(), wait(1000)]);
    }
    closeAll();
    await host.waitUntil.drain(Math.max(0, deadline - Date.now()));
    await Promise.race([closed, wait(1000)]);
  }

  return {
    url,
    server,
    host: options.http2 ? nodeHttp2Host : nodeHost,
    get inFlight() {
      return host.inFlight;
    },
    close(closeOptions = {}) {
      const timeout = closeOptions.timeout ?? 30_000;
      if (!(Number.isFinite(timeout) && timeout >= 0)) {
        return Promise.reject(new TypeError(`close: timeout must be a number of milliseconds; got ${String(timeout)}`));
      }
      closing ??= shutdown(timeout);
      return closing;
    },
  };
}
