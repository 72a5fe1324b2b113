import { MemoryErrorStream } from '@tsgi/interface';
import { toFetchHandler } from '@tsgi/adapters/fetch';
import { describe, it } from 'vitest';
import { createApp } from './app.js';
import { checkFlagship, type HostRequest, type HostResponse } from './host-checks.js';

describe('examples/flagship on the fetch host', () => {
  it('passes the flagship checks as a fetch handler', async () => {
    const handler = toFetchHandler(createApp(), { errors: new MemoryErrorStream() });
    await checkFlagship(async ({ method = 'GET', target, headers = [], body }: HostRequest): Promise<HostResponse> => {
      const response = await handler(new Request(new URL(target, 'https://flagship.example'), { method, headers, body: body as Uint8Array<ArrayBuffer> | undefined }));
      const pairs: Array<[string, string]> = [];
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') pairs.push([name, value]);
      });
      for (const cookie of response.headers.getSetCookie()) pairs.push(['set-cookie', cookie]);
      return { status: response.status, headers: pairs, body: new Uint8Array(await response.arrayBuffer()) };
    });
  });
});
