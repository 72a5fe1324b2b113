import type { Environ, HeaderList } from '@tsgi/interface';
import type { AccessLogRecord } from '@tsgi/interface/middleware';
import type { ResponseInfo } from '../node/index.js';

/**
 * The access-log record of one finished request, from what the Node host reports
 * (`onResponse`). The log line itself is formatted by `@tsgi/interface/middleware`'s
 * gunicorn-format engine (PF-9), the same one the access-log middleware uses.
 */
export function accessLogRecordFromResponse(info: ResponseInfo, responseHeaders: HeaderList | undefined, now = Date.now()): AccessLogRecord {
  const environ: Environ = info.environ;
  const headers = environ['tsgi.headers'];
  return {
    remoteAddr: environ.REMOTE_ADDR,
    method: environ.REQUEST_METHOD,
    requestUri: environ.REQUEST_URI,
    path: environ.SCRIPT_NAME + environ.PATH_INFO,
    query: environ.QUERY_STRING,
    protocol: environ.SERVER_PROTOCOL,
    // A response that ended before its headers went out has no status; 0 shows that.
    status: info.status === '' ? 0 : Number(info.status.slice(0, 3)),
    bytes: info.bytesSent,
    requestHeader(name) {
      const values: string[] = [];
      for (const [key, value] of headers) if (key === name) values.push(value);
      return values.length ? values.join(', ') : undefined;
    },
    responseHeaders: responseHeaders ?? [],
    startTime: now - info.durationMs,
    durationMs: info.durationMs,
  };
}

/** Whether a format reads response headers (`%({name}o)s`), which the worker then records. */
export function formatNeedsResponseHeaders(format: string): boolean {
  return /%\(\{[^}]+\}o\)s/.test(format);
}
