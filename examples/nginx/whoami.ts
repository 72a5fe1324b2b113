import { sendJson, type App } from '@tsgi/interface';

/**
 * Answers with what the app sees of the client and of the URL it asked for. Deploy it once
 * behind the proxy to check the set-up: `remoteAddr` must be the client's address and
 * `scheme` the client's scheme, which happens only when `tsgi serve --forwarded-allow-ips`
 * names the proxy (HOST-33).
 */
export const app: App = (environ, startResponse) =>
  sendJson(startResponse, '200 OK', {
    remoteAddr: environ.REMOTE_ADDR ?? null,
    scheme: environ['tsgi.url_scheme'],
    host: environ.SERVER_NAME,
    port: environ.SERVER_PORT,
    forwardedFor: environ.HTTP_X_FORWARDED_FOR ?? null,
  });

export default app;
