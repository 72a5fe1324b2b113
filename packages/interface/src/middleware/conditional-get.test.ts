import { describe, expect, it } from 'vitest';
import { sendText, utf8 } from '../helpers.js';
import { callApp } from '../memory-host.js';
import type { App, HeaderList } from '../types.js';
import { conditionalGet, etagOf } from './conditional-get.js';
import { formatHttpDate } from './http-date.js';

const modified = Date.UTC(2024, 0, 1);
const events: string[] = [];
const page = (extra: HeaderList = []): App => (_environ, startResponse) => {
  startResponse('200 OK', [['content-type', 'text/plain'], ['content-length', '5'], ['etag', '"v1"'], ['last-modified', formatHttpDate(modified)], ['cache-control', 'max-age=60'], ['set-cookie', 'a=1'], ...extra]);
  return Object.assign([utf8('hello')], { close: () => void events.push('close') });
};

describe('conditionalGet', () => {
  it.each<[string, [string, string][], string]>([
    ['a matching If-None-Match', [['if-none-match', '"v0", "v1"']], '304 Not Modified'],
    ['a weak If-None-Match', [['if-none-match', 'W/"v1"']], '304 Not Modified'],
    ['If-None-Match: *', [['if-none-match', '*']], '304 Not Modified'],
    ['another If-None-Match', [['if-none-match', '"v2"']], '200 OK'],
    ['a later If-Modified-Since', [['if-modified-since', formatHttpDate(modified + 5000)]], '304 Not Modified'],
    ['the same If-Modified-Since', [['if-modified-since', formatHttpDate(modified)]], '304 Not Modified'],
    ['an earlier If-Modified-Since', [['if-modified-since', formatHttpDate(modified - 1000)]], '200 OK'],
    ['an unparsable If-Modified-Since', [['if-modified-since', 'yesterday']], '200 OK'],
    ['If-None-Match over If-Modified-Since', [['if-none-match', '"v2"'], ['if-modified-since', formatHttpDate(modified)]], '200 OK'],
    ['a failing If-Match', [['if-match', '"v2"']], '412 Precondition Failed'],
    ['a weak If-Match (strong comparison)', [['if-match', 'W/"v1"']], '412 Precondition Failed'],
    ['a passing If-Match', [['if-match', '"v1"']], '200 OK'],
    ['a failing If-Unmodified-Since', [['if-unmodified-since', formatHttpDate(modified - 1000)]], '412 Precondition Failed'],
  ])('answers %s with %s', async (_name, headers, status) => {
    events.length = 0;
    const response = await callApp(conditionalGet()(page()), { headers });
    expect(response.status).toBe(status);
    expect(events).toEqual(['close']);
    if (status !== '200 OK') expect(response.body.length).toBe(0);
  });

  it('keeps the cache fields and cookies of the 200 in the 304, not its content fields', async () => {
    const response = await callApp(conditionalGet()(page()), { headers: [['if-none-match', '"v1"']] });
    expect(response.headers).toEqual([['etag', '"v1"'], ['last-modified', formatHttpDate(modified)], ['cache-control', 'max-age=60'], ['set-cookie', 'a=1']]);
  });

  it('judges only 200 answers to GET and HEAD', async () => {
    const created: App = (_e, s) => sendText(s, '201 Created', 'x', [['etag', '"v1"']]);
    expect((await callApp(conditionalGet()(created), { headers: [['if-none-match', '"v1"']] })).status).toBe('201 Created');
    expect((await callApp(conditionalGet()(page()), { method: 'POST', headers: [['if-none-match', '"v1"']] })).status).toBe('200 OK');
    expect((await callApp(conditionalGet()(page()), { method: 'HEAD', headers: [['if-none-match', '"v1"']] })).status).toBe('304 Not Modified');
  });

  it('computes a weak ETag for array bodies when asked, and answers 304 to it', async () => {
    const app = conditionalGet({ etag: true })((_e, s) => sendText(s, '200 OK', 'same bytes'));
    const first = await callApp(app);
    expect(first.header('etag')).toBe(etagOf([utf8('same bytes')]));
    expect(first.header('etag')).toMatch(/^W\/"a-[0-9a-f]{16}"$/);
    const second = await callApp(app, { headers: [['if-none-match', first.header('etag')!]] });
    expect(second.status).toBe('304 Not Modified');
    expect(etagOf([utf8('other bytes')])).not.toBe(first.header('etag'));
  });

  it('MW-6: decides when a streamed body starts its response lazily, and stops it', async () => {
    const log: string[] = [];
    const app = conditionalGet()((_environ, startResponse) =>
      (async function* () {
        try {
          startResponse('200 OK', [['etag', '"v1"']]);
          yield utf8('a');
          log.push('second chunk pulled');
          yield utf8('b');
        } finally {
          log.push('finally');
        }
      })(),
    );
    const response = await callApp(app, { headers: [['if-none-match', '"v1"']] });
    expect(response.status).toBe('304 Not Modified');
    expect(response.errors).toBe('');
    expect(log).toEqual(['finally']);
  });

  it('refuses a second startResponse without excInfo before it forwards', async () => {
    const app = conditionalGet()((_environ, startResponse) => {
      startResponse('200 OK', []);
      startResponse('200 OK', []);
      return [];
    });
    const response = await callApp(app, { headers: [['if-none-match', '"v1"']] });
    expect(response.status).toBe('500 Internal Server Error');
    expect(response.errors).toContain('SR-10');
  });

  it('passes through requests without preconditions untouched', async () => {
    const inner = page();
    const response = await callApp(conditionalGet()(inner));
    expect(response.status).toBe('200 OK');
    expect(response.text()).toBe('hello');
  });
});
