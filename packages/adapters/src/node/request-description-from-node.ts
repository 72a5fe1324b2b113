import { RequestError, type ErrorStream, type InputStream, type RequestDescription } from '@tsgi/interface';
import { authorityOfTarget, parseAuthority, type Authority } from '../shared/authority.js';

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

let lastAuthorityText = '';
let lastAuthority: Authority | undefined;

function authorityFrom(text: string): Authority {
  if (text === lastAuthorityText && lastAuthority) return lastAuthority;
  const authority = parseAuthority(text);
  if (!authority) throw new RequestError(400, `the request authority must be host[:port]; got ${JSON.stringify(text)}`, 'HOST-6');
  lastAuthorityText = text;
  lastAuthority = authority;
  return authority;
}

/**
 * A Node request as the neutral description `environFromRequest` takes (NODE-2): the target
 * is `req.url` unchanged, headers come from `req.rawHeaders` (Node decodes them byte for byte,
 * so they are ByteStrings), HTTP/2 pseudo-headers are left out with `:authority` standing in
 * for a missing `Host` (ENV-23). Throws RequestError(400) for a request with several `Host`
 * fields or an authority that is not `host[:port]` (RFC 9112 section 3.2).
 */
export function requestDescriptionFromNode(
  req: NodeRequestLike,
  lifecycle: { readonly signal: AbortSignal },
  glue: NodeRequestGlue,
): RequestDescription {
  const socket = req.socket;
  const h2 = req.httpVersionMajor === 2;
  let rawHeaders = req.rawHeaders;
  let host: string | undefined;
  let authorityPseudo: string | undefined;
  if (h2) {
    const kept: string[] = [];
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!;
      if (name.charCodeAt(0) === 58 /* : */) {
        if (name === ':authority') authorityPseudo = rawHeaders[i + 1];
        continue;
      }
      kept.push(name, rawHeaders[i + 1]!);
    }
    rawHeaders = kept;
  }
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 4 && (name === 'Host' || name === 'host' || name.toLowerCase() === 'host')) {
      if (host !== undefined) throw new RequestError(400, 'a request must not carry more than one Host field', 'HOST-6');
      host = rawHeaders[i + 1]!;
    }
  }
  if (host === undefined && authorityPseudo !== undefined) {
    host = authorityPseudo;
    rawHeaders = ['host', authorityPseudo, ...rawHeaders];
  }
  const scheme = socket?.encrypted === true ? 'https' : 'http';
  const target = req.url ?? '/';
  // RFC 9112 section 3.2.2: with an absolute-form target, its authority wins over Host.
  const authorityText = authorityOfTarget(target) ?? host;
  let serverName: string;
  let serverPort: string;
  if (authorityText !== undefined && authorityText !== '') {
    const authority = authorityFrom(authorityText);
    serverName = authority.name;
    serverPort = authority.port === '' ? (scheme === 'https' ? '443' : '80') : authority.port;
  } else {
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
    remotePort: socket?.remotePort,
    input: glue.input,
    errors: glue.errors,
    lifecycle,
    waitUntil: glue.waitUntil,
    multithread: true,
    multiprocess: glue.multiprocess,
    runOnce: false,
  };
}
