import type { Capability, HostInfo } from '@tsgi/interface';

const CAPABILITIES: readonly Capability[] = Object.freeze([
  'streaming-request-body',
  'streaming-response',
  'request-trailers',
  'remote-address',
  'client-disconnect',
  'wait-until',
  'expect-continue',
  'raw-request-target',
]);

/**
 * What the Node host can do for every request it serves over HTTP/1.x (HOST-1, HOST-2).
 * Request trailers are on the `node.request` escape hatch (`req.trailers` once the body has
 * been read). Response trailers are not offered: tsgi 1.0 has no interface for them and
 * the Node host exposes no response object.
 */
export const nodeHost: HostInfo = Object.freeze({ name: 'node', capabilities: CAPABILITIES });

/** The Node host serving with `node:http2` (and HTTP/1.1 fallback): `nodeHost` plus `http2`. */
export const nodeHttp2Host: HostInfo = Object.freeze({
  name: 'node',
  capabilities: Object.freeze([...CAPABILITIES, 'http2' as const]),
});
