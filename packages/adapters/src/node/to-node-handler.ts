import type { App } from '@tsgi/interface';
import { NodeHandlerHost, type NodeRequest } from './node-handler-host.js';
import type { NodeHandlerOptions } from './node-options.js';
import type { NodeResponse } from './node-response-sink.js';

/** A `(req, res)` listener for `node:http`, `node:https` and `node:http2` (compatibility API) servers. */
export type NodeHandler = (req: NodeRequest, res: NodeResponse) => void;

/**
 * Serves `app` from any Node server (NODE-1): `http.createServer(toNodeHandler(app))`, a route
 * of an Express or Connect app, an `http2.createSecureServer` `'request'` listener.
 *
 * Headers already set on `res` by an enclosing stack stay unless the app sends the same
 * name. To answer `Expect: 100-continue` only when the app reads the body (INP-15), register
 * the handler for `'checkContinue'` too: `server.on('checkContinue', handler)`; otherwise
 * Node sends `100 Continue` before the handler runs.
 */
export function toNodeHandler(app: App, options?: NodeHandlerOptions): NodeHandler {
  const host = new NodeHandlerHost(app, options);
  return (req, res) => host.handle(req, res, false, false);
}
