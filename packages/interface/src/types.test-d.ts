// Type tests: compiled by `npm run typecheck` (tsc -b); each @ts-expect-error must be an error.
import type { App, Environ, HeaderList, HttpEnvironKey, Middleware, StartResponse, Status } from './types.js';

declare const environ: Environ;
declare const startResponse: StartResponse;

// Status is a template literal: "200 OK" passes, a bare code or a number does not.
const ok: Status = '200 OK';
// @ts-expect-error a status needs its reason phrase after a space
const bare: Status = '200';
// @ts-expect-error a status is a string, not a number
const numeric: Status = 200;

// HTTP_* keys are typed strings; lower-case ones are not HTTP_ keys.
const accept: string | undefined = environ.HTTP_ACCEPT;
const custom: string | undefined = environ['HTTP_X_REQUEST_ID'];
const key: HttpEnvironKey = 'HTTP_USER_AGENT';
// @ts-expect-error HTTP_ keys are upper case
const lower: HttpEnvironKey = 'HTTP_user_agent';

// tsgi.* entries carry their own types.
const version: readonly [1, 0] = environ['tsgi.version'];
const signal: AbortSignal = environ['tsgi.signal'];
const scheme: 'http' | 'https' = environ['tsgi.url_scheme'];
// @ts-expect-error tsgi.version is a tuple, not a string
const badVersion: string = environ['tsgi.version'];
// @ts-expect-error the CGI keys are strings
const port: number = environ.SERVER_PORT;

// Headers are pairs; a record of headers is not a HeaderList.
const headers: HeaderList = [['content-type', 'text/plain'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']];
// @ts-expect-error headers are [name, value] pairs, not an object
const record: HeaderList = { 'content-type': 'text/plain' };

// Apps return byte bodies; strings are not chunks.
const app: App = () => {
  startResponse('200 OK', headers);
  return [new Uint8Array(0)];
};
// @ts-expect-error a string is not a body of chunks
const stringApp: App = () => 'hello';
// @ts-expect-error an array of strings is not a body of chunks
const stringsApp: App = () => ['hello'];
const asyncApp: App = async () => (async function* () {
  yield new Uint8Array(1);
})();
const middleware: Middleware = (inner) => (e, sr) => inner({ ...e, 'auth.user': 'x' }, sr);

export { ok, bare, numeric, accept, custom, key, lower, version, signal, scheme, badVersion, port, record, app, stringApp, stringsApp, asyncApp, middleware };
