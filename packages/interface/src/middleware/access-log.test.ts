import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sendText, utf8 } from '../helpers.js';
import { callApp } from '../memory-host.js';
import type { App } from '../types.js';
import { accessLog } from './access-log.js';
import { COMBINED_LOG_FORMAT, COMMON_LOG_FORMAT, compileAccessLogFormat, escapeLogText, formatLogTime, type AccessLogRecord } from './access-log-format.js';

const record = (over: Partial<AccessLogRecord> = {}): AccessLogRecord => ({
  remoteAddr: '192.0.2.1',
  method: 'GET',
  requestUri: '/a?b=1',
  path: '/a',
  query: 'b=1',
  protocol: 'HTTP/1.1',
  status: 200,
  bytes: 1234,
  requestHeader: (name) => ({ referer: 'https://ref.example/', 'user-agent': 'curl/8', authorization: `Basic ${btoa('alice:pw')}`, 'x-id': 'abc' })[name],
  responseHeaders: [['content-type', 'text/plain'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']],
  startTime: Date.UTC(2000, 9, 10, 13, 55, 36),
  durationMs: 1.5,
  ...over,
});

describe('access log format', () => {
  it('the written-out common and combined formats say what the general compiler says, for any record', () => {
    const text = fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 12 });
    const header = fc.option(fc.oneof(text, text.map((t) => `Basic ${btoa(t)}`)), { nil: undefined });
    fc.assert(
      fc.property(fc.option(text, { nil: undefined }), text, text, text, fc.nat(999), fc.nat(), header, header, header, (remoteAddr, method, requestUri, protocol, status, bytes, referer, agent, authorization) => {
        const r = record({ remoteAddr, method, requestUri, protocol, status, bytes, requestHeader: (name) => ({ referer, 'user-agent': agent, authorization })[name] });
        // A trailing space keeps the general compiler from taking the written-out path.
        for (const format of [COMMON_LOG_FORMAT, COMBINED_LOG_FORMAT]) expect(compileAccessLogFormat(format)(r)).toBe(compileAccessLogFormat(`${format} `)(r).slice(0, -1));
      }),
    );
  });

  it('writes the combined format', () => {
    const line = compileAccessLogFormat(COMBINED_LOG_FORMAT)(record());
    expect(line).toBe(`192.0.2.1 - alice ${formatLogTime(Date.UTC(2000, 9, 10, 13, 55, 36))} "GET /a?b=1 HTTP/1.1" 200 1234 "https://ref.example/" "curl/8"`);
  });

  it('writes the time in Common Log Format', () => {
    expect(formatLogTime(Date.now())).toMatch(/^\[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\]$/);
  });

  it('knows every gunicorn atom', () => {
    const line = compileAccessLogFormat('%(m)s %(U)s %(q)s %(H)s %(s)s %(B)s %(T)s %(M)s %(D)s %(L)s %({x-id}i)s %({SET-COOKIE}o)s %({missing}i)s %%')(record());
    expect(line).toBe('GET /a b=1 HTTP/1.1 200 1234 0 1 1500 0.001500 abc a=1, b=2 - %');
    expect(compileAccessLogFormat('%(p)s')(record())).toBe(`<${process.pid}>`);
    process.env.TSGI_TEST_VAR = 'v';
    expect(compileAccessLogFormat('%({TSGI_TEST_VAR}e)s')(record())).toBe('v');
    expect(compileAccessLogFormat('%(b)s')(record({ bytes: 0 }))).toBe('-');
  });

  it('refuses unknown atoms', () => {
    expect(() => compileAccessLogFormat('%(zz)s')).toThrow(TypeError);
  });

  it('escapes quotes, backslashes, controls and non-ASCII bytes so no line can be forged', () => {
    expect(escapeLogText('a"b\\c\nd\xe9')).toBe('a\\"b\\\\c\\x0ad\\xe9');
    const line = compileAccessLogFormat(COMBINED_LOG_FORMAT)(record({ requestHeader: (name) => (name === 'user-agent' ? 'x"\n127.0.0.1 - - [forged]' : undefined) }));
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain('"x\\"\\x0a127.0.0.1 - - [forged]"');
  });
});

describe('accessLog', () => {
  it('logs one line when the response is over, with status and bytes', async () => {
    const lines: string[] = [];
    const app: App = (_e, s) => {
      s('201 Created', [['content-type', 'text/plain']]);
      return (async function* () {
        yield utf8('abc');
        yield utf8('de');
      })();
    };
    const response = await callApp(accessLog({ format: 'common', write: (line) => lines.push(line) })(app), { target: '/x?y', remoteAddress: '198.51.100.4' });
    expect(response.status).toBe('201 Created');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^198\.51\.100\.4 - - \[.+\] "GET \/x\?y HTTP\/1\.1" 201 5$/);
  });

  it('writes to tsgi.errors by default and counts array bodies', async () => {
    const response = await callApp(accessLog()((_e, s) => sendText(s, '200 OK', 'hello')), { headers: [['user-agent', 'ua'], ['host', 'h']] });
    expect(response.errors).toMatch(/"GET \/ HTTP\/1\.1" 200 5 "-" "ua"\n$/);
  });

  it('counts no body bytes for HEAD', async () => {
    const lines: string[] = [];
    await callApp(accessLog({ format: '%(s)s %(B)s', write: (line) => lines.push(line) })((_e, s) => sendText(s, '200 OK', 'hello')), { method: 'HEAD' });
    expect(lines).toEqual(['200 0']);
  });

  it('logs 500 for an app that throws, and lets the error through', async () => {
    const lines: string[] = [];
    const response = await callApp(accessLog({ format: '%(s)s', write: (line) => lines.push(line) })(() => {
      throw new Error('x');
    }));
    expect(response.status).toBe('500 Internal Server Error');
    expect(lines).toEqual(['500']);
  });

  it('MW-6: logs once and releases the inner body once when the client leaves', async () => {
    const lines: string[] = [];
    const events: string[] = [];
    const controller = new AbortController();
    const app: App = (_e, s) => {
      s('200 OK', []);
      const body = (async function* () {
        try {
          yield utf8('a');
          controller.abort();
          await new Promise((resolve) => setTimeout(resolve, 5));
          yield utf8('b');
        } finally {
          events.push('finally');
        }
      })();
      return Object.assign(body, { close: () => void events.push('close') });
    };
    await callApp(accessLog({ format: '%(s)s %(B)s', write: (line) => lines.push(line) })(app), { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual(['finally', 'close']);
    expect(lines).toEqual(['200 1']);
  });
});
