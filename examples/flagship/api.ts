import { readBody, requestUrl, sendJson, type Body, type Environ, type StartResponse, type Status } from '@tsgi/interface';
import { NewsStore } from './news-store.js';
import { router } from './router.js';

const NUMBER = /^-?\d+(?:\.\d+)?$/;
const ID = /^[1-9]\d{0,8}$/;
const MAX_PER_PAGE = 50;

const fail = (startResponse: StartResponse, status: Status, message: string): Body => sendJson(startResponse, status, { status: 'error', message });

/** The query string as name → first value (`a=5&b=6`), `+` and percent escapes decoded. */
function query(environ: Environ): URLSearchParams {
  return new URLSearchParams(environ.QUERY_STRING);
}

/** A request body sent as JSON or as an HTML form, as one flat record of strings. */
async function readForm(environ: Environ): Promise<Record<string, unknown> | 'unsupported' | 'malformed'> {
  const type = (environ.CONTENT_TYPE ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') return 'unsupported';
  const text = new TextDecoder('utf-8', { fatal: true }).decode(await readBody(environ, 16 * 1024));
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : 'malformed';
  } catch {
    return 'malformed';
  }
}

/**
 * The flagship JSON API, bare (no middleware):
 *
 * - `GET /add?a=5&b=6` → `{"status":"OK","sum":11}`
 * - `GET /news?page=2&per_page=5` → one page of stories, with `Link` to the next and previous
 * - `GET /news/:id` → one story
 * - `POST /like` with `id=3` (form) or `{"id":3}` (JSON) → the story with its new like count
 */
export function createApi(store = new NewsStore()) {
  return router()
    .get('/', (_environ, startResponse) =>
      sendJson(startResponse, '200 OK', { status: 'OK', endpoints: ['GET /add?a=&b=', 'GET /news?page=&per_page=', 'GET /news/:id', 'POST /like'] }),
    )
    .get('/add', (environ, startResponse) => {
      const params = query(environ);
      const a = params.get('a');
      const b = params.get('b');
      if (a === null || b === null || !NUMBER.test(a) || !NUMBER.test(b)) {
        return fail(startResponse, '400 Bad Request', 'a and b must be decimal numbers: /add?a=5&b=6');
      }
      return sendJson(startResponse, '200 OK', { status: 'OK', sum: Number(a) + Number(b) });
    })
    .get('/news', (environ, startResponse) => {
      const params = query(environ);
      const page = Number(params.get('page') ?? '1');
      const perPage = Number(params.get('per_page') ?? '10');
      if (!Number.isSafeInteger(page) || page < 1 || !Number.isSafeInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
        return fail(startResponse, '400 Bad Request', `page must be 1 or more, per_page 1 to ${MAX_PER_PAGE}`);
      }
      const pages = Math.max(1, Math.ceil(store.size / perPage));
      const items = store.page((page - 1) * perPage, perPage);
      const link = (to: number) => {
        const url = requestUrl(environ);
        url.search = `?page=${to}&per_page=${perPage}`;
        return url.href;
      };
      const links: string[] = [];
      if (page < pages) links.push(`<${link(page + 1)}>; rel="next"`);
      if (page > 1) links.push(`<${link(Math.min(page - 1, pages))}>; rel="prev"`);
      return sendJson(
        startResponse,
        '200 OK',
        { status: 'OK', page, per_page: perPage, pages, total: store.size, items },
        links.length ? [['link', links.join(', ')]] : [],
      );
    })
    .get('/news/:id', (_environ, startResponse, params) => {
      const story = ID.test(params.id!) ? store.get(Number(params.id)) : undefined;
      if (!story) return fail(startResponse, '404 Not Found', `no story ${params.id}`);
      return sendJson(startResponse, '200 OK', { status: 'OK', story });
    })
    .post('/like', async (environ, startResponse) => {
      const form = await readForm(environ);
      if (form === 'unsupported') return fail(startResponse, '415 Unsupported Media Type', 'send application/json or application/x-www-form-urlencoded');
      if (form === 'malformed') return fail(startResponse, '400 Bad Request', 'the body must be a JSON object');
      const id = String(form.id ?? '');
      if (!ID.test(id)) return fail(startResponse, '400 Bad Request', 'id must name a story: {"id": 3} or id=3');
      const story = store.like(Number(id));
      if (!story) return fail(startResponse, '404 Not Found', `no story ${id}`);
      return sendJson(startResponse, '200 OK', { status: 'OK', story });
    }).app;
}
