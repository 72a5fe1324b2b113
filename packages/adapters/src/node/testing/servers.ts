import { MemoryErrorStream, type App } from '@tsgi/interface';
import { afterEach } from 'vitest';
import { serve, type NodeServerHandle, type ServeOptions } from '../serve.js';

/**
 * A test file's `start(app, options?)`: serves `app` on a free loopback port, with
 * `tsgi.errors` kept in memory unless the options name one, and closes every server it
 * started after each test. Call it once, at the top of the file.
 */
export function serversClosedAfterEach(): (app: App, options?: ServeOptions) => Promise<NodeServerHandle> {
  const handles: NodeServerHandle[] = [];
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close({ timeout: 1000 })));
  });
  return async (app, options = {}) => {
    const handle = await serve(app, { port: 0, errors: new MemoryErrorStream(), ...options });
    handles.push(handle);
    return handle;
  };
}
