/**
 * A minimal compliant HTTP host, built on the interface's machinery: environFromRequest for
 * the environ, SourceInputStream for tsgi.input, Exchange for the response rules. The
 * conformance suite certifies it as its compliant reference, and the broken hosts of the
 * catalogue are this host with one defect each, injected through the hooks below.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  describeError,
  EMPTY_INPUT,
  environFromRequest,
  Exchange,
  MemoryErrorStream,
  RequestError,
  SourceInputStream,
  type App,
  type Capability,
  type Environ,
  type ResponseSink,
} from '@tsgi/interface';

export const REFERENCE_CAPABILITIES: readonly Capability[] = [
  'streaming-request-body',
  'streaming-response',
  'remote-address',
  'client-disconnect',
  'wait-until',
  'expect-continue',
  'raw-request-target',
];

/** Where a broken host injects its one defect. */
export interface HostHooks {
  /** Rewrites the environ the host built. */
  environ?: (environ: Environ, req: http.IncomingMessage) => Environ;
  /** Wraps the sink that writes to the socket. */
  sink?: (sink: ResponseSink, res: http.ServerResponse) => ResponseSink;
  /** Wraps the app for one request, as part of the host (so that its misdeeds are the host's). */
  app?: (app: App, req: http.IncomingMessage, res: http.ServerResponse) => App;
  /** Overrides what the host does when the client goes away (default: abort the exchange). */
  onClientGone?: (exchange: Exchange) => void;
  /** The body source given to tsgi.input. */
  source?: (req: http.IncomingMessage) => AsyncIterable<Uint8Array>;
  /** Content-Length as tsgi.input sees it. */
  inputLength?: (declared: number | undefined) => number | undefined;
  /** Whether the exchange treats the request as HEAD (default: the method says). */
  head?: (method: string) => boolean;
  /** close() drops every connection at once instead of shutting down gracefully. */
  abruptClose?: boolean;
}

export interface RunningHost {
  url: string;
  close(): Promise<void>;
  /** Everything written to tsgi.errors, in order. */
  errors: string[];
}

export async function startReferenceHost(app: App, hooks: HostHooks = {}): Promise<RunningHost> {
  const errors: string[] = [];
  // What a graceful shutdown waits for (HOST-30, HOST-32): responses in progress, background work.
  const inFlight = new Set<Promise<void>>();
  const background = new Set<Promise<unknown>>();
  const handle = (req: http.IncomingMessage, res: http.ServerResponse, expectContinue = false) => {
    const over = new Promise<void>((resolve) => res.once('close', resolve));
    inFlight.add(over);
    void over.then(() => inFlight.delete(over));
    const stream = new MemoryErrorStream();
    const write = stream.write.bind(stream);
    stream.write = (text: string) => {
      errors.push(text);
      write(text);
    };
    const base: ResponseSink = {
      start(status, headers) {
        // No flushHeaders(): Node sends a flushed head as UTF-8, which would corrupt obs-text
        // bytes; the head goes out with the first chunk (or the end), as Latin-1.
        res.writeHead(Number(status.slice(0, 3)), status.slice(4), headers.flat());
      },
      write: (chunk) => res.write(chunk),
      drain: () =>
        new Promise<void>((resolve) => {
          if (res.destroyed || !res.writableNeedDrain) return resolve();
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        }),
      end: (chunk, close) => {
        // After a Content-Length overrun the connection carries no further response (BODY-15).
        if (close) {
          const socket = res.socket;
          res.once('finish', () => socket?.end());
        }
        if (chunk) res.end(chunk);
        else res.end();
      },
      destroy: () => void res.destroy(),
    };
    const exchange = new Exchange(hooks.sink ? hooks.sink(base, res) : base, { errors: stream, head: hooks.head ? hooks.head(req.method ?? '') : req.method === 'HEAD' });
    res.on('close', () => {
      if (res.writableFinished) return;
      if (hooks.onClientGone) hooks.onClientGone(exchange);
      else exchange.abort();
    });
    const length = req.headers['content-length'];
    const declared = length !== undefined ? Number(length) : undefined;
    const hasBody = declared !== undefined || req.headers['transfer-encoding'] !== undefined;
    const input = hasBody
      ? new SourceInputStream(hooks.source ? hooks.source(req) : req, {
          contentLength: hooks.inputLength ? hooks.inputLength(declared) : declared,
          onFirstRead: expectContinue ? () => !exchange.committed && res.writeContinue() : undefined,
        })
      : EMPTY_INPUT;
    const local = req.socket.address() as AddressInfo;
    let environ: Environ;
    try {
      environ = environFromRequest({
        method: req.method ?? 'GET',
        target: req.url ?? '/',
        rawHeaders: req.rawHeaders,
        protocol: `HTTP/${req.httpVersion}`,
        scheme: 'http',
        serverName: local.address,
        serverPort: String(local.port),
        remoteAddress: req.socket.remoteAddress,
        remotePort: req.socket.remotePort,
        input,
        errors: stream,
        lifecycle: exchange,
        waitUntil: (promise) => {
          const settled = Promise.resolve(promise).catch((error: unknown) => stream.write(`[HOST-28] a tsgi.wait_until promise rejected\n${describeError(error)}\n`));
          background.add(settled);
          void settled.then(() => background.delete(settled));
        },
        multithread: true,
        multiprocess: false,
        runOnce: false,
      });
    } catch (error) {
      const status = error instanceof RequestError ? error.status : 400;
      res.writeHead(status, { connection: 'close', 'content-length': '12' }).end('Bad Request\n');
      return;
    }
    const served = hooks.app ? hooks.app(app, req, res) : app;
    void exchange.run(served, hooks.environ ? hooks.environ(environ, req) : environ);
  };
  const server = http.createServer((req, res) => handle(req, res));
  server.on('checkContinue', (req, res) => handle(req, res, true));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    errors,
    async close() {
      if (hooks.abruptClose) server.closeAllConnections();
      // Stop accepting, let the requests in progress finish, then the background work.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.all(inFlight);
      await Promise.all(background);
      server.closeAllConnections();
      await stopped;
    },
  };
}
