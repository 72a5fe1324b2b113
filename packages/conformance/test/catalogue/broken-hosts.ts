/**
 * Broken hosts: the reference host with one defect each, the kind real adapters ship.
 */
import type { App, Body, Environ, HeaderList, InputStream } from '@tsgi/interface';
import type { CatalogueEntry } from './entry.js';

type Env = Record<string, unknown>;
const encoder = new TextEncoder();

function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Rewrites the environ with `change` (a host that builds one key wrongly). */
function environ(change: (env: Env) => void): (environ: Environ) => Environ {
  return (e) => {
    change(e as unknown as Env);
    return e;
  };
}

/** The app's body, passed through `wrap` by the host. */
function wrapBody(wrap: (body: Body) => Body): (app: App) => App {
  return (app) => async (env, startResponse) => wrap(await app(env, startResponse));
}

function httpKeys(env: Env): string[] {
  return Object.keys(env).filter((k) => k.startsWith('HTTP_'));
}

export const BROKEN_HOSTS: CatalogueEntry[] = [
  {
    kind: 'host',
    name: 'sends the headers at startResponse, before the first non-empty chunk',
    expect: 'BODY-5',
    hooks: {
      app: (app, _req, res) => (env, startResponse) =>
        app(env, (status, headers, excInfo) => {
          const write = startResponse(status, headers, excInfo);
          if (!res.headersSent) {
            res.writeHead(Number(status.slice(0, 3)), status.slice(4), headers.flat());
            res.flushHeaders();
          }
          return write;
        }),
      sink: (sink, res) => ({ ...sink, start: (status, headers) => void (res.headersSent || sink.start(status, headers)) }),
    },
  },
  {
    kind: 'host',
    name: 'never releases the body when the client disconnects',
    expect: 'BODY-9',
    hooks: { onClientGone: () => {} },
  },
  {
    kind: 'host',
    name: 'releases the body twice',
    expect: 'BODY-11',
    hooks: {
      app: wrapBody((body) => {
        const close = body.close;
        if (typeof close !== 'function') return body;
        return Object.assign(Object.create(body) as Body, {
          [Symbol.asyncIterator]: (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]?.bind(body),
          [Symbol.iterator]: (body as Iterable<Uint8Array>)[Symbol.iterator]?.bind(body),
          close: async () => {
            await close.call(body);
            await close.call(body);
          },
        });
      }),
    },
  },
  {
    kind: 'host',
    name: 'decodes PATH_INFO as UTF-8',
    expect: 'ENV-9',
    hooks: { environ: environ((env) => void (env.PATH_INFO = new TextDecoder().decode(bytes(String(env.PATH_INFO))))) },
  },
  {
    kind: 'host',
    name: 'joins repeated headers with "," and no space',
    expect: 'ENV-22',
    hooks: {
      environ: environ((env) => {
        for (const key of httpKeys(env)) env[key] = String(env[key]).replaceAll(', ', ',');
      }),
    },
  },
  {
    kind: 'host',
    name: 'maps X_Foo to HTTP_X_FOO',
    expect: 'ENV-21',
    hooks: {
      environ: environ((env) => {
        for (const [name, value] of env['tsgi.headers'] as Array<[string, string]>) {
          if (name.includes('_')) env['HTTP_' + name.toUpperCase().replace(/[^A-Z0-9]/g, '_')] = value;
        }
      }),
    },
  },
  {
    kind: 'host',
    name: 'drops all Set-Cookie headers but the first',
    expect: 'HOST-17',
    hooks: {
      sink: (sink) => ({
        ...sink,
        start(status, headers) {
          let seen = false;
          sink.start(status, headers.filter(([n]) => n.toLowerCase() !== 'set-cookie' || !seen && (seen = true)));
        },
      }),
    },
  },
  {
    kind: 'host',
    name: 'buffers the whole body before sending anything',
    expect: 'BODY-6',
    hooks: {
      sink: (sink) => {
        const held: Uint8Array[] = [];
        let head: [Parameters<typeof sink.start>[0], HeaderList] | undefined;
        return {
          ...sink,
          start: (status, headers) => void (head = [status, headers]),
          write: (chunk) => (held.push(chunk.slice()), true),
          end(chunk) {
            if (head) sink.start(...head);
            for (const c of held) sink.write(c);
            sink.end(chunk);
          },
        };
      },
    },
  },
  {
    kind: 'host',
    name: 'ignores backpressure: pulls the next chunk without waiting for drain',
    expect: 'BODY-7',
    hooks: { sink: (sink) => ({ ...sink, write: (chunk) => (sink.write(chunk), true) }) },
  },
  {
    kind: 'host',
    name: 'reads past CONTENT_LENGTH',
    expect: 'INP-9',
    hooks: {
      inputLength: () => undefined,
      source: (req) =>
        (async function* () {
          for await (const chunk of req) yield chunk as Uint8Array;
          yield encoder.encode('GET /next HTTP/1.1\r\n');
        })(),
    },
  },
  {
    kind: 'host',
    name: 'passes a Connection header from the app through',
    expect: 'HOST-16',
    hooks: {
      app: (app, _req, res) => (env, startResponse) =>
        app(env, (status, headers, excInfo) => {
          for (const [name, value] of headers) if (/^(connection|keep-alive|upgrade)$/i.test(name)) res.setHeader(name, value);
          return startResponse(status, headers, excInfo);
        }),
    },
  },
  {
    kind: 'host',
    name: 'joins Cookie lines with ", "',
    expect: 'ENV-22',
    hooks: {
      environ: environ((env) => {
        const cookies = (env['tsgi.headers'] as Array<[string, string]>).filter(([n]) => n === 'cookie').map(([, v]) => v);
        if (cookies.length > 1) env.HTTP_COOKIE = cookies.join(', ');
      }),
    },
  },
  {
    kind: 'host',
    name: 'percent-decodes QUERY_STRING',
    expect: 'ENV-12',
    hooks: { environ: environ((env) => void (env.QUERY_STRING = String(env.QUERY_STRING).replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))))) },
  },
  {
    kind: 'host',
    name: 'normalises REQUEST_URI (dot segments, double slashes)',
    expect: 'ENV-13',
    hooks: { environ: environ((env) => void (env.REQUEST_URI = String(env.REQUEST_URI).replace(/\/+/g, '/').replace(/\/\.(?=\/|$)/g, ''))) },
  },
  {
    kind: 'host',
    name: 'aborts tsgi.signal when the response completes',
    expect: 'HOST-21',
    hooks: {
      environ: (env, req) => {
        const controller = new AbortController();
        req.socket.once('close', () => controller.abort());
        req.once('end', () => setTimeout(() => controller.abort(), 5));
        return { ...env, 'tsgi.signal': controller.signal } as Environ;
      },
    },
  },
  {
    kind: 'host',
    name: 'reports a cut-off request body as its end',
    expect: 'INP-10',
    hooks: {
      inputLength: () => undefined,
      source: (req) =>
        (async function* () {
          try {
            for await (const chunk of req) yield chunk as Uint8Array;
          } catch {
            // the client went away: treated, wrongly, as the end of the body
          }
        })(),
    },
  },
  {
    kind: 'host',
    name: 'accepts a second startResponse without excInfo',
    expect: 'SR-10',
    hooks: {
      app: (app) => (env, startResponse) => {
        let calls = 0;
        return app(env, (status, headers, excInfo) => startResponse(status, headers, excInfo ?? (calls++ > 0 ? new Error('silently replaced') : undefined)));
      },
    },
  },
  {
    kind: 'host',
    name: 'swallows excInfo after the commit',
    expect: 'SR-12',
    hooks: {
      app: (app) => (env, startResponse) =>
        app(env, (status, headers, excInfo) => {
          try {
            return startResponse(status, headers, excInfo);
          } catch (error) {
            if (excInfo === undefined) throw error;
            return () => Promise.resolve();
          }
        }),
    },
  },
  {
    kind: 'host',
    name: 'sends the bytes past a declared Content-Length',
    expect: 'BODY-15',
    hooks: {
      app: (app, _req, res) => (env, startResponse) =>
        app(env, (status, headers, excInfo) => {
          const length = headers.find(([n]) => n.toLowerCase() === 'content-length');
          if (length) res.setHeader('content-length', length[1]);
          return startResponse(status, headers.filter(([n]) => n.toLowerCase() !== 'content-length'), excInfo);
        }),
      sink: (sink, res) => ({ ...sink, start: (status, headers) => sink.start(status, res.hasHeader('content-length') ? [...headers.filter(([n]) => n.toLowerCase() !== 'content-length'), ['content-length', String(res.getHeader('content-length'))]] : headers) }),
    },
  },
  {
    kind: 'host',
    name: 'ends a short body as if it were complete',
    expect: 'BODY-16',
    hooks: { sink: (sink, res) => ({ ...sink, destroy: () => void res.end() }) },
  },
  {
    kind: 'host',
    name: 'pulls the next chunk before the previous one settled',
    expect: 'BODY-7',
    hooks: {
      app: wrapBody((body) => {
        const source = body as AsyncIterable<Uint8Array>;
        if (typeof source[Symbol.asyncIterator] !== 'function') return body;
        return {
          [Symbol.asyncIterator]() {
            const it = source[Symbol.asyncIterator]();
            let ahead: Promise<IteratorResult<Uint8Array>> | undefined;
            return {
              next() {
                const current = ahead ?? it.next();
                ahead = it.next();
                ahead.catch(() => {});
                return current;
              },
              return: it.return ? (v?: unknown) => it.return!(v) : undefined,
            } as AsyncIterator<Uint8Array>;
          },
          close: body.close ? () => body.close!() : undefined,
        } as Body;
      }),
    },
  },
  {
    kind: 'host',
    name: 'sends the error message and stack to the client',
    expect: 'HOST-12',
    hooks: {
      app: (app) => async (env, startResponse) => {
        try {
          return await app(env, startResponse);
        } catch (error) {
          const text = encoder.encode(error instanceof Error ? String(error.stack) : String(error));
          startResponse('500 Internal Server Error', [['content-type', 'text/plain'], ['content-length', String(text.length)]]);
          return [text];
        }
      },
    },
  },
  {
    kind: 'host',
    name: 'adds Content-Length: 0 to 204 and 304 responses',
    expect: 'BODY-18',
    hooks: { sink: (sink, res) => ({ ...sink, start: (status, headers) => (/^(204|304)/.test(status) && res.setHeader('content-length', '0'), sink.start(status, headers)) }) },
  },
  {
    kind: 'host',
    name: 'iterates with Symbol.iterator when the body also has Symbol.asyncIterator',
    expect: 'BODY-1',
    hooks: {
      app: wrapBody((body) => {
        const sync = (body as Iterable<Uint8Array>)[Symbol.iterator];
        if (typeof sync !== 'function') return body;
        return { [Symbol.iterator]: () => sync.call(body), close: body.close ? () => body.close!() : undefined } as Body;
      }),
    },
  },
  {
    kind: 'host',
    name: 'encodes string chunks instead of failing',
    expect: 'BODY-2',
    hooks: {
      app: wrapBody((body) => {
        const source = body as AsyncIterable<unknown>;
        if (typeof source[Symbol.asyncIterator] !== 'function') return body;
        return {
          async *[Symbol.asyncIterator]() {
            for await (const chunk of source) yield typeof chunk === 'string' ? encoder.encode(chunk) : (chunk as Uint8Array);
          },
          close: body.close ? () => body.close!() : undefined,
        } as Body;
      }),
    },
  },
  {
    kind: 'host',
    name: 'reuses one environ object for every request',
    expect: 'ENV-1',
    hooks: (() => {
      const shared = {} as Env;
      return {
        environ: (env: Environ) => {
          for (const key of Object.keys(shared)) delete shared[key];
          Object.defineProperties(shared, Object.getOwnPropertyDescriptors(env));
          return shared as unknown as Environ;
        },
      };
    })(),
  },
  {
    kind: 'host',
    name: 'puts an empty REMOTE_ADDR placeholder when it has no address',
    expect: 'ENV-19',
    hooks: { environ: environ((env) => void (env.REMOTE_ADDR = '')) },
  },
  {
    kind: 'host',
    name: 'lets read(size) return more than size bytes',
    expect: 'INP-2',
    hooks: {
      environ: environ((env) => {
        const input = env['tsgi.input'] as InputStream;
        env['tsgi.input'] = {
          read: () => input.read(),
          readLine: (limit?: number) => input.readLine(limit),
          [Symbol.asyncIterator]: () => input[Symbol.asyncIterator](),
        } satisfies InputStream;
      }),
    },
  },
  {
    kind: 'host',
    name: 'queues a concurrent read instead of refusing it',
    expect: 'INP-12',
    hooks: {
      environ: environ((env) => {
        const input = env['tsgi.input'] as InputStream;
        let queue: Promise<unknown> = Promise.resolve();
        const serial = <T>(op: () => Promise<T>): Promise<T> => {
          const next = queue.then(op, op);
          queue = next.catch(() => {});
          return next;
        };
        env['tsgi.input'] = {
          read: (size?: number) => serial(() => input.read(size)),
          readLine: (limit?: number) => serial(() => input.readLine(limit)),
          [Symbol.asyncIterator]: () => input[Symbol.asyncIterator](),
        } satisfies InputStream;
      }),
    },
  },
  {
    kind: 'host',
    name: 'iterates a HEAD response to the end and does not stop at the commit',
    expect: 'BODY-22',
    hooks: { head: () => false },
  },
  {
    kind: 'host',
    name: 'drops the requests in progress when it shuts down',
    expect: 'HOST-30',
    hooks: { abruptClose: true },
  },
];
