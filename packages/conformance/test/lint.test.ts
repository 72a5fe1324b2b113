import { describe, expect, it } from 'vitest';
import { callApp, utf8, type App, type Body, type Environ, type StartResponse } from '@tsgi/interface';
import { ConformanceError, createLint, lint, Reporter, type Violation } from '../src/index.js';

const ok = utf8('ok');

/** Runs `app` under a collecting lint through the in-memory host; resolves to what the lint saw. */
async function linted(app: App, request: Parameters<typeof callApp>[1] = {}): Promise<Violation[]> {
  const reporter = Reporter.collecting();
  const session = createLint({ reporter, capabilities: ['raw-request-target', 'remote-address'] });
  await callApp(session.wrap(app), request);
  await session.settle(50);
  return reporter.violations;
}

const clauses = (violations: Violation[]) => violations.map((v) => v.clause);

/** A minimal environ a hand-written host passes: every key right, so one change shows. */
function environ(overrides: Record<string, unknown> = {}): Environ {
  const base: Record<string, unknown> = {
    REQUEST_METHOD: 'GET',
    SCRIPT_NAME: '',
    PATH_INFO: '/a b',
    QUERY_STRING: 'x=1',
    SERVER_NAME: 'example.test',
    SERVER_PORT: '80',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_URI: '/a%20b?x=1',
    HTTP_HOST: 'example.test',
    'tsgi.version': [1, 0],
    'tsgi.url_scheme': 'http',
    'tsgi.input': { read: async () => new Uint8Array(0), readLine: async () => new Uint8Array(0), [Symbol.asyncIterator]: async function* () {} },
    'tsgi.errors': { write() {}, flush() {} },
    'tsgi.multithread': true,
    'tsgi.multiprocess': false,
    'tsgi.run_once': false,
    'tsgi.input_terminated': true,
    'tsgi.headers': [['host', 'example.test']],
    'tsgi.signal': new AbortController().signal,
    'tsgi.wait_until': () => {},
  };
  return { ...base, ...overrides } as unknown as Environ;
}

/** Calls a linted app the way a careless host would, collecting what the lint reports. */
function hostCall(app: App, env: Environ, startResponse: StartResponse = () => async () => {}): Violation[] {
  const reporter = Reporter.collecting();
  createLint({ reporter, capabilities: ['raw-request-target'] }).wrap(app)(env, startResponse);
  return reporter.violations;
}

const hello: App = (_e, sr) => (sr('200 OK', [['content-type', 'text/plain']]), [ok]);

describe('lint: transparent for compliant parties', () => {
  it('changes nothing: the same response with and without the lint', async () => {
    const app: App = async (environ, startResponse) => {
      const write = startResponse('201 Created', [['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
      await write(utf8('w;'));
      return (async function* () {
        yield new Uint8Array(0);
        yield utf8(`${environ.PATH_INFO};`);
      })();
    };
    const plain = await callApp(app, { target: '/x%2Fy' });
    const wrapped = await callApp(lint(app), { target: '/x%2Fy' });
    expect(wrapped.status).toBe(plain.status);
    expect(wrapped.headers).toEqual(plain.headers);
    expect(wrapped.text()).toBe(plain.text());
  });

  it('reports nothing for a compliant app on the in-memory host', async () => {
    expect(await linted(hello, { method: 'POST', headers: [['host', 'h'], ['content-length', '2']], body: ok })).toEqual([]);
  });

  it('throws MUST violations by default, naming the clause', async () => {
    const app = lint((_e, sr) => (sr('200 OK\r\n' as '200 OK', []), [ok]));
    const response = await callApp(app);
    expect(response.status).toBe('500 Internal Server Error');
    expect(response.errors).toContain('[SR-1]');
    expect(() => lint((_e, sr) => (sr('200', [] as never), []))(environ(), () => async () => {})).toThrow(ConformanceError);
  });
});

describe('lint: the app side', () => {
  it('APP-1: an app must be a function', () => {
    const reporter = Reporter.collecting();
    lint(42 as unknown as App, { reporter });
    expect(clauses(reporter.violations)).toEqual(['APP-1']);
  });
  it('APP-2: startResponse before the first non-empty chunk', async () => {
    expect(clauses(await linted(() => [ok]))).toContain('APP-2');
  });
  it('APP-3: a string, a Uint8Array or a number is not a body', async () => {
    for (const body of ['text', ok, 7]) expect(clauses(await linted((_e, sr) => (sr('200 OK', []), body as unknown as Body)))).toContain('APP-3');
  });
  it('APP-4: every chunk is a Uint8Array', async () => {
    expect(clauses(await linted((_e, sr) => (sr('200 OK', []), ['text' as unknown as Uint8Array])))).toContain('APP-4');
  });
  it('APP-5: a chunk must not change while the host holds it', async () => {
    const buffer = utf8('first');
    const app: App = (_e, sr) => {
      sr('200 OK', []);
      return (async function* () {
        yield buffer;
      })();
    };
    const reporter = Reporter.collecting();
    const wrapped = createLint({ reporter }).wrap(app);
    // A host that holds the chunk while the app changes it, then asks for more.
    const body = (await wrapped(environ(), () => async () => {})) as AsyncIterable<Uint8Array>;
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    buffer.fill(0);
    await iterator.next();
    expect(clauses(reporter.violations)).toContain('APP-5');
  });
  it('APP-5: a chunk must not change after the next one was asked for, until the body is released', async () => {
    const buffer = utf8('first');
    const app: App = (_e, sr) => {
      sr('200 OK', []);
      return (async function* () {
        yield buffer;
        buffer.fill(0); // reused while the host may still hold it
        yield utf8('second');
      })();
    };
    const reporter = Reporter.collecting();
    const wrapped = createLint({ reporter }).wrap(app);
    const body = (await wrapped(environ(), () => async () => {})) as AsyncIterable<Uint8Array>;
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    await iterator.next();
    await iterator.return?.();
    expect(clauses(reporter.violations)).toContain('APP-5');
  });
  it('APP-6: close must be a function', async () => {
    expect(clauses(await linted((_e, sr) => (sr('200 OK', []), Object.assign([ok], { close: 1 }) as unknown as Body)))).toContain('APP-6');
  });
  it('ENV-4: the received environ is read-only, even when restored afterwards', async () => {
    const app: App = (environ, sr) => {
      const saved = environ.PATH_INFO;
      (environ as { PATH_INFO: string }).PATH_INFO = '/other';
      (environ as { PATH_INFO: string }).PATH_INFO = saved;
      (environ as Record<string, unknown>)['myapp.user'] = 'allowed (ENV-5)';
      return hello(environ, sr);
    };
    expect(clauses(await linted(app))).toEqual(['ENV-4', 'ENV-4']);
  });
  it('SR-1 to SR-8: status and header grammar', async () => {
    const cases: Array<[string, unknown, unknown]> = [
      ['SR-1', '200 OK\r\n', []],
      ['SR-1', '103 Early Hints', []],
      ['SR-1', '200 Caf\xe9', []],
      ['SR-2', '200 OK', { a: 'b' }],
      ['SR-2', '200 OK', [['a']]],
      ['SR-3', '200 OK', [['bad name', 'x']]],
      ['SR-4', '200 OK', [['x', 'a\nb']]],
      ['SR-6', '200 OK', [['Transfer-Encoding', 'chunked']]],
      ['SR-6', '200 OK', [['Proxy-Authenticate', 'Basic']]],
      ['SR-7', '200 OK', [['content-length', '1'], ['Content-Length', '1']]],
      ['SR-7', '200 OK', [['content-length', '-1']]],
      ['SR-8', '204 No Content', [['content-length', '0']]],
    ];
    for (const [clause, status, headers] of cases) {
      const found = await linted((_e, sr) => (sr(status as '200 OK', headers as never), []));
      expect(clauses(found), `${String(status)} ${JSON.stringify(headers)}`).toContain(clause);
    }
  });
  it('SR-5: a padded header value is a SHOULD warning, not a failure', async () => {
    const found = await linted((_e, sr) => (sr('200 OK', [['x', ' padded ']]), []));
    expect(found.map((v) => [v.clause, v.level])).toEqual([['SR-5', 'should']]);
  });
  it('SR-9: a second startResponse needs excInfo', async () => {
    expect(clauses(await linted((_e, sr) => (sr('200 OK', []), sr('200 OK', []), [])))).toContain('SR-9');
  });
  it('SR-16, SR-19, SR-21: write takes bytes, is awaited, and ends with the call', async () => {
    const app: App = async (_e, sr) => {
      const write = sr('200 OK', []);
      await write('text' as unknown as Uint8Array).catch(() => {});
      const first = write(ok);
      await write(ok);
      await first;
      return (async function* () {
        await write(ok).catch(() => {});
      })();
    };
    expect(clauses(await linted(app))).toEqual(expect.arrayContaining(['SR-16', 'SR-19', 'SR-21']));
  });
  it('BODY-14: the declared Content-Length, no more and no less', async () => {
    expect(clauses(await linted((_e, sr) => (sr('200 OK', [['content-length', '3']]), [ok])))).toContain('BODY-14');
    expect(clauses(await linted((_e, sr) => (sr('200 OK', [['content-length', '1']]), [ok])))).toContain('BODY-14');
    expect(await linted((_e, sr) => (sr('200 OK', [['content-length', '2']]), [ok]), { method: 'HEAD' })).toEqual([]);
  });
  it('BODY-19: no body bytes with 204, 205 or 304', async () => {
    for (const status of ['204 No Content', '205 Reset Content', '304 Not Modified'] as const) {
      expect(clauses(await linted((_e, sr) => (sr(status, []), [ok])))).toContain('BODY-19');
    }
  });
  it('INP-6, INP-13: read sizes and one reader at a time', async () => {
    const app: App = async (environ, sr) => {
      const input = environ['tsgi.input'];
      await input.read(0).catch(() => {});
      await Promise.allSettled([input.read(1), input.read(1)]);
      return hello(environ, sr);
    };
    expect(clauses(await linted(app, { method: 'POST', headers: [['host', 'h'], ['content-length', '2']], body: [utf8('a'), utf8('b')] }))).toEqual(expect.arrayContaining(['INP-6', 'INP-13']));
  });
  it('ERR-2: tsgi.errors takes strings', async () => {
    expect(clauses(await linted((environ, sr) => (environ['tsgi.errors'].write(1 as unknown as string), hello(environ, sr))))).toEqual(['ERR-2']);
  });
  it('HOST-26: tsgi.wait_until takes thenables', async () => {
    expect(clauses(await linted((environ, sr) => (environ['tsgi.wait_until'](1 as unknown as Promise<void>), hello(environ, sr))))).toEqual(['HOST-26']);
  });
});

describe('lint: the host side', () => {
  it('ENV-1: a plain object, new for every call', () => {
    const env = environ();
    const reporter = Reporter.collecting();
    const app = createLint({ reporter }).wrap(hello);
    app(env, () => async () => {});
    app(env, () => async () => {});
    expect(clauses(reporter.violations)).toEqual(['ENV-1']);
    expect(clauses(hostCall(hello, Object.assign(new (class Env {})(), environ()) as unknown as Environ))).toContain('ENV-1');
  });
  it('ENV-2, ENV-3: CGI values are ByteStrings; no stray bare or tsgi. keys', () => {
    expect(clauses(hostCall(hello, environ({ PATH_INFO: '/caf\u00e9\u2603', REQUEST_URI: '/caf%C3%A9' })))).toContain('ENV-2');
    expect(clauses(hostCall(hello, environ({ SERVER_SOFTWARE: 'x' })))).toContain('ENV-3');
    expect(clauses(hostCall(hello, environ({ 'tsgi.extra': 1 })))).toContain('ENV-3');
  });
  it('ENV-6 to ENV-8, ENV-12: the request line is consistent with REQUEST_URI', () => {
    expect(clauses(hostCall(hello, environ({ REQUEST_METHOD: 'GET /' })))).toContain('ENV-6');
    expect(clauses(hostCall(hello, environ({ SCRIPT_NAME: '/app/' })))).toContain('ENV-7');
    expect(clauses(hostCall(hello, environ({ PATH_INFO: '/a%20b' })))).toContain('ENV-8');
    expect(clauses(hostCall(hello, environ({ QUERY_STRING: 'x=%31' })))).toContain('ENV-12');
  });
  it('ENV-10: OPTIONS * has empty PATH_INFO and QUERY_STRING', () => {
    expect(clauses(hostCall(hello, environ({ REQUEST_URI: '*', PATH_INFO: '/', QUERY_STRING: '' })))).toContain('ENV-10');
  });
  it('ENV-15 to ENV-19: server, protocol, content and client keys', () => {
    expect(clauses(hostCall(hello, environ({ SERVER_NAME: 'other.test' })))).toContain('ENV-15');
    expect(clauses(hostCall(hello, environ({ SERVER_PORT: 80 })))).toContain('ENV-16');
    expect(clauses(hostCall(hello, environ({ SERVER_PROTOCOL: 'HTTP/1.2' })))).toContain('ENV-17');
    expect(clauses(hostCall(hello, environ({ CONTENT_LENGTH: '' })))).toContain('ENV-18');
    expect(clauses(hostCall(hello, environ({ REMOTE_ADDR: '' })))).toContain('ENV-19');
    expect(clauses(hostCall(hello, environ({ REMOTE_PORT: 'x' })))).toContain('ENV-19');
  });
  it('ENV-20 to ENV-23, ENV-28: HTTP_* follows tsgi.headers', () => {
    const headers = [['host', 'example.test'], ['x-a', '1'], ['x-a', '2'], ['x_b', 'z'], ['cookie', 'a=1'], ['cookie', 'b=2']];
    const good = { 'tsgi.headers': headers, HTTP_X_A: '1, 2', HTTP_COOKIE: 'a=1; b=2' };
    expect(hostCall(hello, environ(good))).toEqual([]);
    expect(clauses(hostCall(hello, environ({ ...good, HTTP_X_A: undefined })))).toContain('ENV-20');
    expect(clauses(hostCall(hello, environ({ ...good, HTTP_CONTENT_TYPE: 'text/plain' })))).toContain('ENV-20');
    expect(clauses(hostCall(hello, environ({ ...good, HTTP_X_B: 'z' })))).toContain('ENV-21');
    expect(clauses(hostCall(hello, environ({ ...good, HTTP_X_A: '1,2' })))).toContain('ENV-22');
    expect(clauses(hostCall(hello, environ({ ...good, HTTP_COOKIE: 'a=1, b=2' })))).toContain('ENV-22');
    expect(clauses(hostCall(hello, environ({ ...good, 'tsgi.headers': [...headers, [':path', '/']] })))).toContain('ENV-23');
    expect(clauses(hostCall(hello, environ({ ...good, 'tsgi.headers': [...headers, ['X-Upper', 'v']], HTTP_X_UPPER: 'v' })))).toContain('ENV-28');
  });
  it('ENV-24 to ENV-27, INP-1, ERR-1: the tsgi. keys', () => {
    expect(clauses(hostCall(hello, environ({ 'tsgi.version': [1, 1] })))).toContain('ENV-24');
    expect(clauses(hostCall(hello, environ({ 'tsgi.url_scheme': 'HTTP' })))).toContain('ENV-25');
    expect(clauses(hostCall(hello, environ({ 'tsgi.signal': {} })))).toContain('ENV-26');
    expect(clauses(hostCall(hello, environ({ 'tsgi.run_once': 'no' })))).toContain('ENV-27');
    expect(clauses(hostCall(hello, environ({ 'tsgi.input': { read() {} } })))).toContain('INP-1');
    expect(clauses(hostCall(hello, environ({ 'tsgi.errors': { write() {} } })))).toContain('ERR-1');
  });
  it('SR-10, SR-12, SR-13: what startResponse must throw', async () => {
    const lenient: StartResponse = () => async () => {};
    expect(clauses(hostCall((_e, sr) => (sr('200 OK', []), sr('200 OK', []), []), environ(), lenient))).toContain('SR-10');
    const reporter = Reporter.collecting();
    const app = createLint({ reporter }).wrap((_e, sr) => {
      sr('200 OK', []);
      return (async function* () {
        yield ok;
        sr('500 Oops', [], new Error('late'));
      })();
    });
    const body = (await app(environ(), lenient)) as AsyncIterable<Uint8Array>;
    for await (const _ of body) void _;
    expect(clauses(reporter.violations)).toContain('SR-12');
  });
  it('SR-17, SR-22: write rejects what it must', async () => {
    // A host whose write resolves whatever it gets.
    const found = hostCall(
      (_e, sr) => {
        const write = sr('200 OK', []);
        void write('x' as unknown as Uint8Array).catch(() => {});
        setTimeout(() => void write(ok).catch(() => {}), 1);
        return [];
      },
      environ(),
      () => async () => {},
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(clauses(found)).toEqual(expect.arrayContaining(['SR-16', 'SR-17', 'SR-21', 'SR-22']));
  });
  it('BODY-1, BODY-7, BODY-10, BODY-11: how the host drives the body', async () => {
    const reporter = Reporter.collecting();
    let returns = 0;
    const app = createLint({ reporter }).wrap((_e, sr) => {
      sr('200 OK', []);
      return {
        [Symbol.asyncIterator]: () => ({ next: async () => ({ done: false, value: ok }), return: async () => (returns++, { done: true, value: undefined }) }),
        *[Symbol.iterator]() {
          yield ok;
        },
        close() {},
      } as Body;
    });
    const body = (await app(environ(), () => async () => {})) as Body & AsyncIterable<Uint8Array> & Iterable<Uint8Array>;
    body[Symbol.iterator]();
    const it = body[Symbol.asyncIterator]();
    await Promise.all([it.next(), it.next()]);
    await body.close!();
    await it.return!();
    await it.next();
    await body.close!();
    expect(clauses(reporter.violations)).toEqual(expect.arrayContaining(['BODY-1', 'BODY-7', 'BODY-10', 'BODY-11']));
    expect(returns).toBe(1);
  });
  it('BODY-9: a body never released is reported when the lint settles', async () => {
    const reporter = Reporter.collecting();
    const session = createLint({ reporter });
    await session.wrap((_e, sr) => (sr('200 OK', []), Object.assign([ok], { close() {} })))(environ(), () => async () => {});
    await session.settle();
    expect(clauses(reporter.violations)).toEqual(['BODY-9']);
  });
  it('BODY-22: no pulling past the commit on HEAD', async () => {
    const reporter = Reporter.collecting();
    const app = createLint({ reporter }).wrap((_e, sr) => {
      sr('200 OK', []);
      return (async function* () {
        yield ok;
        yield ok;
      })();
    });
    const body = (await app(environ({ REQUEST_METHOD: 'HEAD' }), () => async () => {})) as AsyncIterable<Uint8Array>;
    for await (const _ of body) void _;
    expect(clauses(reporter.violations)).toContain('BODY-22');
  });
  it('INP-2 to INP-12: what tsgi.input answers', async () => {
    const input = (chunks: Uint8Array[], onRead?: () => void) => ({
      read: async () => (onRead?.(), chunks.shift() ?? new Uint8Array(0)),
      readLine: async () => chunks.shift() ?? new Uint8Array(0),
      [Symbol.asyncIterator]: async function* () {
        yield new Uint8Array(0);
      },
    });
    const reader: App = async (environ, sr) => {
      const i = environ['tsgi.input'];
      await i.read(1).catch(() => {});
      await i.read().catch(() => {});
      await i.read().catch(() => {});
      await i.readLine(1).catch(() => {});
      for await (const _ of i) void _;
      return hello(environ, sr);
    };
    const call = async (env: Environ) => {
      const reporter = Reporter.collecting();
      await createLint({ reporter }).wrap(reader)(env, () => async () => {});
      return clauses(reporter.violations);
    };
    expect(await call(environ({ CONTENT_LENGTH: '1', 'tsgi.headers': [['host', 'example.test'], ['content-length', '1']], 'tsgi.input': input([utf8('abc')]) }))).toEqual(expect.arrayContaining(['INP-2', 'INP-9']));
    expect(await call(environ({ CONTENT_LENGTH: '9', 'tsgi.headers': [['host', 'example.test'], ['content-length', '9']], 'tsgi.input': input([utf8('a')]) }))).toContain('INP-10');
    expect(await call(environ({ 'tsgi.input': input([new Uint8Array(0), utf8('late')]) }))).toContain('INP-3');
    expect(await call(environ({ 'tsgi.input': input([]) }))).toContain('INP-7');
  });
});
