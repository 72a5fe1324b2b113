import { describe, expect, it } from 'vitest';
import { callApp } from './memory-host.js';
import type { App } from './types.js';

describe('callApp', () => {
  it('ENV-27: may run requests concurrently and the app again, and says so', async () => {
    let seen: unknown[] = [];
    const app: App = (environ, startResponse) => {
      seen = [environ['tsgi.multithread'], environ['tsgi.multiprocess'], environ['tsgi.run_once']];
      startResponse('200 OK', []);
      return [];
    };
    await callApp(app);
    expect(seen).toEqual([true, false, false]);
  });

  it('HOST-25, HOST-28: tsgi.wait_until takes any thenable and reports rejections to tsgi.errors', async () => {
    const results: unknown[] = [];
    const app: App = (environ, startResponse) => {
      const waitUntil = environ['tsgi.wait_until'];
      results.push(waitUntil({ then: (resolve: () => void) => resolve() } as unknown as Promise<void>));
      results.push(waitUntil(Promise.reject(new Error('background failure'))));
      startResponse('200 OK', []);
      return [];
    };
    const response = await callApp(app);
    expect(results).toEqual([undefined, undefined]);
    expect(response.errors).toContain('background failure');
  });
});
