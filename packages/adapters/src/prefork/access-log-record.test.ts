import { describe, expect, it } from 'vitest';
import type { Environ } from '@tsgi/interface';
import { COMBINED_LOG_FORMAT, compileAccessLogFormat, formatLogTime } from '@tsgi/interface/middleware';
import type { ResponseInfo } from '../node/index.js';
import { accessLogRecordFromResponse, formatNeedsResponseHeaders } from './access-log-record.js';

function info(overrides: Partial<ResponseInfo> = {}): ResponseInfo {
  const environ = {
    REQUEST_METHOD: 'GET',
    SCRIPT_NAME: '/app',
    PATH_INFO: '/search',
    QUERY_STRING: 'q=1',
    REQUEST_URI: '/app/search?q=1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REMOTE_ADDR: '203.0.113.9',
    'tsgi.headers': [['user-agent', 'curl/8.5'], ['x-id', 'a'], ['x-id', 'b']],
  } as unknown as Environ;
  return { environ, status: '404 Not Found', bytesSent: 12, durationMs: 1500.25, aborted: false, ...overrides };
}

describe('accessLogRecordFromResponse (PF-9)', () => {
  it('PF-9: gives the gunicorn atoms what the worker knows about the request', () => {
    const now = Date.UTC(2024, 0, 2, 3, 4, 5);
    const record = accessLogRecordFromResponse(info(), [['Content-Type', 'text/plain']], now);
    const line = compileAccessLogFormat(`${COMBINED_LOG_FORMAT} %(U)s %(q)s %(M)s %({x-id}i)s %({content-type}o)s`)(record);
    expect(line).toBe(
      `203.0.113.9 - - ${formatLogTime(now - 1500.25)} "GET /app/search?q=1 HTTP/1.1" 404 12 "-" "curl/8.5" /app/search q=1 1500 a, b text/plain`,
    );
  });

  it('PF-9: logs status 0 for a response that ended before its headers', () => {
    expect(accessLogRecordFromResponse(info({ status: '', aborted: true }), undefined).status).toBe(0);
  });

  it('records response headers only for formats that read them', () => {
    expect(formatNeedsResponseHeaders('%(h)s %({x-id}i)s')).toBe(false);
    expect(formatNeedsResponseHeaders('%({content-length}o)s')).toBe(true);
  });
});
