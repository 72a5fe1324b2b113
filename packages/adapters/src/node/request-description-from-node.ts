import type { ErrorStream, InputStream, RequestDescription } from '@tsgi/interface';

/** What the Node host reads of a native request: `IncomingMessage` and `Http2ServerRequest` both have it. */
export interface NodeRequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly rawHeaders: readonly string[];
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;
  readonly socket: NodeSocketLike | null;
}

/** What the Node host reads of a connection. */
export interface NodeSocketLike {
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  readonly localAddress?: string | undefined;
  readonly localPort?: number | undefined;
  /** Set on TLS sockets (`tls.TLSSocket`). */
  readonly encrypted?: boolean | undefined;
}

/** The parts of a request description that are the host's, the same for all its requests. */
export interface NodeRequestGlue {
  input: InputStream;
  errors: ErrorStream;
  waitUntil: (promise: Promise<unknown>) => void;
  multiprocess: boolean;
}

const kConnection = Symbol('tsgi.connection');

/** A connection's facts as environ strings, worked out once: keep-alive requests share them. */
interface ConnectionFacts {
  remotePort: string | undefined;
  /** SERVER_NAME and SERVER_PORT for a request that names no authority (ENV-15, ENV-16). */
  localName: string;
  localPort: string;
}

function connectionFacts(socket: NodeSocketLike & { [kConnection]?: ConnectionFacts }, scheme: 'http' | 'https'): ConnectionFacts {
  let facts = socket[kConnection];
  if (facts === undefined) {
    const local = socket.localAddress;
    facts = {
      remotePort: socket.remotePort === undefined ? undefined : String(socket.remotePort),
      localName: local === undefined ? 'localhost' : local.includes(':') ? `[${local}]` : local,
      localPort: socket.localPort === undefined ? (scheme === 'https' ? '443' : '80') : String(socket.localPort),
    };
    socket[kConnection] = facts;
  }
  return facts;
}

const NO_SOCKET: ConnectionFacts = { remotePort: undefined, localName: 'localhost', localPort: '80' };

/**
 * A Node request as the neutral description `environFromRequest` takes (NODE-2): the target
 * is `req.url` unchanged and the headers are `req.rawHeaders`, which Node decodes byte for
 * byte, so both are ByteStrings already. `environFromRequest` leaves HTTP/2 pseudo-headers
 * out, takes SERVER_NAME and SERVER_PORT from the authority, and refuses (400) several
 * `Host` fields or an authority that is not `host[:port]`, which Node's parser lets through;
 * this adds the connection's facts.
 */
export function requestDescriptionFromNode(
  req: NodeRequestLike,
  lifecycle: { readonly signal: AbortSignal },
  glue: NodeRequestGlue,
): RequestDescription {
  const socket = req.socket;
  const h2 = req.httpVersionMajor === 2;
  const scheme = socket?.encrypted === true ? 'https' : 'http';
  const facts = socket === null ? NO_SOCKET : connectionFacts(socket, scheme);
  return {
    method: req.method ?? 'GET',
    target: req.url ?? '/',
    rawHeaders: req.rawHeaders,
    protocol: h2 ? 'HTTP/2' : req.httpVersionMinor === 1 && req.httpVersionMajor === 1 ? 'HTTP/1.1' : `HTTP/${req.httpVersionMajor}.${req.httpVersionMinor}`,
    scheme,
    serverName: facts.localName,
    serverPort: facts.localPort,
    remoteAddress: socket?.remoteAddress,
    remotePort: facts.remotePort,
    input: glue.input,
    errors: glue.errors,
    lifecycle,
    waitUntil: glue.waitUntil,
    multithread: true,
    multiprocess: glue.multiprocess,
    runOnce: false,
  };
}
