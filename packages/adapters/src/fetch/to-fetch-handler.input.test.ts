import { IncompleteBodyError, MemoryErrorStream, readBody, sendText, utf8, type App } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { toFetchHandler } from './to-fetch-handler.js';

/** A request body stream that counts how often the host pulled it. */
function countedBody(chunks: string[]) {
  let pulls = 0;
  let index = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulls++;
        if (index < chunks.length) controller.enqueue(utf8(chunks[index++]!));
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulls: () => pulls };
}

function post(body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}): Request {
  return new Request('http://example.test/upload', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

describe('toFetchHandler: tsgi.input', () => {
  it('INP-14: the request body is read from the Request only as the app reads tsgi.input', async () => {
    const { stream, pulls } = countedBody(['one,', 'two,', 'three']);
    const seen: number[] = [];
    const app: App = async (environ, startResponse) => {
      const input = environ['tsgi.input'];
      seen.push(pulls());
      const first = await input.read();
      seen.push(pulls());
      const rest = await readBody(environ);
      seen.push(pulls());
      return sendText(startResponse, '200 OK', new TextDecoder().decode(first) + '|' + new TextDecoder().decode(rest));
    };
    const response = await toFetchHandler(app)(post(stream));
    expect(await response.text()).toBe('one,|two,three');
    expect(seen[0]).toBe(0);
    expect(seen[1]).toBe(1);
  });

  it('INP-3, INP-9: EOF is signalled and never more than CONTENT_LENGTH is delivered', async () => {
    const app: App = async (environ, startResponse) => {
      const body = await readBody(environ);
      const eof = await environ['tsgi.input'].read();
      return sendText(startResponse, '200 OK', `${environ.CONTENT_LENGTH} ${body.length} ${eof.length}`);
    };
    const response = await toFetchHandler(app)(post('0123456789', { 'content-length': '10' }));
    expect(await response.text()).toBe('10 10 0');
  });

  it('INP-10: a body that ends before its Content-Length is an error, not a silent EOF', async () => {
    const { stream } = countedBody(['abc']);
    let failure: unknown;
    const app: App = async (environ, startResponse) => {
      try {
        await readBody(environ);
      } catch (error) {
        failure = error;
      }
      return sendText(startResponse, '200 OK', 'seen');
    };
    await (await toFetchHandler(app)(post(stream, { 'content-length': '10' }))).text();
    expect(failure).toBeInstanceOf(IncompleteBodyError);
    expect(failure).toMatchObject({ expected: 10, received: 3 });
  });

  it('INP-11, HOST-10: maxBodySize turns an oversized body into 413', async () => {
    const app: App = async (environ, startResponse) => {
      await readBody(environ);
      return sendText(startResponse, '200 OK', 'fits');
    };
    const handler = toFetchHandler(app, { maxBodySize: 8, errors: new MemoryErrorStream() });
    const { stream } = countedBody(['0123', '4567', '89']);
    expect((await handler(post(stream))).status).toBe(413);
    expect((await handler(post('0123456789', { 'content-length': '10' }))).status).toBe(413);
    expect(await (await handler(post('01234567'))).text()).toBe('fits');
  });

  it('INP-3: a GET without a body reads as empty at once', async () => {
    const app: App = async (environ, startResponse) => {
      const chunk = await environ['tsgi.input'].read();
      return sendText(startResponse, '200 OK', String(chunk.length));
    };
    expect(await (await toFetchHandler(app)(new Request('http://example.test/'))).text()).toBe('0');
  });
});
