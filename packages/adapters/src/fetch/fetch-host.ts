import type { HostInfo } from '@tsgi/interface';

/**
 * What the fetch host provides on every runtime (HOST-1, HOST-2). Not `raw-request-target`:
 * the runtime normalises `request.url` (FETCH-2). Not `remote-address`: a `Request` carries
 * no client address, and only some runtimes pass one (`clientAddress` option). Not the
 * trailer capabilities, `expect-continue` or `http2`: the runtime owns the connection.
 * `client-disconnect` holds because the runtime cancels the response stream (FETCH-7) or
 * aborts `request.signal`; `wait-until` because `tsgi.wait_until` reaches `ctx.waitUntil`
 * where the platform freezes isolates, and the process stays alive elsewhere.
 */
export const fetchHost: HostInfo = Object.freeze({
  name: '@tsgi/adapters/fetch',
  capabilities: Object.freeze(['streaming-request-body', 'streaming-response', 'client-disconnect', 'wait-until'] as const),
});
