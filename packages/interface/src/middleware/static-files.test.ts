import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApp } from '../memory-host.js';
import { notFoundApp } from '../mount.js';
import { sendText } from '../helpers.js';
import { FileBody } from './file-body.js';
import { formatHttpDate } from './http-date.js';
import { staticFiles } from './static-files.js';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-ROOT';
let base: string;
let root: string;
const hello = 'hello, static world\n';
const big = Buffer.alloc(300_000, 'abcdefghij');
const mtime = new Date(Date.UTC(2024, 4, 1, 12, 0, 0));

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'tsgi-static-'));
  root = join(base, 'public');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(join(root, '.git'));
  mkdirSync(join(base, 'outside-dir'));
  mkdirSync(join(root, '%2e%2e'));
  writeFileSync(join(base, 'secret.txt'), SECRET);
  writeFileSync(join(base, 'outside-dir', 'x.txt'), SECRET);
  writeFileSync(join(root, 'hello.txt'), hello);
  writeFileSync(join(root, 'big.bin'), big);
  writeFileSync(join(root, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(root, 'sub', 'index.html'), '<h1>sub</h1>');
  writeFileSync(join(root, 'sub', 'page.css'), 'body{}');
  writeFileSync(join(root, 'café.txt'), 'unicode name');
  writeFileSync(join(root, '.env'), SECRET);
  writeFileSync(join(root, '.git', 'config'), SECRET);
  writeFileSync(join(root, '%2e%2e', 'secret.txt'), 'a folder literally named %2e%2e');
  symlinkSync(join(root, 'hello.txt'), join(root, 'link-inside'));
  symlinkSync(join(base, 'secret.txt'), join(root, 'link-outside'));
  symlinkSync(join(base, 'outside-dir'), join(root, 'link-dir-outside'));
  symlinkSync(join(root, '.env'), join(root, 'link-to-dotfile'));
  utimesSync(join(root, 'hello.txt'), mtime, mtime);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const serve = (options: Partial<Parameters<typeof staticFiles>[0]> = {}) => staticFiles({ root, ...options })(notFoundApp);

describe('staticFiles', () => {
  it('serves a file with type, length, validators and range support', async () => {
    const response = await callApp(serve(), { target: '/hello.txt' });
    expect(response.status).toBe('200 OK');
    expect(response.text()).toBe(hello);
    expect(response.header('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.header('content-length')).toBe(String(hello.length));
    expect(response.header('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(response.header('last-modified')).toBe(formatHttpDate(mtime));
    expect(response.header('accept-ranges')).toBe('bytes');
    expect(response.header('x-content-type-options')).toBe('nosniff');
  });

  it('streams a large file in chunks, not in one piece', async () => {
    const response = await callApp(serve({ chunkSize: 65536 }), { target: '/big.bin' });
    expect(response.body).toEqual(new Uint8Array(big));
    expect(response.chunks.length).toBe(Math.ceil(big.length / 65536));
    expect(response.header('content-type')).toBe('application/octet-stream');
  });

  it('serves index.html for a folder and redirects a folder without its slash', async () => {
    expect((await callApp(serve(), { target: '/' })).text()).toBe('<h1>home</h1>');
    expect((await callApp(serve(), { target: '/sub/' })).text()).toBe('<h1>sub</h1>');
    const moved = await callApp(serve(), { target: '/sub?x=1' });
    expect(moved.status).toBe('301 Moved Permanently');
    expect(moved.header('location')).toBe('/sub/?x=1');
    expect((await callApp(serve({ index: false }), { target: '/sub/' })).status).toBe('404 Not Found');
  });

  it('names UTF-8 files, and answers HEAD without a body', async () => {
    expect((await callApp(serve(), { target: '/caf%C3%A9.txt' })).text()).toBe('unicode name');
    const head = await callApp(serve(), { method: 'HEAD', target: '/hello.txt' });
    expect(head.header('content-length')).toBe(String(hello.length));
    expect(head.body.length).toBe(0);
  });

  it('passes other methods and missing files to the app below', async () => {
    const app = staticFiles({ root })((_e, s) => sendText(s, '200 OK', 'from the app'));
    expect((await callApp(app, { method: 'POST', target: '/hello.txt' })).text()).toBe('from the app');
    expect((await callApp(app, { target: '/missing.txt' })).text()).toBe('from the app');
  });

  it('answers 304 and 412 to conditional requests', async () => {
    const first = await callApp(serve(), { target: '/hello.txt' });
    const etag = first.header('etag')!;
    const notModified = await callApp(serve(), { target: '/hello.txt', headers: [['if-none-match', etag]] });
    expect(notModified.status).toBe('304 Not Modified');
    expect(notModified.body.length).toBe(0);
    expect(notModified.header('etag')).toBe(etag);
    expect((await callApp(serve(), { target: '/hello.txt', headers: [['if-modified-since', formatHttpDate(mtime)]] })).status).toBe('304 Not Modified');
    expect((await callApp(serve(), { target: '/hello.txt', headers: [['if-match', '"other"']] })).status).toBe('412 Precondition Failed');
  });

  it('answers one range with 206 and Content-Range', async () => {
    const response = await callApp(serve(), { target: '/hello.txt', headers: [['range', 'bytes=0-4']] });
    expect(response.status).toBe('206 Partial Content');
    expect(response.text()).toBe('hello');
    expect(response.header('content-range')).toBe(`bytes 0-4/${hello.length}`);
    expect(response.header('content-length')).toBe('5');
    const suffix = await callApp(serve(), { target: '/hello.txt', headers: [['range', 'bytes=-6']] });
    expect(suffix.text()).toBe('world\n');
  });

  it('answers several ranges as multipart/byteranges', async () => {
    const response = await callApp(serve(), { target: '/hello.txt', headers: [['range', 'bytes=0-4, 7-12']] });
    expect(response.status).toBe('206 Partial Content');
    const boundary = /boundary=(\S+)$/.exec(response.header('content-type')!)![1];
    expect(response.header('content-length')).toBe(String(response.body.length));
    expect(response.text()).toBe(
      `--${boundary}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-range: bytes 0-4/20\r\n\r\nhello` +
        `\r\n--${boundary}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-range: bytes 7-12/20\r\n\r\nstatic\r\n--${boundary}--\r\n`,
    );
  });

  it('answers 416 to an unsatisfiable range and ignores a malformed one', async () => {
    const response = await callApp(serve(), { target: '/hello.txt', headers: [['range', 'bytes=100-']] });
    expect(response.status).toBe('416 Range Not Satisfiable');
    expect(response.header('content-range')).toBe(`bytes */${hello.length}`);
    expect((await callApp(serve(), { target: '/hello.txt', headers: [['range', 'bytes=5-1']] })).status).toBe('200 OK');
    expect((await callApp(serve(), { target: '/hello.txt', headers: [['range', 'lines=1-2']] })).status).toBe('200 OK');
  });

  it('ignores Range when If-Range names another version', async () => {
    const stale = await callApp(serve(), { target: '/hello.txt', headers: [['range', 'bytes=0-4'], ['if-range', '"stale"']] });
    expect(stale.status).toBe('200 OK');
    const etag = (await callApp(serve(), { target: '/hello.txt' })).header('etag')!;
    expect((await callApp(serve(), { target: '/hello.txt', headers: [['range', 'bytes=0-4'], ['if-range', etag]] })).status).toBe('206 Partial Content');
    expect((await callApp(serve(), { target: '/hello.txt', headers: [['range', 'bytes=0-4'], ['if-range', formatHttpDate(mtime)]] })).status).toBe('206 Partial Content');
  });

  it('follows links inside the root, and outside only when allowed', async () => {
    expect((await callApp(serve(), { target: '/link-inside' })).text()).toBe(hello);
    expect((await callApp(serve(), { target: '/link-outside' })).status).toBe('404 Not Found');
    expect((await callApp(serve({ allowSymlinkEscape: true }), { target: '/link-outside' })).text()).toBe(SECRET);
  });

  it('hides dotfiles by default, refuses them with deny, serves them with allow', async () => {
    expect((await callApp(serve(), { target: '/.env' })).status).toBe('404 Not Found');
    expect((await callApp(serve({ dotfiles: 'deny' }), { target: '/.git/config' })).status).toBe('403 Forbidden');
    expect((await callApp(serve({ dotfiles: 'allow' }), { target: '/.env' })).text()).toBe(SECRET);
  });

  // The traversal corpus: every way we know to name a file outside the root, or a hidden one.
  const corpus = [
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/.%2e/secret.txt',
    '/sub/../../secret.txt',
    '/sub/%2e%2e/%2e%2e/secret.txt',
    '/..\\secret.txt',
    '/%5c..%5csecret.txt',
    '/..%5csecret.txt',
    '/sub%5c..%5c..%5csecret.txt',
    '/hello.txt%00.png',
    '/%00../secret.txt',
    '/..%00/secret.txt',
    '/%c0%ae%c0%ae/secret.txt',
    '/%e0%80%ae%e0%80%ae/secret.txt',
    '/%c0%af..%c0%afsecret.txt',
    '//../secret.txt',
    '/%2f..%2fsecret.txt',
    '/link-outside',
    '/link-dir-outside/x.txt',
    '/link-to-dotfile',
    '/.env',
    '/%2eenv',
    '/.git/config',
    '/%2egit/config',
    '/sub/../.env',
    '/...%2fsecret.txt',
    '/./../secret.txt',
  ];

  it.each(corpus)('never escapes the root or shows a dotfile: %s', async (target) => {
    const response = await callApp(serve(), { target });
    expect(response.text()).not.toContain(SECRET);
    expect(['404 Not Found', '400 Bad Request']).toContain(response.status);
  });

  it('never escapes through absolute paths', async () => {
    for (const target of [`/${join(base, 'secret.txt')}`, `/${encodeURIComponent(join(base, 'secret.txt'))}`, '/etc/passwd', '/%2fetc%2fpasswd', '/C:%5cWindows%5cwin.ini']) {
      const response = await callApp(serve(), { target });
      expect(response.text()).not.toContain(SECRET);
      expect(response.status).toBe('404 Not Found');
    }
  });

  it('treats a double-encoded dot segment as the literal folder name it is', async () => {
    expect((await callApp(serve(), { target: '/%252e%252e/secret.txt' })).text()).toBe('a folder literally named %2e%2e');
  });

  it('never escapes the root for any path built from dangerous pieces (property)', async () => {
    const piece = fc.constantFrom('..', '.', '%2e', '%2E%2e', '%2f', '%5c', '\\', '/', '//', 'secret.txt', 'sub', '%00', 'link-outside', 'link-dir-outside', '.env', 'x.txt', '%c0%ae', '%252e');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 8 }), async (pieces) => {
        const response = await callApp(serve(), { target: `/${pieces.join('')}` });
        expect(response.text()).not.toContain(SECRET);
      }),
      { numRuns: 150 },
    );
  });

  it('BODY-9: closes the file when the host releases the body early', async () => {
    const handle = await open(join(root, 'big.bin'));
    const body = new FileBody(handle, [{ start: 0, end: big.length - 1 }], 1000);
    const first = await body.next();
    expect(first.value).toEqual(new Uint8Array(big.subarray(0, 1000)));
    await body.return();
    await body.close();
    expect(handle.fd).toBe(-1);
    expect((await body.next()).done).toBe(true);
  });

  it('aborts the body when the file shrinks while being served', async () => {
    const path = join(base, 'shrinking.bin');
    writeFileSync(path, Buffer.alloc(10_000));
    const handle = await open(path);
    const body = new FileBody(handle, [{ start: 0, end: 9_999 }], 4096);
    await body.next();
    writeFileSync(path, Buffer.alloc(100));
    await expect(body.next()).rejects.toThrow(/changed while being served/);
    expect(handle.fd).toBe(-1);
  });

  it('refuses a missing root option', () => {
    expect(() => staticFiles({} as never)).toThrow(TypeError);
  });
});
