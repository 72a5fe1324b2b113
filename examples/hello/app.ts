import { decodeByteStringUtf8, sendText, type App } from '@tsgi/interface';

/**
 * Greets whoever the path names: `GET /world` answers `Hello, world!`. PATH_INFO is a
 * ByteString (one character per byte), so a UTF-8 name is decoded before use.
 */
export const app: App = (environ, startResponse) => {
  if (environ.REQUEST_METHOD !== 'GET' && environ.REQUEST_METHOD !== 'HEAD') {
    return sendText(startResponse, '405 Method Not Allowed', 'Method Not Allowed\n', [['allow', 'GET, HEAD']]);
  }
  const name = decodeByteStringUtf8(environ.PATH_INFO.slice(1));
  if (name === undefined) return sendText(startResponse, '400 Bad Request', 'The path is not valid UTF-8.\n');
  return sendText(startResponse, '200 OK', `Hello, ${name || 'tsgi'}!\n`);
};

export default app;
