import { sendJson, sendText, utf8, type App, type Body, type Environ } from '@tsgi/interface';

/** What this isolate has seen, for the routes that report on earlier requests. */
const stats = { aborted: 0, released: 0, waited: 0, abortedAfterEnd: 0 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The CGI view of the request: what the platform gave the app. */
function describe(environ: Environ) {
  const env = environ['fetch.env'] as { GREETING?: string } | undefined;
  return {
    REQUEST_METHOD: environ.REQUEST_METHOD,
    SCRIPT_NAME: environ.SCRIPT_NAME,
    PATH_INFO: environ.PATH_INFO,
    QUERY_STRING: environ.QUERY_STRING,
    REQUEST_URI: environ.REQUEST_URI,
    SERVER_NAME: environ.SERVER_NAME,
    SERVER_PORT: environ.SERVER_PORT,
    SERVER_PROTOCOL: environ.SERVER_PROTOCOL,
    REMOTE_ADDR: environ.REMOTE_ADDR ?? null,
    headers: environ['tsgi.headers'],
    greeting: env?.GREETING ?? null,
  };
}

/** An endless body, one chunk every 10 ms; its `finally` runs when the host releases it. */
function ticker(): Body {
  return (async function* () {
    try {
      for (let i = 0; ; i++) {
        yield utf8(`tick ${i}\n`);
        await sleep(10);
      }
    } finally {
      stats.released++;
    }
  })();
}

/** Three chunks, a tick apart; counts a tsgi.signal that aborts after the body ended (HOST-21). */
function countdown(environ: Environ): Body {
  let ended = false;
  environ['tsgi.signal'].addEventListener('abort', () => {
    if (ended) stats.abortedAfterEnd++;
  });
  return (async function* () {
    for (let i = 3; i > 0; i--) {
      yield utf8(`${i}\n`);
      await sleep(1);
    }
    ended = true;
  })();
}

/** The request body, streamed back chunk by chunk as it arrives. */
function echo(environ: Environ): Body {
  return (async function* () {
    for await (const chunk of environ['tsgi.input']) yield chunk;
  })();
}

/** A small tsgi app that shows what a fetch runtime gives: the same code runs on every host. */
export const app: App = async (environ, startResponse) => {
  const path = environ.PATH_INFO;
  if (path === '/') {
    const env = environ['fetch.env'] as { GREETING?: string } | undefined;
    return sendText(startResponse, '200 OK', `${env?.GREETING ?? 'Hello'} from tsgi on Cloudflare Workers\n`);
  }
  if (path === '/inspect' || path.startsWith('/inspect/')) return sendJson(startResponse, '200 OK', describe(environ));
  if (path === '/echo' && environ.REQUEST_METHOD === 'POST') {
    startResponse('200 OK', [['content-type', environ.CONTENT_TYPE ?? 'application/octet-stream']]);
    return echo(environ);
  }
  if (path === '/ticker') {
    environ['tsgi.signal'].addEventListener('abort', () => void stats.aborted++);
    startResponse('200 OK', [['content-type', 'text/plain; charset=utf-8'], ['cache-control', 'no-store']]);
    return ticker();
  }
  if (path === '/countdown') {
    startResponse('200 OK', [['content-type', 'text/plain; charset=utf-8']]);
    return countdown(environ);
  }
  if (path === '/cookies') {
    return sendText(startResponse, '200 OK', 'two cookies\n', [
      ['set-cookie', 'session=abc; Path=/; HttpOnly'],
      ['set-cookie', 'theme=dark; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT'],
    ]);
  }
  if (path === '/later') {
    environ['tsgi.wait_until'](sleep(20).then(() => void stats.waited++));
    return sendText(startResponse, '202 Accepted', 'queued\n');
  }
  if (path === '/stats') return sendJson(startResponse, '200 OK', stats);
  if (path === '/fail') throw new Error('this message stays in the logs');
  return sendText(startResponse, '404 Not Found', 'not found\n');
};
