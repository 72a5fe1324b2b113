import { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { percentDecodeByteString, percentEncodePath, type Environ } from '@tsgi/interface';

/**
 * On a request built by `nodeRequestFromEnviron`: the environ it stands for. A Node host
 * serving that request (`toNodeHandler` inside `fromNodeHandler`) hands `tsgi.wait_until`
 * work to the enclosing host through it, so that the enclosing host's shutdown waits for it.
 */
export const kSourceEnviron: unique symbol = Symbol.for('tsgi.sourceEnviron') as never;

type Internal = IncomingMessage & {
  [kSourceEnviron]?: Environ;
  _addHeaderLines?(headers: string[], n: number): void;
  _consuming: boolean;
  originalUrl?: string;
};

/** `[path, "?query" or ""]` of a request target. */
function splitTarget(target: string): [string, string] {
  const question = target.indexOf('?');
  return question === -1 ? [target, ''] : [target.slice(0, question), target.slice(question)];
}

/**
 * The `req.url` a Node handler sees: the request target as received when the environ still
 * describes it (so `%2F` stays `%2F`), with the part that `SCRIPT_NAME` covers cut off, as a
 * mounted Express app expects; rebuilt from `PATH_INFO` and `QUERY_STRING` when a middleware
 * rewrote the path.
 */
export function nodeUrlFromEnviron(environ: Environ): { url: string; originalUrl: string } {
  const target = environ.REQUEST_URI;
  const script = environ.SCRIPT_NAME;
  const pathInfo = environ.PATH_INFO;
  if (target.charCodeAt(0) === 47 /* / */) {
    const [path, query] = splitTarget(target);
    if ((query === '' ? '' : query.slice(1)) === environ.QUERY_STRING && percentDecodeByteString(path) === script + pathInfo) {
      if (script === '') return { url: target, originalUrl: target };
      // The shortest raw prefix that decodes to SCRIPT_NAME and ends at a segment boundary.
      for (let end = path.indexOf('/', 1); ; end = path.indexOf('/', end + 1)) {
        const cut = end === -1 ? path.length : end;
        if (percentDecodeByteString(path.slice(0, cut)) === script) {
          return { url: (path.slice(cut) || '/') + query, originalUrl: target };
        }
        if (end === -1) break;
      }
    }
  } else if (script === '' && (target === '*' || pathInfo === '')) {
    return { url: target, originalUrl: target };
  }
  const query = environ.QUERY_STRING === '' ? '' : `?${environ.QUERY_STRING}`;
  return { url: (percentEncodePath(pathInfo) || '/') + query, originalUrl: (percentEncodePath(script + pathInfo) || '/') + query };
}

/** `[major, minor]` of `HTTP/1.1`, `HTTP/2` ... */
function versionOf(protocol: string): [number, number] {
  const match = /^HTTP\/(\d)(?:\.(\d))?$/.exec(protocol);
  return match ? [Number(match[1]), Number(match[2] ?? 0)] : [1, 1];
}

/**
 * A real `http.IncomingMessage` for an environ, as a Node server would have built it: method,
 * `url`, HTTP version, `rawHeaders` and `headers` (Node's own rules for repeated fields),
 * and a body stream pulled from `tsgi.input` only as the handler reads it. Its methods are
 * Node's, so frameworks that swap its prototype (Express) keep working.
 */
export function nodeRequestFromEnviron(environ: Environ, socket: Socket): IncomingMessage {
  const req = new IncomingMessage(socket) as Internal;
  req.method = environ.REQUEST_METHOD;
  req[kSourceEnviron] = environ;
  const { url, originalUrl } = nodeUrlFromEnviron(environ);
  req.url = url;
  if (originalUrl !== url) req.originalUrl = originalUrl;
  const [major, minor] = versionOf(environ.SERVER_PROTOCOL);
  req.httpVersionMajor = major;
  req.httpVersionMinor = minor;
  req.httpVersion = `${major}.${minor}`;
  const raw: string[] = [];
  for (const [name, value] of environ['tsgi.headers']) raw.push(name, value);
  if (typeof req._addHeaderLines === 'function') req._addHeaderLines(raw, raw.length);
  else req.rawHeaders = raw;
  const input = environ['tsgi.input'];
  let reading = false;
  req._read = function read() {
    if (!req._consuming) {
      // What Node's own _read does on first use: the request is now being consumed.
      (req as unknown as { _readableState: { readingMore: boolean } })._readableState.readingMore = false;
      req._consuming = true;
    }
    if (reading) return;
    reading = true;
    input.read().then(
      (chunk) => {
        reading = false;
        if (chunk.length === 0) {
          req.complete = true;
          req.push(null);
        } else req.push(chunk);
      },
      (error: unknown) => {
        reading = false;
        req.destroy(error as Error);
      },
    );
  };
  return req;
}
