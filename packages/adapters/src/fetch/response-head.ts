import { isHopByHop, isValidStatus, ProtocolError, statusCode, type HeaderList, type Status } from '@tsgi/interface';
import { reasonPhrase } from '../shared/reason-phrase.js';

/** The status line and header list of a response, as tsgi carries them. */
export interface ResponseHead {
  status: Status;
  headers: HeaderList;
}

/**
 * The `ResponseInit` for a tsgi status and header list (FETCH-9): `statusText` is the app's
 * reason phrase (workerd sends it on the wire; Deno and Bun send the standard phrase), and
 * the `Response` constructor appends the fields one by one, so each `Set-Cookie` stays its
 * own field.
 */
export function responseInitFromHead(status: Status, headers: HeaderList): ResponseInit {
  return { status: statusCode(status), statusText: status.slice(4), headers: headersInit(headers) };
}

/**
 * The header list as a record when that says the same: Bun and Deno build a `Response` from
 * a record faster than from a list. A name given twice keeps the list (each field its own,
 * in order), and so does a name a record would reorder (an integer-like one) or not hold
 * (`__proto__`).
 */
function headersInit(headers: HeaderList): HeadersInit {
  const count = headers.length;
  if (count > 16) return headers;
  const record: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const pair = headers[i]!;
    const name = pair[0];
    const first = name.charCodeAt(0);
    if ((first >= 48 && first <= 57) || name === '__proto__') return headers;
    for (let j = 0; j < i; j++) if (headers[j]![0] === name) return headers;
    record[name] = pair[1];
  }
  return record;
}

/**
 * The tsgi status and header list of a fetch `Response`: the reason phrase is
 * `statusText`, or the standard phrase when the runtime gave none; `Set-Cookie` values come
 * from `getSetCookie()`, one pair each. Hop-by-hop fields describe the connection the
 * Response came over, not this one, so they are left out (HOST-16 would drop them anyway).
 */
export function headFromResponse(response: Response): ResponseHead {
  const code = response.status;
  const status = `${code} ${response.statusText || reasonPhrase(code)}`;
  if (!isValidStatus(status)) {
    throw new ProtocolError('FETCH-12', `the fetch handler's response must have a status 200-599; got ${code}`);
  }
  const headers: HeaderList = [];
  let cookiesDone = false;
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') {
      // Iteration splits Set-Cookie on current runtimes, get() joins it on older ones:
      // getSetCookie() is the one form that is right on both.
      if (cookiesDone) return;
      cookiesDone = true;
      for (const cookie of response.headers.getSetCookie()) headers.push(['set-cookie', cookie]);
    } else if (!isHopByHop(name)) headers.push([name, value]);
  });
  return { status, headers };
}
