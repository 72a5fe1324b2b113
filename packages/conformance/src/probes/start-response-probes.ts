import type { HeaderList } from '@tsgi/interface';
import { countedBody, countedChunks } from './counted-body.js';
import { text, type Probe } from './probe.js';

const EMPTY = new Uint8Array(0);

/** Headers, then an empty chunk, then data only once the client has seen nothing (BODY-3, BODY-5). */
export const commitProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain'], ['x-probe', 'commit']]);
    return countedBody(c, async (pull) => {
      if (pull === 1) return EMPTY;
      if (pull === 2) {
        await c.gate('checked').promise;
        return text('committed now');
      }
      return undefined;
    });
  },
};

/** excInfo before the commit replaces the status and every header (SR-11, BODY-3). */
export const excInfoBeforeProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['x-old', 'kept?'], ['content-type', 'text/plain']]);
    return countedBody(c, (pull) => {
      if (pull === 1) return EMPTY;
      if (pull === 2) {
        try {
          throw new Error('probe failure');
        } catch (error) {
          try {
            startResponse('503 Probe Replaced', [['x-new', 'replaced'], ['content-type', 'text/plain']], error);
            c.notes.threw = false;
          } catch (thrown) {
            c.notes.threw = thrown;
          }
        }
        return text('replaced');
      }
      return undefined;
    });
  },
};

/** excInfo after the commit must throw excInfo itself (SR-12). */
export const excInfoAfterProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedBody(c, (pull) => {
      if (pull === 1) return text('first;');
      if (pull === 2) {
        const error = new Error('late failure');
        try {
          startResponse('500 Internal Server Error', [], error);
          c.notes.rethrown = 'returned';
        } catch (thrown) {
          c.notes.rethrown = thrown === error ? 'same' : thrown;
        }
        return text('second');
      }
      return undefined;
    });
  },
};

/** A second call without excInfo must throw and leave the first status (SR-10). Breaks SR-9 on purpose. */
export const twiceProbe: Probe = {
  breaksAppRules: true,
  run(_environ, startResponse, c) {
    startResponse('201 First Call', [['x-first', '1'], ['content-type', 'text/plain']]);
    try {
      startResponse('404 Second Call', [['x-second', '1']]);
      c.notes.threw = false;
    } catch (error) {
      c.notes.threw = error instanceof Error ? true : error;
    }
    return countedChunks(c, [text('twice')]);
  },
};

/** startResponse during release must throw (SR-13). */
export const afterEndProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('ended')], {
      close: () => {
        try {
          startResponse('500 Too Late', [], new Error('after the end'));
          c.notes.threw = false;
        } catch (error) {
          c.notes.threw = error instanceof Error ? true : error;
        }
      },
    });
  },
};

/** The host copies what it is given and changes none of it (SR-14). */
export const copyProbe: Probe = {
  run(_environ, startResponse, c) {
    const headers: HeaderList = [['x-copy', 'original'], ['content-type', 'text/plain']];
    const snapshot = JSON.stringify(headers);
    startResponse('200 OK', headers);
    return countedBody(c, (pull) => {
      if (pull === 1) {
        c.notes.changedByHost = JSON.stringify(headers) !== snapshot;
        headers[0]![1] = 'changed';
        headers.push(['x-added', 'late']);
        return EMPTY;
      }
      if (pull === 2) return text('copied');
      return undefined;
    });
  },
};

/** A status with CR LF: the host must answer 500 and put none of it on the wire (SR-15). */
export const invalidStatusProbe: Probe = {
  breaksAppRules: true,
  run(_environ, startResponse, c) {
    try {
      startResponse('200 OK\r\nX-Injected: status' as '200 OK', [['content-type', 'text/plain']]);
    } catch (error) {
      c.notes.threw = error;
    }
    return countedChunks(c, [text('invalid status')]);
  },
};

/** A header value with CR LF (SR-15). */
export const invalidHeaderProbe: Probe = {
  breaksAppRules: true,
  run(_environ, startResponse, c) {
    try {
      startResponse('200 OK', [['x-bad', 'a\r\nX-Injected: header'], ['content-type', 'text/plain']]);
    } catch (error) {
      c.notes.threw = error;
    }
    return countedChunks(c, [text('invalid header')]);
  },
};

export const HOP_TOKEN = 'x-tsgi-probe-token';

/** Hop-by-hop headers from the app: dropped, and a warning to tsgi.errors (HOST-16). */
export const hopByHopProbe: Probe = {
  breaksAppRules: true,
  run(_environ, startResponse, c) {
    startResponse('200 OK', [
      ['Connection', HOP_TOKEN],
      ['Keep-Alive', 'timeout=987'],
      ['Upgrade', 'tsgi-probe/1'],
      ['x-ok', '1'],
      ['content-type', 'text/plain'],
    ]);
    return countedChunks(c, [text('hop')]);
  },
};

export const PROBE_DATE = 'Mon, 01 Jan 2001 00:00:00 GMT';

/** Date, Server and Content-Length from the app: the host adds none of its own (HOST-19). */
export const ownHeadersProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('200 OK', [['Date', PROBE_DATE], ['Server', 'tsgi-probe'], ['Content-Length', '2'], ['content-type', 'text/plain']]);
    return countedChunks(c, [text('ok')]);
  },
};

/** A reason phrase of the app's choosing, sent as is (HOST-20). */
export const reasonProbe: Probe = {
  run(_environ, startResponse, c) {
    startResponse('299 Probe\tReason  Phrase!', [['content-type', 'text/plain']]);
    return countedChunks(c, [text('reason')]);
  },
};
