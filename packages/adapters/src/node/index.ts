export { serve, type ServeOptions, type NodeServerHandle } from './serve.js';
export { toNodeHandler, type NodeHandler } from './to-node-handler.js';
export { fromNodeHandler, type NodeRequestListener } from './from-node-handler.js';
export { nodeHost, nodeHttp2Host } from './node-host.js';
export type { NodeRequest } from './node-handler-host.js';
export type { NodeResponse } from './node-response-sink.js';
export type { NodeHandlerOptions, NodeLimits, ResponseInfo, TrustedProxies } from './node-options.js';
export { requestDescriptionFromNode, type NodeRequestLike, type NodeSocketLike } from './request-description-from-node.js';
