import { bytesOf, sameBytes } from '../../drivers/wire.js';
import { HttpDriver } from '../../drivers/http-driver.js';
import { sendRawBytes } from '../../drivers/http-client.js';
import { delay, eventually } from '../../probes/deferred.js';
import { PROBE_ID_HEADER } from '../../probes/registry.js';
import type { ServerCheck } from './check.js';

function codeOf(error: unknown): unknown {
  return error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
}

function fill(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

export const truncatedCheck: ServerCheck = {
  name: 'a cut-off request body is an error, never an end',
  clauses: ['INP-10'],
  drivers: ['http'],
  features: ['streamingRequest'],
  async run(ctx) {
    const driver = ctx.driver as HttpDriver;
    for (const framing of ['length', 'chunked'] as const) {
      const c = ctx.newCase('truncated');
      const body = fill(100, 7);
      const raw = driver.raw(ctx.request(c, { method: 'POST', body, framing, chunks: [body.subarray(0, 40)] }), { holdBody: true, close: true });
      await raw.connected();
      raw.sendBody([body.subarray(0, 40)], false);
      await delay(30);
      raw.socket.end();
      await eventually(() => c.inputError !== undefined || c.notes.eof === true, ctx.timeoutMs);
      await delay(10);
      raw.destroy();
      ctx.expect(c.notes.eof !== true, 'INP-10', `a ${framing === 'length' ? 'Content-Length' : 'chunked'} body cut off after 40 bytes`, 'must not be reported as the end of the body');
      ctx.expect(codeOf(c.inputError) === 'TSGI_INPUT_TRUNCATED', 'INP-10', 'the read that meets the cut', 'must reject with code TSGI_INPUT_TRUNCATED', codeOf(c.inputError));
      ctx.expect(codeOf(c.notes.laterRead) === 'TSGI_INPUT_TRUNCATED', 'INP-10', 'a later read', 'must reject again with TSGI_INPUT_TRUNCATED', c.notes.laterRead);
    }
  },
};

export const busyCheck: ServerCheck = {
  name: 'concurrent reads are refused',
  clauses: ['INP-12'],
  async run(ctx) {
    const c = ctx.newCase('busy');
    const body = fill(3000, 3);
    await ctx.send(c, { method: 'POST', body });
    ctx.expect(codeOf(c.notes.second) === 'TSGI_INPUT_BUSY', 'INP-12', 'a read started while another is pending', 'must reject with code TSGI_INPUT_BUSY', c.notes.second);
    ctx.expect(c.bodyRead !== undefined && sameBytes(c.bodyRead, body), 'INP-12', 'the pending read', 'must be unaffected: the body still arrives whole', c.bodyRead?.length ?? c.inputError);
  },
};

export const badSizeCheck: ServerCheck = {
  name: 'read sizes that are not positive safe integers are refused',
  clauses: ['INP-5'],
  async run(ctx) {
    const c = ctx.newCase('bad-size');
    await ctx.send(c, { method: 'POST', body: fill(10, 1) });
    const accepted = (c.notes.accepted as string[] | undefined) ?? ['(probe did not run)'];
    ctx.expect(accepted.length === 0, 'INP-5', 'read and readLine with a bad size', 'must throw or reject', accepted.join(', '));
  },
};

export const breakCheck: ServerCheck = {
  name: 'break keeps the unread bytes',
  clauses: ['INP-8'],
  features: ['streamingRequest'],
  drivers: ['http'],
  async run(ctx) {
    const driver = ctx.driver as HttpDriver;
    const c = ctx.newCase('break');
    const body = fill(5000, 9);
    const raw = driver.raw(ctx.request(c, { method: 'POST', body }), { holdBody: true });
    raw.sendBody([body.subarray(0, 1000)], false);
    await Promise.race([c.gate('broke').promise, delay(ctx.timeoutMs)]);
    raw.sendBody([body.subarray(1000)]);
    await raw.readAll(ctx.timeoutMs).catch(() => undefined);
    await ctx.reported(c);
    ctx.expect(c.bodyRead !== undefined && sameBytes(c.bodyRead, body), 'INP-8', 'reads after an early break', 'must continue where iteration stopped', c.bodyRead?.length ?? c.inputError);
  },
};

export const pullCheck: ServerCheck = {
  name: 'the request body is pulled, not read ahead',
  clauses: ['INP-14'],
  capabilities: ['streaming-request-body'],
  drivers: ['http'],
  async run(ctx) {
    const driver = ctx.driver as HttpDriver;
    const c = ctx.newCase('late-reader');
    const size = 24 * 1024 * 1024;
    const piece = fill(1024 * 1024, 5);
    // Content-Length is announced by hand: the body is streamed below, as fast as the host takes it.
    const raw = driver.raw(ctx.request(c, { method: 'POST', framing: 'none' }), {
      holdBody: true,
      framingHeaders: [['Content-Length', String(size)]],
    });
    raw.socket.on('error', () => {});
    await raw.connected();
    let offered = 0;
    const deadline = Date.now() + 400;
    while (offered < size && Date.now() < deadline) {
      if (raw.socket.writableLength > 4 * 1024 * 1024) {
        await delay(20);
        continue;
      }
      raw.socket.write(piece);
      offered += piece.length;
    }
    await delay(50);
    const accepted = offered - raw.socket.writableLength;
    ctx.expect(accepted < 12 * 1024 * 1024, 'INP-14', 'the request body', 'must not be read ahead of an app that reads nothing (bounded buffer)', `${accepted} bytes taken`);
    raw.destroy();
    c.open('read');
  },
};

export const malformedCheck: ServerCheck = {
  name: 'malformed requests: 400 or 431, app not called',
  clauses: ['HOST-6', 'HOST-7'],
  features: ['malformed'],
  drivers: ['http'],
  async run(ctx) {
    const address = (ctx.driver as HttpDriver).address;
    const before = ctx.registry.strays;
    const host = `Host: ${address.host}:${address.port}\r\n`;
    const cases: Array<[string, string]> = [
      ['a request line that does not parse', 'GARBAGE\r\n\r\n'],
      ['conflicting Content-Length fields', `POST /x HTTP/1.1\r\n${host}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`],
      ['a header line without a colon', `GET /x HTTP/1.1\r\n${host}this is not a header\r\n\r\n`],
      ['a space before the colon of a header name', `GET /x HTTP/1.1\r\n${host}X-Bad : 1\r\n\r\n`],
    ];
    for (const [what, text] of cases) {
      const { head } = await sendRawBytes(address, bytesOf(text), ctx.timeoutMs);
      ctx.expect(head?.status === 400, 'HOST-6', `a request with ${what}`, 'must be answered 400 Bad Request', head?.status ?? 'no response');
    }
    const big = `GET /x HTTP/1.1\r\n${host}${PROBE_ID_HEADER}: none\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`;
    const { head } = await sendRawBytes(address, bytesOf(big), ctx.timeoutMs);
    ctx.expect(head?.status === 431, 'HOST-7', 'a header section of 20 KiB', 'must be answered 431 Request Header Fields Too Large', head?.status ?? 'no response');
    await delay(20);
    ctx.expect(ctx.registry.strays === before, 'HOST-6', 'the app', 'must not be called for a malformed request', ctx.registry.strays - before);
  },
};

export const targetFormsCheck: ServerCheck = {
  name: 'asterisk and absolute-form targets, HTTP/1.0, no Host',
  clauses: ['ENV-10', 'ENV-11', 'ENV-15', 'ENV-16', 'ENV-17'],
  features: ['rawTarget'],
  drivers: ['http'],
  async run(ctx) {
    const driver = ctx.driver as HttpDriver;
    const star = ctx.newCase('record');
    await driver.raw(ctx.request(star, { method: 'OPTIONS', target: '*' })).readAll(ctx.timeoutMs).catch(() => undefined);
    await ctx.reported(star);
    if (star.environ) {
      const cgi = star.environ.cgi;
      ctx.expect(cgi.PATH_INFO === '' && cgi.QUERY_STRING === '' && cgi.REQUEST_URI === '*', 'ENV-10', 'PATH_INFO, QUERY_STRING and REQUEST_URI for OPTIONS *', 'must be "", "" and "*"', `${String(cgi.PATH_INFO)}|${String(cgi.QUERY_STRING)}|${String(cgi.REQUEST_URI)}`);
    } else ctx.skip(['ENV-10'], 'not-checked', 'the host answered OPTIONS * without calling the app');

    const absolute = ctx.newCase('record');
    await driver.raw(ctx.request(absolute, { target: 'http://example.test/abs%2Fpath?q=1' })).readAll(ctx.timeoutMs).catch(() => undefined);
    await ctx.reported(absolute);
    if (absolute.environ) {
      const cgi = absolute.environ.cgi;
      ctx.expect((cgi.SCRIPT_NAME as string) + (cgi.PATH_INFO as string) === '/abs/path' && cgi.QUERY_STRING === 'q=1', 'ENV-11', 'PATH_INFO and QUERY_STRING for an absolute-form target', 'must come from its path and query', `${String(cgi.PATH_INFO)}?${String(cgi.QUERY_STRING)}`);
    } else ctx.skip(['ENV-11'], 'not-checked', 'the host answered an absolute-form target without calling the app');

    const old = ctx.newCase('record');
    const address = driver.address;
    const text = `GET /old HTTP/1.0\r\n${PROBE_ID_HEADER}: ${old.id}\r\n\r\n`;
    await sendRawBytes(address, bytesOf(text), ctx.timeoutMs);
    await ctx.reported(old);
    if (old.environ) {
      const cgi = old.environ.cgi;
      ctx.expect(cgi.SERVER_PROTOCOL === 'HTTP/1.0', 'ENV-17', 'SERVER_PROTOCOL of an HTTP/1.0 request', 'must be HTTP/1.0', cgi.SERVER_PROTOCOL);
      ctx.expect(typeof cgi.SERVER_NAME === 'string' && cgi.SERVER_NAME !== '', 'ENV-15', 'SERVER_NAME of a request without Host', 'must be the name or address the host is bound to', cgi.SERVER_NAME);
      ctx.expect(cgi.SERVER_PORT === String(address.port), 'ENV-16', 'SERVER_PORT of a request without Host', `must be the local port ${address.port}`, cgi.SERVER_PORT);
    } else ctx.skip(['ENV-15', 'ENV-16', 'ENV-17'], 'not-checked', 'the host answered an HTTP/1.0 request without Host without calling the app');
  },
};

export const expectContinueCheck: ServerCheck = {
  name: '100 Continue only when the app reads',
  clauses: ['INP-15'],
  capabilities: ['expect-continue'],
  drivers: ['http'],
  async run(ctx) {
    const driver = ctx.driver as HttpDriver;
    const c = ctx.newCase('late-reader');
    const body = fill(10, 2);
    const raw = driver.raw(ctx.request(c, { method: 'POST', body, headers: [['Expect', '100-continue']] }), { holdBody: true });
    await delay(100);
    ctx.expect(raw.reader.interim.length === 0, 'INP-15', '100 Continue', 'must not be sent before the app reads tsgi.input', raw.reader.interim);
    c.open('read');
    await eventually(() => raw.reader.interim.includes(100), ctx.timeoutMs);
    ctx.expect(raw.reader.interim.includes(100), 'INP-15', '100 Continue', 'must be sent when the app first reads tsgi.input', raw.reader.interim);
    raw.sendBody();
    const response = await raw.readAll(ctx.timeoutMs);
    ctx.expect(new TextDecoder().decode(response.body) === '10', 'INP-15', 'the body sent after 100 Continue', 'must reach the app', new TextDecoder().decode(response.body));
  },
};
