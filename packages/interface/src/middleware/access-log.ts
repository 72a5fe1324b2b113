import { requestHeader } from '../helpers.js';
import { statusCode } from '../response-rules.js';
import type { Body, Environ, HeaderList, Middleware, StartResponse } from '../types.js';
import { COMBINED_LOG_FORMAT, COMMON_LOG_FORMAT, compileAccessLogFormat, type AccessLogRecord } from './access-log-format.js';
import { observeBody } from './observe-body.js';
import { isPromise } from './release-body.js';

export interface AccessLogOptions {
  /** `combined` (default), `common`, or a format in gunicorn's atoms (see access-log-format.ts). */
  format?: 'common' | 'combined' | string;
  /** Where lines go; default `tsgi.errors` of the request, as Rack's CommonLogger does. */
  write?: (line: string, environ: Environ) => void;
}

const now: () => number = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

/**
 * Writes one line per request once its response is over (the body released, whatever the
 * path), with the status and headers that went up and the body bytes counted as they
 * passed. A request whose app throws is logged with status 500: the host's answer.
 */
export function accessLog(options: AccessLogOptions = {}): Middleware {
  const format = options.format === undefined || options.format === 'combined' ? COMBINED_LOG_FORMAT : options.format === 'common' ? COMMON_LOG_FORMAT : options.format;
  const line = compileAccessLogFormat(format);
  const write = options.write ?? ((text: string, environ: Environ) => environ['tsgi.errors'].write(`${text}\n`));

  return (app) => (environ, startResponse) => {
    const startTime = Date.now();
    const started = now();
    let status = 500;
    let headers: HeaderList = [];
    let bytes = 0;
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      const noBody = environ.REQUEST_METHOD === 'HEAD' || status === 204 || status === 304;
      const record: AccessLogRecord = {
        remoteAddr: environ.REMOTE_ADDR,
        method: environ.REQUEST_METHOD,
        requestUri: environ.REQUEST_URI,
        path: environ.SCRIPT_NAME + environ.PATH_INFO,
        query: environ.QUERY_STRING,
        protocol: environ.SERVER_PROTOCOL,
        status,
        bytes: noBody ? 0 : bytes,
        requestHeader: (name) => requestHeader(environ, name),
        responseHeaders: headers,
        startTime,
        durationMs: now() - started,
      };
      try {
        write(line(record), environ);
      } catch (error) {
        environ['tsgi.errors'].write(`accessLog: writing the line failed: ${String(error)}\n`);
      }
    };
    const start: StartResponse = (s, h, excInfo) => {
      const write = startResponse(s, h, excInfo);
      status = statusCode(s);
      headers = h;
      return (chunk) => {
        if (chunk instanceof Uint8Array) bytes += chunk.length;
        return write(chunk);
      };
    };
    const watch = (body: Body): Body =>
      observeBody(body, {
        chunk: (chunk) => {
          bytes += chunk.length;
        },
        release: log,
      });
    const failed = (error: unknown): never => {
      status = 500;
      log();
      throw error;
    };
    let result: Body | Promise<Body>;
    try {
      result = app(environ, start);
    } catch (error) {
      return failed(error);
    }
    return isPromise(result) ? result.then(watch, failed) : watch(result);
  };
}
