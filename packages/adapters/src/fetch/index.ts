/**
 * `@tsgi/adapters/fetch`: tsgi on fetch runtimes (Cloudflare Workers, Deno, Bun, Vercel and
 * Netlify edge, Node's own fetch) and bridges both ways with fetch handlers such as Hono.
 */
export { toFetchHandler, type TsgiFetchHandler } from './to-fetch-handler.js';
export { fromFetchHandler, type FromFetchHandlerOptions } from './from-fetch-handler.js';
export { fetchHost } from './fetch-host.js';
export { requestDescriptionFromFetchRequest, type FetchRequestContext } from './request-description-from-fetch-request.js';
export { fetchRequestFromEnviron, fetchUrlFromEnviron } from './fetch-request-from-environ.js';
export { responseInitFromHead, headFromResponse, type ResponseHead } from './response-head.js';
export { splitFetchUrl, type FetchUrl } from './fetch-url.js';
export type { ClientAddress, FetchExecutionContext, FetchHandler, FetchHandlerContext, ToFetchHandlerOptions } from './types.js';
