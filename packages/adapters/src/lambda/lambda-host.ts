import type { HostInfo } from '@tsgi/interface';

/**
 * What the buffered Lambda host provides for every request (HOST-1, HOST-2): `wait-until`,
 * since the invocation ends only when the work passed to `tsgi.wait_until` has settled
 * (LAMBDA-19). Not `remote-address` (VPC Lattice events name no client), not
 * `streaming-response` (the result is one JSON document), and none of the transport
 * capabilities: Lambda delivers the whole request as one event and owns the connection.
 */
export const lambdaHost: HostInfo = /* @__PURE__ */ Object.freeze({
  name: '@tsgi/adapters/lambda',
  capabilities: Object.freeze(['wait-until'] as const),
});

/** The streaming Lambda host (`toStreamingLambdaHandler`): the buffered host's capabilities and `streaming-response` (LAMBDA-20). */
export const lambdaStreamingHost: HostInfo = /* @__PURE__ */ Object.freeze({
  name: '@tsgi/adapters/lambda (streaming)',
  capabilities: Object.freeze(['streaming-response', 'wait-until'] as const),
});
