import { sendJson, sendText, utf8, type App } from '@tsgi/interface';

/**
 * An existing tsgi app: it knows nothing of Hono. It routes on PATH_INFO, so it works
 * wherever it is mounted, and reports SCRIPT_NAME so you can see where that is.
 */
export const legacyApp: App = async (environ, startResponse) => {
  const path = environ.PATH_INFO;
  if (path === '/hello') return sendText(startResponse, '200 OK', 'Hello from the tsgi app\n');
  if (path === '/where') {
    return sendJson(startResponse, '200 OK', {
      SCRIPT_NAME: environ.SCRIPT_NAME,
      PATH_INFO: environ.PATH_INFO,
      REQUEST_URI: environ.REQUEST_URI,
      QUERY_STRING: environ.QUERY_STRING,
    });
  }
  if (path === '/count' && environ.REQUEST_METHOD === 'POST') {
    // Reads the body as it streams in: nothing is buffered beyond one chunk.
    let bytes = 0;
    for await (const chunk of environ['tsgi.input']) bytes += chunk.length;
    return sendJson(startResponse, '200 OK', { bytes });
  }
  if (path === '/countdown') {
    startResponse('200 OK', [['content-type', 'text/plain; charset=utf-8']]);
    return (async function* () {
      for (let i = 3; i > 0; i--) yield utf8(`${i}\n`);
      yield utf8('liftoff\n');
    })();
  }
  return sendText(startResponse, '404 Not Found', 'the tsgi app has no such page\n');
};
