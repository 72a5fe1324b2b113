import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBody, sendText, utf8 } from '../helpers.js';
import { callApp } from '../memory-host.js';
import type { App } from '../types.js';
import { bodyLimit } from './body-limit.js';
import { errorPages } from './error-pages.js';

let calls = 0;
const echo: App = async (environ, startResponse) => {
  calls++;
  const body = await readBody(environ, Number.MAX_SAFE_INTEGER);
  return sendText(startResponse, '200 OK', `got ${body.length}`);
};
const chunks = (sizes: number[]) => sizes.map((n) => new Uint8Array(n).fill(120));

describe('bodyLimit', () => {
  it('answers 413 to a declared Content-Length over the limit without calling the app', async () => {
    calls = 0;
    const response = await callApp(bodyLimit({ maxBytes: 10 })(echo), { method: 'POST', headers: [['content-length', '11']], body: new Uint8Array(11) });
    expect(response.status).toBe('413 Content Too Large');
    expect(calls).toBe(0);
  });

  it('answers 413 to a chunked body once the app reads past the limit', async () => {
    const response = await callApp(bodyLimit({ maxBytes: 10 })(echo), { method: 'POST', body: chunks([4, 4, 4]) });
    expect(response.status).toBe('413 Content Too Large');
  });

  it('lets bodies within the limit through, chunked or not', async () => {
    expect((await callApp(bodyLimit({ maxBytes: 10 })(echo), { method: 'POST', body: chunks([5, 5]) })).text()).toBe('got 10');
    expect((await callApp(bodyLimit({ maxBytes: 10 })(echo), { method: 'POST', headers: [['content-length', '10']], body: new Uint8Array(10) })).text()).toBe('got 10');
  });

  it('MW-8: rejects every read after the limit with code TSGI_INPUT_TOO_LARGE, and keeps the received environ', async () => {
    const codes: unknown[] = [];
    const app = bodyLimit({ maxBytes: 3 })(async (environ, startResponse) => {
      for (let i = 0; i < 3; i++) {
        await environ['tsgi.input'].read().catch((error: { code?: unknown }) => codes.push(error.code));
      }
      return sendText(startResponse, '200 OK', 'caught');
    });
    const response = await callApp(app, { method: 'POST', body: chunks([2, 2, 2]) });
    expect(response.text()).toBe('caught');
    expect(codes).toEqual(['TSGI_INPUT_TOO_LARGE', 'TSGI_INPUT_TOO_LARGE']);
    expect(response.environ!['tsgi.input']).not.toBe(undefined);
  });

  it('MW-8: keeps readLine, iteration and unread bytes after a break', async () => {
    const app = bodyLimit({ maxBytes: 100 })(async (environ, startResponse) => {
      const input = environ['tsgi.input'];
      const line = await input.readLine();
      let first: Uint8Array | undefined;
      for await (const chunk of input) {
        first = chunk;
        break;
      }
      const rest = await readBody(environ);
      return sendText(startResponse, '200 OK', `${new TextDecoder().decode(line)}|${first?.length}|${rest.length}`);
    });
    const response = await callApp(app, { method: 'POST', body: [utf8('line one\nabc'), utf8('defg')] });
    expect(response.text()).toBe('line one\n|3|4');
  });

  it('answers 413 whenever more than the limit arrives, and never otherwise (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(50), { maxLength: 6 }), fc.nat(150), fc.boolean(), async (sizes, limit, declare) => {
        const total = sizes.reduce((a, b) => a + b, 0);
        const headers: [string, string][] = declare ? [['content-length', String(total)]] : [];
        const response = await callApp(bodyLimit({ maxBytes: limit })(echo), { method: 'POST', headers, body: chunks(sizes) });
        expect(response.status).toBe(total > limit ? '413 Content Too Large' : '200 OK');
      }),
      { numRuns: 60 },
    );
  });

  it('leaves other errors to the layers above', async () => {
    const response = await callApp(errorPages()(bodyLimit({ maxBytes: 10 })(() => {
      throw new Error('unrelated');
    })));
    expect(response.status).toBe('500 Internal Server Error');
  });

  it('refuses a bad limit', () => {
    expect(() => bodyLimit({ maxBytes: -1 })).toThrow(TypeError);
    expect(() => bodyLimit({} as never)).toThrow(TypeError);
  });
});
