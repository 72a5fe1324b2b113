import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clfDate, compileAccessLogFormat, escapeLogValue, type AccessRecord } from './access-log-line.js';

function record(overrides: Partial<AccessRecord> = {}, environ: Record<string, unknown> = {}): AccessRecord {
  return {
    environ: {
      REQUEST_METHOD: 'GET',
      REQUEST_URI: '/search?q=1',
      PATH_INFO: '/search',
      QUERY_STRING: 'q=1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REMOTE_ADDR: '203.0.113.9',
      HTTP_USER_AGENT: 'curl/8.5',
      'tsgi.headers': [['host', 'example.test'], ['x-request-id', 'abc'], ['x-request-id', 'def']],
      ...environ,
    },
    status: '404 Not Found',
    bytesSent: 1234,
    durationMs: 1500.25,
    startedAt: Date.UTC(2024, 0, 2, 3, 4, 5),
    pid: 4242,
    ...overrides,
  };
}

describe('access-log lines (PF-9)', () => {
  it('PF-9: renders the default (combined) format', () => {
    const line = compileAccessLogFormat('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"')(record());
    expect(line).toBe(`203.0.113.9 - - ${clfDate(Date.UTC(2024, 0, 2, 3, 4, 5))} "GET /search?q=1 HTTP/1.1" 404 1234 "-" "curl/8.5"`);
  });

  it('PF-9: renders every atom gunicorn documents', () => {
    const format = compileAccessLogFormat('%(m)s|%(U)s|%(q)s|%(H)s|%(s)s|%(B)s|%(T)s|%(M)s|%(D)s|%(L)s|%(p)s|%({x-request-id}i)s|%({content-type}o)s|%({TSGI_TEST_ENV}e)s|%({missing}i)s');
    process.env.TSGI_TEST_ENV = 'blue';
    const line = format(record({ responseHeaders: [['Content-Type', 'text/html']] }));
    delete process.env.TSGI_TEST_ENV;
    expect(line).toBe('GET|/search|q=1|HTTP/1.1|404|1234|1|1500|1500250|1.500250|<4242>|abc, def|text/html|blue|-');
    expect(format.needsResponseHeaders).toBe(true);
    expect(compileAccessLogFormat('%(h)s').needsResponseHeaders).toBe(false);
  });

  it('PF-9: %(b)s is "-" for an empty body, %(B)s is 0; %(u)s reads Basic credentials', () => {
    const format = compileAccessLogFormat('%(b)s %(B)s %(u)s');
    const auth = `Basic ${Buffer.from('alice:secret').toString('base64')}`;
    expect(format(record({ bytesSent: 0 }, { HTTP_AUTHORIZATION: auth }))).toBe('- 0 alice');
  });

  it('PF-9: formats %(t)s as [dd/Mon/yyyy:HH:MM:SS ±zzzz]', () => {
    expect(clfDate(Date.now())).toMatch(/^\[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\]$/);
  });

  it('keeps one request on one line whatever the client sends', () => {
    const format = compileAccessLogFormat('"%(a)s" "%(r)s" %({x}i)s');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (agent, target) => {
        const line = format(record({}, { HTTP_USER_AGENT: agent, REQUEST_URI: target, 'tsgi.headers': [['x', agent]] }));
        expect(line).not.toMatch(/[\r\n\0]/);
        expect(line.split('"').length).toBe(5);
      }),
    );
    expect(escapeLogValue('a"b\\c\nd\u00e9')).toBe('a\\x22b\\x5Cc\\x0Ad\\xE9');
  });
});
