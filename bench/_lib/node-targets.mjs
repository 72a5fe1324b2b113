// Child-process entry for bench/node.mjs: `node node-targets.mjs <server> <scenario>` starts
// one server on 127.0.0.1 (any port) and prints `{"url": ...}`.
//
// servers:   raw (node:http), tsgi (@tsgi/adapters/node), hono (@hono/node-server),
//            srvx (Response), srvx-fast (srvx's FastResponse)
// scenarios: hello (13 bytes), 64k (one 64 KiB chunk, Content-Length),
//            64m (64 MiB streamed in 64 KiB chunks), 1g [MiB] (1 GiB, or MiB given, streamed,
//            a fresh chunk each time, so that anything buffered costs memory)
import { createServer } from 'node:http';

const [server, scenario] = process.argv.slice(2);
const HELLO = Buffer.from('Hello, World!');
const KIB64 = Buffer.alloc(64 * 1024, 120);
// The 1g scenario takes its size in MiB as a third argument (bench/node.mjs BENCH_MEMORY_MIB).
const STREAM_CHUNKS = { '64m': 1024, '1g': 16 * Number(process.argv[4] ?? 1024) }[scenario] ?? 0;
const FRESH = scenario === '1g';
const TEXT = 'text/plain; charset=utf-8';
const BINARY = 'application/octet-stream';

function announce(url) {
  process.stdout.write(JSON.stringify({ url }) + '\n');
}
process.on('SIGTERM', () => process.exit(0));

const chunk = () => (FRESH ? new Uint8Array(64 * 1024) : KIB64);

/** Resolves on 'drain' or 'close', whichever comes first. */
function drainOrClose(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

// `Response` is looked up per request: @hono/node-server swaps in its own lighter global
// Response when its server starts, as it does for every app it serves.
function fetchHandler(responseClass) {
  if (scenario === 'hello') return () => new (responseClass())('Hello, World!', { headers: { 'content-type': TEXT } });
  if (scenario === '64k') return () => new (responseClass())(KIB64, { headers: { 'content-type': BINARY, 'content-length': String(KIB64.length) } });
  return () => {
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (sent++ < STREAM_CHUNKS) controller.enqueue(chunk());
        else controller.close();
      },
    }, { highWaterMark: 0 });
    return new (responseClass())(body, { headers: { 'content-type': BINARY } });
  };
}

switch (server) {
  case 'raw': {
    const http = createServer(async (req, res) => {
      if (scenario === 'hello') {
        // A string body, as Node users write hello world: Node sends it with the head in one write.
        res.writeHead(200, { 'content-type': TEXT, 'content-length': '13' });
        res.end('Hello, World!');
      } else if (scenario === '64k') {
        res.writeHead(200, { 'content-type': BINARY, 'content-length': String(KIB64.length) });
        res.end(KIB64);
      } else {
        res.writeHead(200, { 'content-type': BINARY });
        for (let i = 0; i < STREAM_CHUNKS && !res.destroyed; i++) {
          if (!res.write(chunk())) await drainOrClose(res);
        }
        res.end();
      }
    });
    http.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${http.address().port}/`));
    break;
  }
  case 'tsgi': {
    const { serve } = await import('@tsgi/adapters/node');
    const app =
      scenario === 'hello'
        ? (environ, startResponse) => {
            startResponse('200 OK', [['content-type', TEXT], ['content-length', '13']]);
            return [HELLO];
          }
        : scenario === '64k'
          ? (environ, startResponse) => {
              startResponse('200 OK', [['content-type', BINARY], ['content-length', '65536']]);
              return [KIB64];
            }
          : (environ, startResponse) => {
              startResponse('200 OK', [['content-type', BINARY]]);
              return (async function* () {
                for (let i = 0; i < STREAM_CHUNKS; i++) yield chunk();
              })();
            };
    const handle = await serve(app, { host: '127.0.0.1', port: 0, errors: { write() {}, flush() {} } });
    announce(handle.url + '/');
    break;
  }
  case 'hono': {
    const { serve } = await import('@hono/node-server');
    serve({ fetch: fetchHandler(() => globalThis.Response), port: 0, hostname: '127.0.0.1' }, (info) => announce(`http://127.0.0.1:${info.port}/`));
    break;
  }
  case 'srvx':
  case 'srvx-fast': {
    const srvx = await import('srvx');
    const handle = srvx.serve({
      fetch: fetchHandler(server === 'srvx-fast' ? () => srvx.FastResponse : () => globalThis.Response),
      port: 0,
      hostname: '127.0.0.1',
      silent: true,
    });
    await handle.ready();
    announce(new URL('/', handle.url).href);
    break;
  }
  default:
    console.error(`unknown server ${server}`);
    process.exit(2);
}
