import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builder } from './builder.js';
import { percentDecodeByteString } from './bytestring.js';
import { compose } from './compose.js';
import { callApp } from './memory-host.js';
import { mount, normalizePrefix, prefixMatches } from './mount.js';
import { sendJson } from './helpers.js';
import type { App, Environ, Middleware } from './types.js';

/** An app that answers with where it is mounted and what it was asked. */
const where =
  (name: string): App =>
  (environ, startResponse) =>
    sendJson(startResponse, '200 OK', { name, script: environ.SCRIPT_NAME, path: environ.PATH_INFO });

const segment = fc.stringMatching(/^[a-z%.]{1,4}$/);
const path = fc.array(segment, { maxLength: 4 }).map((s) => (s.length ? '/' + s.join('/') : ''));
const trailing = fc.constantFrom('', '/');

describe('mount', () => {
  it('MW-12, MW-13, MW-14: the longest segment-matching prefix wins and SCRIPT_NAME + PATH_INFO is unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(path.filter((p) => p !== ''), { maxLength: 4 }), path, trailing, async (prefixes, requested, slash) => {
        const apps: Record<string, App> = {};
        for (const p of prefixes) apps[p] = where(p);
        const target = requested + slash || '/';
        // Prefixes match the decoded path (PATH_INFO), not the wire form.
        const decoded = percentDecodeByteString(target);
        const body = JSON.parse((await callApp(mount(apps, where('fallback')), { target })).text());
        const expected = prefixes.filter((p) => prefixMatches(p, decoded)).sort((a, b) => b.length - a.length)[0];
        expect(body.name).toBe(expected ?? 'fallback');
        expect(body.script + body.path).toBe(decoded);
        if (expected) expect(body.script).toBe(expected);
      }),
      { examples: [[[], '/%aa', '']] },
    );
  });

  it('MW-12: "/api" matches "/api" and "/api/x", never "/apix"', () => {
    expect(prefixMatches('/api', '/api')).toBe(true);
    expect(prefixMatches('/api', '/api/x')).toBe(true);
    expect(prefixMatches('/api', '/apix')).toBe(false);
    expect(prefixMatches('', '/anything')).toBe(true);
  });

  it('MW-11: "" and "/" mean the root; other prefixes start with "/" and do not end with "/"', () => {
    expect(normalizePrefix('')).toBe('');
    expect(normalizePrefix('/')).toBe('');
    expect(normalizePrefix('/a/b')).toBe('/a/b');
    for (const bad of ['a', '/a/', 'a/', '//']) expect(() => normalizePrefix(bad), bad).toThrow(TypeError);
  });

  it('MW-15: no match and no fallback is a 404', async () => {
    const response = await callApp(mount({ '/a': where('a') }), { target: '/b' });
    expect(response.status).toBe('404 Not Found');
  });

  it('MW-14: the environ the mounted app sees is a new object; the received one is untouched', async () => {
    let outer: Environ | undefined;
    let inner: Environ | undefined;
    const spy: Middleware = (app) => (environ, sr) => {
      outer = environ;
      return app(environ, sr);
    };
    const app = spy(
      mount({
        '/a': (environ, sr) => {
          inner = environ;
          return where('a')(environ, sr);
        },
      }),
    );
    await callApp(app, { target: '/a/b' });
    expect(inner).not.toBe(outer);
    expect([outer!.SCRIPT_NAME, outer!.PATH_INFO]).toEqual(['', '/a/b']);
    expect([inner!.SCRIPT_NAME, inner!.PATH_INFO]).toEqual(['/a', '/b']);
  });
});

describe('compose and builder', () => {
  const tag =
    (name: string): Middleware =>
    (app) =>
    (environ, startResponse) =>
      app({ ...environ, 'test.trail': [...((environ['test.trail'] as string[]) ?? []), name] }, startResponse);
  const trail: App = (environ, startResponse) => sendJson(startResponse, '200 OK', environ['test.trail'] ?? []);

  it('MW-2: compose(a, b, c)(app) is a(b(c(app))): the first is outermost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.stringMatching(/^[a-z]{1,3}$/), { maxLength: 6 }), async (names) => {
        const response = await callApp(compose(...names.map(tag))(trail));
        expect(JSON.parse(response.text())).toEqual(names);
      }),
    );
  });

  it('MW-2, MW-13: builder applies middleware in order around its mounts', async () => {
    const app = builder().use(tag('outer')).use(tag('inner')).mount('/api', trail).run(where('root'));
    expect(JSON.parse((await callApp(app, { target: '/api/x' })).text())).toEqual(['outer', 'inner']);
    expect(JSON.parse((await callApp(app, { target: '/other' })).text()).name).toBe('root');
  });
});
