import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { App, Body, Environ } from '@tsgi/interface';
import { nodeRequestFromEnviron } from './node-request-from-environ.js';
import { ResponseCaptureSocket } from './response-capture-socket.js';

/** An existing Node request listener: an Express or Connect app, a plain `(req, res)` function. */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;

type InternalResponse = ServerResponse & {
  useChunkedEncodingByDefault: boolean;
  _closed?: boolean;
};
type InternalRequest = IncomingMessage & { _consuming: boolean; _dump(): void; _readableState: { resumeScheduled: boolean } };

let needDrainKey: symbol | undefined | null = null;

/** Node keeps "write returned false, a 'drain' is owed" under a private symbol; find it once. */
function needDrainSymbol(res: ServerResponse): symbol | undefined {
  if (needDrainKey === null) needDrainKey = Object.getOwnPropertySymbols(res).find((s) => s.description === 'kNeedDrain');
  return needDrainKey;
}

function connectionReset(): Error {
  return Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
}

/**
 * Runs an existing Node `(req, res)` handler as a tsgi app (NODE-7), on any tsgi host. The
 * handler gets Node's own `IncomingMessage` and `ServerResponse`, whose methods behave as
 * they do under `http.createServer` (headers, `writeHead`, `setHeader`, `write` with
 * backpressure, `end` once, `'finish'` and `'close'`); what it writes is read back into a
 * status, headers and body chunks. Hop-by-hop headers and Node's own framing are dropped;
 * the tsgi host frames the response. `Date` is left to the host.
 */
export function fromNodeHandler(handler: NodeRequestListener): App {
  if (typeof handler !== 'function') throw new TypeError(`fromNodeHandler: the handler must be a function; got ${typeof handler}`);
  return async (environ: Environ, startResponse) => {
    const socket = new ResponseCaptureSocket({
      remoteAddress: environ.REMOTE_ADDR,
      remotePort: environ.REMOTE_PORT === undefined ? undefined : Number(environ.REMOTE_PORT),
      localAddress: environ.SERVER_NAME,
      localPort: Number(environ.SERVER_PORT),
      encrypted: environ['tsgi.url_scheme'] === 'https',
    });
    const req = nodeRequestFromEnviron(environ, socket as unknown as Socket) as InternalRequest;
    const res = new ServerResponse(req) as InternalResponse;
    // The tsgi host owns framing and the Date header; Node must write the body bytes bare.
    res.useChunkedEncodingByDefault = false;
    res.shouldKeepAlive = false;
    res.sendDate = false;
    res.assignSocket(socket as unknown as Socket);

    socket.on('drain', () => {
      const key = needDrainSymbol(res);
      if (key === undefined || !(res as unknown as Record<symbol, boolean>)[key] || res.writableFinished) return;
      (res as unknown as Record<symbol, boolean>)[key] = false;
      res.emit('drain');
    });
    res.on('finish', () => {
      socket.responseFinished();
      // What Node's server does when a response finishes: dump a body nobody read, then 'close'.
      if (!req._consuming && !req._readableState.resumeScheduled) req._dump();
      res.detachSocket(socket as unknown as Socket);
      process.nextTick(() => {
        if (res._closed) return;
        res.destroyed = true;
        res._closed = true;
        res.emit('close');
      });
    });
    let released = false;
    const hangUp = () => {
      if (released) return;
      released = true;
      if (res.writableFinished) return;
      // The client is gone: what a Node server does when the connection closes mid-response.
      if (!req.complete) req.destroy(connectionReset());
      socket.destroy();
    };
    const signal = environ['tsgi.signal'];
    if (signal.aborted) hangUp();
    else signal.addEventListener('abort', hangUp, { once: true });

    try {
      const result = handler(req, res) as PromiseLike<unknown> | undefined;
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
        result.then(undefined, (error: unknown) => socket.fail(error));
      }
    } catch (error) {
      socket.fail(error);
    }
    const head = await socket.head;
    startResponse(head.status, head.headers);
    const whole = socket.takeWholeBody(res.writableEnded);
    if (whole !== undefined) return whole;
    const body: Body & AsyncIterator<Uint8Array> = {
      [Symbol.asyncIterator]: () => body,
      next: () => socket.next(),
      close: hangUp,
    };
    return body;
  };
}
