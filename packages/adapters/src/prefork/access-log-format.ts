import { SettingsError, showValue } from './settings-error.js';

/**
 * gunicorn's access-log format strings (PF-9): Python `%`-formatting over named atoms,
 * `%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"`. The atoms and their
 * meaning follow gunicorn's documentation, so a deployer's format string carries over.
 */
export type LogFormatPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'atom'; readonly name: string };

/** gunicorn's default, the Apache "combined" log format. */
export const DEFAULT_ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"';

/** The single-letter atoms and what each means (also the `--help` text). */
export const ACCESS_LOG_ATOMS: Readonly<Record<string, string>> = {
  h: 'remote address',
  l: "'-'",
  u: 'user name (from Basic authorization)',
  t: 'date of the request',
  r: 'request line',
  m: 'request method',
  U: 'URL path without query',
  q: 'query string',
  H: 'protocol',
  s: 'status',
  B: 'response length',
  b: "response length or '-' (CLF)",
  f: 'referer',
  a: 'user agent',
  T: 'request time in seconds',
  M: 'request time in milliseconds',
  D: 'request time in microseconds',
  L: 'request time in decimal seconds',
  p: 'process id',
};

/** `{name}i` request header, `{name}o` response header, `{name}e` environment variable. */
const KEYED_ATOM = /^\{([^{}]+)\}([ioe])$/;

function atomError(format: string, why: string): SettingsError {
  return new SettingsError(`[PF-9] --access-logformat ${why}; got ${showValue(format)}`);
}

/** Parses a format string; unknown atoms and stray `%` are errors, not silent dashes. */
export function partsFromFormatString(format: string): LogFormatPart[] {
  const parts: LogFormatPart[] = [];
  let text = '';
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent < 0) {
      text += format.slice(i);
      break;
    }
    text += format.slice(i, percent);
    const next = format[percent + 1];
    if (next === '%') {
      text += '%';
      i = percent + 2;
      continue;
    }
    if (next !== '(') throw atomError(format, `must write a literal % as %% and atoms as %(name)s (at offset ${percent})`);
    const close = format.indexOf(')', percent + 2);
    if (close < 0 || format[close + 1] !== 's') {
      throw atomError(format, `must close each atom as %(name)s (at offset ${percent})`);
    }
    const name = format.slice(percent + 2, close);
    if (!(name in ACCESS_LOG_ATOMS) && !KEYED_ATOM.test(name)) {
      throw atomError(format, `names an unknown atom ${showValue(name)}; known: ${Object.keys(ACCESS_LOG_ATOMS).join(' ')} {header}i {header}o {variable}e`);
    }
    if (text) parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'atom', name });
    i = close + 2;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

/** Writes parts back as a format string that `partsFromFormatString` reads. */
export function formatStringFromParts(parts: readonly LogFormatPart[]): string {
  return parts.map((part) => (part.kind === 'text' ? part.text.replaceAll('%', '%%') : `%(${part.name})s`)).join('');
}

/** The atom's key for `{name}i|o|e` atoms, lower-cased as gunicorn does for headers. */
export function keyedAtom(name: string): { key: string; source: 'i' | 'o' | 'e' } | undefined {
  const match = KEYED_ATOM.exec(name);
  if (!match) return undefined;
  const source = match[2] as 'i' | 'o' | 'e';
  return { key: source === 'e' ? match[1]! : match[1]!.toLowerCase(), source };
}
