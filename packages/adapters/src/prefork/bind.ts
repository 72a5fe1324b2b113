import { SettingsError, showValue } from './settings-error.js';

/** Where workers accept connections: a TCP address, a Unix socket, or an inherited fd. */
export type Bind =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'fd'; readonly fd: number };

/** gunicorn's port when `--bind` names a host only. */
export const DEFAULT_PORT = 8000;

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
// An IPv6 literal, optionally with a zone (`fe80::1%eth0`); inet_pton decides the rest.
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[A-Za-z0-9_.-]+)?$/;
const PORT = /^\d{1,5}$/;

const EXPECTED = 'HOST:PORT, [IPV6]:PORT, HOST, unix:PATH or fd://N';

function bad(text: string, why = ''): SettingsError {
  return new SettingsError(`[PF-1] --bind must be ${EXPECTED}${why}; got ${showValue(text)}`);
}

function portFrom(text: string, whole: string): number {
  if (!PORT.test(text) || Number(text) > 65535) throw bad(whole, ', with a port from 0 to 65535');
  return Number(text);
}

/** Parses one `--bind` value the way gunicorn writes them. */
export function bindFromString(text: string): Bind {
  if (text.startsWith('unix:')) {
    const path = text.startsWith('unix://') ? text.slice('unix://'.length) : text.slice('unix:'.length);
    if (path === '' || path.includes('\0')) throw bad(text, ', with a non-empty socket path');
    return { kind: 'unix', path };
  }
  if (text.startsWith('fd://')) {
    const digits = text.slice('fd://'.length);
    if (!/^\d{1,9}$/.test(digits)) throw bad(text, ', with a file descriptor number');
    return { kind: 'fd', fd: Number(digits) };
  }
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    const host = close > 0 ? text.slice(1, close) : '';
    const rest = close > 0 ? text.slice(close + 1) : '';
    if (!IPV6.test(host) || (rest !== '' && !rest.startsWith(':'))) throw bad(text);
    return { kind: 'tcp', host, port: rest === '' ? DEFAULT_PORT : portFrom(rest.slice(1), text) };
  }
  const colon = text.lastIndexOf(':');
  if (colon !== text.indexOf(':')) throw bad(text, ' (write IPv6 addresses in brackets)');
  const host = colon < 0 ? text : text.slice(0, colon);
  if (!HOST_NAME.test(host)) throw bad(text);
  return { kind: 'tcp', host, port: colon < 0 ? DEFAULT_PORT : portFrom(text.slice(colon + 1), text) };
}

/** Writes a bind back in the form `bindFromString` reads (brackets around IPv6 hosts). */
export function stringFromBind(bind: Bind): string {
  switch (bind.kind) {
    case 'unix':
      // `unix://PATH` strips the slashes, so a path that starts with two needs the long form.
      return bind.path.startsWith('//') ? `unix://${bind.path}` : `unix:${bind.path}`;
    case 'fd':
      return `fd://${bind.fd}`;
    case 'tcp':
      return bind.host.includes(':') ? `[${bind.host}]:${bind.port}` : `${bind.host}:${bind.port}`;
  }
}

/** The URL a client would use for a bound TCP address (`http://[::1]:8000`). */
export function urlFromBind(bind: Bind, port: number, scheme: 'http' | 'https' = 'http'): string | undefined {
  if (bind.kind !== 'tcp') return undefined;
  const wildcard = bind.host === '0.0.0.0' ? '127.0.0.1' : bind.host === '::' ? '::1' : bind.host;
  const host = wildcard.includes(':') ? `[${wildcard}]` : wildcard;
  return `${scheme}://${host}:${port}`;
}
