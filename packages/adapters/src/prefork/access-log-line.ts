import { keyedAtom, partsFromFormatString } from './access-log-format.js';

/** What a worker knows about one finished request, for its access-log line. */
export interface AccessRecord {
  /** The environ the app was given (after trusted-proxy handling). */
  readonly environ: Readonly<Record<string, unknown>>;
  /** The status line (`"200 OK"`) or code the host sent. */
  readonly status: string | number;
  /** The headers the app started its response with, when the format asks for `{name}o`. */
  readonly responseHeaders?: ReadonlyArray<readonly [string, string]>;
  readonly bytesSent: number;
  readonly durationMs: number;
  /** Wall-clock time the request started, in ms since the epoch. */
  readonly startedAt: number;
  readonly pid: number;
}

type Render = (record: AccessRecord) => string;

/**
 * Escapes what a client controls so that one request stays one line and quotes stay
 * balanced: `"`, `\`, controls and bytes past ASCII become `\xHH`, as nginx writes them.
 * Environ values are ByteStrings (ENV-1), so each character is one byte.
 */
export function escapeLogValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/["\\\x00-\x1f\x7f-\uffff]/g, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff ? '?' : `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  });
}

function text(environ: AccessRecord['environ'], key: string): string {
  const value = environ[key];
  return typeof value === 'string' && value !== '' ? escapeLogValue(value) : '-';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** `[10/Oct/2000:13:55:36 -0700]` in local time, Apache's `%t`. */
export function clfDate(epochMs: number): string {
  const d = new Date(epochMs);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${two(Math.floor(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`;
  return `[${two(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${zone}]`;
}

function basicUser(environ: AccessRecord['environ']): string {
  const auth = environ.HTTP_AUTHORIZATION;
  if (typeof auth !== 'string' || !/^basic\s+/i.test(auth)) return '-';
  const decoded = Buffer.from(auth.replace(/^basic\s+/i, ''), 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  return colon > 0 ? escapeLogValue(decoded.slice(0, colon)) : '-';
}

function requestHeader(environ: AccessRecord['environ'], name: string): string {
  const list = environ['tsgi.headers'];
  if (!Array.isArray(list)) return '-';
  const values: string[] = [];
  for (const pair of list as ReadonlyArray<readonly [string, string]>) if (pair[0] === name) values.push(pair[1]);
  return values.length ? escapeLogValue(values.join(', ')) : '-';
}

function responseHeader(record: AccessRecord, name: string): string {
  const values = (record.responseHeaders ?? []).filter(([key]) => key.toLowerCase() === name).map(([, v]) => v);
  return values.length ? escapeLogValue(values.join(', ')) : '-';
}

const statusCode = (status: string | number): string => String(status).slice(0, 3);

const ATOMS: Readonly<Record<string, Render>> = {
  h: (r) => text(r.environ, 'REMOTE_ADDR'),
  l: () => '-',
  u: (r) => basicUser(r.environ),
  t: (r) => clfDate(r.startedAt),
  r: (r) => `${text(r.environ, 'REQUEST_METHOD')} ${text(r.environ, 'REQUEST_URI')} ${text(r.environ, 'SERVER_PROTOCOL')}`,
  m: (r) => text(r.environ, 'REQUEST_METHOD'),
  U: (r) => text(r.environ, 'PATH_INFO'),
  q: (r) => text(r.environ, 'QUERY_STRING'),
  H: (r) => text(r.environ, 'SERVER_PROTOCOL'),
  s: (r) => statusCode(r.status),
  B: (r) => String(r.bytesSent),
  b: (r) => (r.bytesSent > 0 ? String(r.bytesSent) : '-'),
  f: (r) => text(r.environ, 'HTTP_REFERER'),
  a: (r) => text(r.environ, 'HTTP_USER_AGENT'),
  T: (r) => String(Math.floor(r.durationMs / 1000)),
  M: (r) => String(Math.floor(r.durationMs)),
  D: (r) => String(Math.floor(r.durationMs * 1000)),
  L: (r) => (r.durationMs / 1000).toFixed(6),
  p: (r) => `<${r.pid}>`,
};

function renderAtom(name: string): Render {
  const direct = ATOMS[name];
  if (direct) return direct;
  const keyed = keyedAtom(name)!;
  if (keyed.source === 'i') return (r) => requestHeader(r.environ, keyed.key);
  if (keyed.source === 'o') return (r) => responseHeader(r, keyed.key);
  return () => {
    const value = process.env[keyed.key];
    return value ? escapeLogValue(value) : '-';
  };
}

/** A compiled format: parse once at startup, render one line (without newline) per request. */
export interface AccessLogFormatter {
  (record: AccessRecord): string;
  /** Whether some atom reads response headers (the worker only records them then). */
  readonly needsResponseHeaders: boolean;
}

export function compileAccessLogFormat(format: string): AccessLogFormatter {
  const parts = partsFromFormatString(format);
  const renders: Render[] = parts.map((part) => (part.kind === 'text' ? () => part.text : renderAtom(part.name)));
  const formatter = (record: AccessRecord): string => {
    let line = '';
    for (const render of renders) line += render(record);
    return line;
  };
  const needsResponseHeaders = parts.some((p) => p.kind === 'atom' && keyedAtom(p.name)?.source === 'o');
  return Object.assign(formatter, { needsResponseHeaders });
}
