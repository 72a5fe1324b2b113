import { readBody, sendJson, sendText, utf8, type App } from '@tsgi/interface';

/**
 * A small API that shows what the Lambda host keeps: the path and query as the client sent
 * them, repeated headers, several cookies, binary bodies, a streamed body and background
 * work that finishes before the invocation ends.
 */
export const app: App = async (environ, startResponse) => {
  const path = environ.PATH_INFO;
  const requestId = environ['lambda.context']?.awsRequestId ?? 'local';

  if (path === '/' || path === '') {
    return sendText(startResponse, '200 OK', 'Hello from tsgi on Lambda\n', [['x-request-id', requestId]]);
  }

  if (path === '/request') {
    // What the host made of the event: handy when wiring a new event source.
    return sendJson(startResponse, '200 OK', {
      method: environ.REQUEST_METHOD,
      scriptName: environ.SCRIPT_NAME,
      pathInfo: environ.PATH_INFO,
      query: environ.QUERY_STRING,
      client: environ.REMOTE_ADDR ?? null,
      headers: environ['tsgi.headers'],
    });
  }

  if (path === '/login') {
    // Two cookies: every event source gets both (ALB single-value mode included).
    return sendText(startResponse, '200 OK', 'signed in\n', [
      ['set-cookie', 'session=abc123; Path=/; HttpOnly; Secure'],
      ['set-cookie', 'theme=dark; Path=/; Max-Age=31536000'],
    ]);
  }

  if (path === '/echo' && environ.REQUEST_METHOD === 'POST') {
    const body = await readBody(environ, 1024 * 1024);
    startResponse('200 OK', [['content-type', environ.CONTENT_TYPE ?? 'application/octet-stream']]);
    return [body];
  }

  if (path === '/count') {
    // Streamed by the streaming handler, one line every 100 ms; buffered elsewhere.
    startResponse('200 OK', [['content-type', 'text/plain; charset=utf-8']]);
    return (async function* () {
      for (let i = 1; i <= 5; i++) {
        yield utf8(`${i}\n`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
  }

  if (path === '/audit') {
    // Finishes before the invocation ends: after the response when streamed, before it when buffered.
    environ['tsgi.wait_until'](
      new Promise((resolve) => setTimeout(resolve, 50)).then(() => environ['tsgi.errors'].write(`audit written for ${requestId}\n`)),
    );
    return sendText(startResponse, '202 Accepted', 'accepted\n');
  }

  return sendText(startResponse, '404 Not Found', 'Not Found\n');
};
