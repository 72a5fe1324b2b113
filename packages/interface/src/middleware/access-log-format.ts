import type { HeaderList } from '../types.js';

/**
 * Access log lines in gunicorn's format language: `%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s
 * %(b)s "%(f)s" "%(a)s"`. The atoms are gunicorn's (and so Apache's, in another notation):
 *
 * | atom | value |
 * | --- | --- |
 * | `h` | remote address | `l` | `-` | `u` | user name from Basic auth, else `-` |
 * | `t` | time of the request, `[10/Oct/2000:13:55:36 -0700]` | `r` | request line |
 * | `m` | method | `U` | path without query | `q` | query string | `H` | protocol |
 * | `s` | status code | `B` | response body bytes | `b` | bytes, `-` for none |
 * | `f` | Referer | `a` | User-Agent | `T` | seconds | `M` | milliseconds |
 * | `D` | microseconds | `L` | seconds with decimals | `p` | `<pid>` |
 * | `{name}i` | request header | `{name}o` | response header | `{name}e` | environment variable |
 *
 * Missing values print as `-`. Text from the request is escaped (`"` and `\` with a
 * backslash, controls and non-ASCII bytes as `\xHH`), so no client can forge a log line.
 */

/** Everything a log line may show about one exchange; hosts and the middleware fill it in. */
export interface AccessLogRecord {
  remoteAddr?: string | undefined;
  method: string;
  /** The request target as received (path and query). */
  requestUri: string;
  /** The decoded path (SCRIPT_NAME + PATH_INFO). */
  path: string;
  query: string;
  protocol: string;
  /** The three-digit status code. */
  status: number;
  /** Response body bytes sent. */
  bytes: number;
  /** A request header by lower-case name, repeated fields joined. */
  requestHeader: (name: string) => string | undefined;
  responseHeaders: HeaderList;
  /** When the request started, milliseconds since the epoch. */
  startTime: number;
  /** How long the exchange took, in milliseconds (fractional). */
  durationMs: number;
}

export const COMMON_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s';
export const COMBINED_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"';

type Atom = (record: AccessLogRecord) => string;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

let cachedSecond = -1;
let cachedTime = '';

/** The Common Log Format time of `time`, in local time with its offset. */
export function formatLogTime(time: number): string {
  // Busy servers log many lines a second; the text changes once a second.
  const second = Math.floor(time / 1000);
  if (second === cachedSecond) return cachedTime;
  cachedSecond = second;
  cachedTime = logTimeText(time);
  return cachedTime;
}

function logTimeText(time: number): string {
  const date = new Date(time);
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `[${pad(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()}:` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}]`
  );
}

/** Escapes text for a log line, byte for byte (ByteStrings stay one escape per byte). */
export function escapeLogText(text: string): string {
  // Most values need nothing: scan once, copy only from the first byte that needs escaping.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code >= 0x7f || code === 0x22 || code === 0x5c) return escapeFrom(text, i);
  }
  return text;
}

function escapeFrom(text: string, from: number): string {
  let out = text.slice(0, from);
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22 || code === 0x5c) out += `\\${text[i]}`;
    else if (code < 0x20 || code >= 0x7f) out += `\\x${(code & 0xff).toString(16).padStart(2, '0')}`;
    else out += text[i];
  }
  return out;
}

const dash = (value: string | undefined) => (value === undefined || value === '' ? '-' : escapeLogText(value));

function basicUser(authorization: string | undefined): string | undefined {
  if (!authorization || !/^basic\s+/i.test(authorization)) return undefined;
  try {
    const decoded = atob(authorization.replace(/^basic\s+/i, '').trim());
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : decoded.slice(0, colon);
  } catch {
    return undefined;
  }
}

const ATOMS: Record<string, Atom> = {
  h: (r) => dash(r.remoteAddr),
  l: () => '-',
  u: (r) => dash(basicUser(r.requestHeader('authorization'))),
  t: (r) => formatLogTime(r.startTime),
  r: (r) => `${escapeLogText(r.method)} ${escapeLogText(r.requestUri)} ${escapeLogText(r.protocol)}`,
  m: (r) => escapeLogText(r.method),
  U: (r) => escapeLogText(r.path),
  q: (r) => escapeLogText(r.query),
  H: (r) => escapeLogText(r.protocol),
  s: (r) => String(r.status),
  B: (r) => String(r.bytes),
  b: (r) => (r.bytes > 0 ? String(r.bytes) : '-'),
  f: (r) => dash(r.requestHeader('referer')),
  a: (r) => dash(r.requestHeader('user-agent')),
  T: (r) => String(Math.floor(r.durationMs / 1000)),
  M: (r) => String(Math.floor(r.durationMs)),
  D: (r) => String(Math.floor(r.durationMs * 1000)),
  L: (r) => (r.durationMs / 1000).toFixed(6),
  p: () => `<${(globalThis as { process?: { pid?: number } }).process?.pid ?? '-'}>`,
};

/** A variable of the process environment; none where the runtime has none or forbids it (Deno without --allow-env). */
function environmentVariable(name: string): string | undefined {
  try {
    return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  } catch {
    return undefined;
  }
}

function headerAtom(name: string, kind: string): Atom | undefined {
  const lower = name.toLowerCase();
  if (kind === 'i') return (r) => dash(r.requestHeader(lower));
  if (kind === 'o') {
    return (r) => {
      const values = r.responseHeaders.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
      return dash(values.length ? values.join(', ') : undefined);
    };
  }
  if (kind === 'e') return () => dash(environmentVariable(name));
  return undefined;
}

/** `%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s`, in one template. */
function commonPrefix(r: AccessLogRecord): string {
  const authorization = r.requestHeader('authorization');
  const user = authorization === undefined ? '-' : dash(basicUser(authorization));
  return `${dash(r.remoteAddr)} - ${user} ${formatLogTime(r.startTime)} "${escapeLogText(r.method)} ${escapeLogText(r.requestUri)} ${escapeLogText(r.protocol)}" ${r.status} ${r.bytes > 0 ? r.bytes : '-'}`;
}

/**
 * Compiles a format once into a function from record to line (no trailing newline).
 * Throws a TypeError naming an unknown atom, so a typo fails at start-up.
 */
export function compileAccessLogFormat(format: string): (record: AccessLogRecord) => string {
  // The two standard formats, written out: one template instead of a call per atom.
  if (format === COMMON_LOG_FORMAT) return commonPrefix;
  if (format === COMBINED_LOG_FORMAT) return (r) => `${commonPrefix(r)} "${dash(r.requestHeader('referer'))}" "${dash(r.requestHeader('user-agent'))}"`;
  const parts: Array<string | Atom> = [];
  const pattern = /%\(([^)]*)\)s|%%/g;
  let last = 0;
  for (const match of format.matchAll(pattern)) {
    parts.push(format.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[0] === '%%') {
      parts.push('%');
      continue;
    }
    const name = match[1]!;
    const braced = /^\{([^}]+)\}([ioe])$/.exec(name);
    const atom = braced ? headerAtom(braced[1]!, braced[2]!) : ATOMS[name];
    if (!atom) throw new TypeError(`unknown access log atom %(${name})s in ${JSON.stringify(format)}`);
    parts.push(atom);
  }
  parts.push(format.slice(last));
  const pieces = parts.filter((part) => part !== '');
  return (record) => {
    let line = '';
    for (const piece of pieces) line += typeof piece === 'string' ? piece : piece(record);
    return line;
  };
}

/** One log line for `record` in `format`. */
export function formatAccessLog(format: string, record: AccessLogRecord): string {
  return compileAccessLogFormat(format)(record);
}
