import { RequestError, type ErrorStream, type InputStream, type RequestDescription } from '@tsgi/interface';
import { authorityOfTarget, parseAuthority } from '../shared/authority.js';

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

const kRemotePort = Symbol('tsgi.remotePort');
let lastValidAuthority = '';

/** Throws RequestError(400) unless `text` is `host[:port]` (RFC 9112 section 3.2). */
function checkAuthority(text: string): void {
  if (text === lastValidAuthority) return;
  if (!parseAuthority(text)) throw new RequestError(400, `the request authority must be host[:port]; got ${JSON.stringify(text)}`, 'HOST-6');
  lastValidAuthority = text;
}

/** The peer's port as a string, converted once per connection: keep-alive requests share it. */
function remotePortOf(socket: NodeSocketLike & { [kRemotePort]?: string }): string | undefined {
  const cached = socket[kRemotePort];
  if (cached !== undefined) return cached;
  const port = socket.remotePort;
  if (port === undefined) return undefined;
  return (socket[kRemotePort] = String(port));
}

/**
 * A Node request as the neutral description `environFromRequest` takes (NODE-2): the target
 * is `req.url` unchanged and the headers are `req.rawHeaders`, which Node decodes byte for
 * byte, so both are ByteStrings already. `environFromRequest` leaves HTTP/2 pseudo-headers
 * out and takes SERVER_NAME and SERVER_PORT from the authority; this adds the connection's
 * facts and refuses (RequestError 400) a request with several `Host` fields or an authority
 * that is not `host[:port]` (RFC 9112 section 3.2), which Node's parser lets through.
 */
export function requestDescriptionFromNode(
  req: NodeRequestLike,
  lifecycle: { readonly signal: AbortSignal },
  glue: NodeRequestGlue,
): RequestDescription {
  const socket = req.socket;
  const h2 = req.httpVersionMajor === 2;
  const rawHeaders = req.rawHeaders;
  const target = req.url ?? '/';
  let authority = authorityOfTarget(target);
  let hosts = 0;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 4 && (name === 'Host' || name === 'host' || name.toLowerCase() === 'host')) {
      if (++hosts > 1) throw new RequestError(400, 'a request must not carry more than one Host field', 'HOST-6');
      authority ??= rawHeaders[i + 1];
    } else if (h2 && name === ':authority') authority ??= rawHeaders[i + 1];
  }
  if (authority !== undefined && authority !== '') checkAuthority(authority);
  const scheme = socket?.encrypted === true ? 'https' : 'http';
  let serverName = '';
  let serverPort = '';
  if (authority === undefined || authority === '') {
    // No authority named (HTTP/1.0 without Host): the address and port this connection reached (ENV-15, ENV-16).
    const local = socket?.localAddress;
    serverName = local === undefined ? 'localhost' : local.includes(':') ? `[${local}]` : local;
    serverPort = socket?.localPort === undefined ? (scheme === 'https' ? '443' : '80') : String(socket.localPort);
  }
  return {
    method: req.method ?? 'GET',
    target,
    rawHeaders,
    protocol: h2 ? 'HTTP/2' : req.httpVersionMinor === 1 && req.httpVersionMajor === 1 ? 'HTTP/1.1' : `HTTP/${req.httpVersionMajor}.${req.httpVersionMinor}`,
    scheme,
    serverName,
    serverPort,
    remoteAddress: socket?.remoteAddress,
    remotePort: socket === null ? undefined : remotePortOf(socket),
    input: glue.input,
    errors: glue.errors,
    lifecycle,
    waitUntil: glue.waitUntil,
    multithread: true,
    multiprocess: glue.multiprocess,
    runOnce: false,
  };
}
