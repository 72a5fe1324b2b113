/**
 * The authority of a request (`Host` header, HTTP/2 `:authority`, or the authority of an
 * absolute-form target) as `SERVER_NAME` and `SERVER_PORT` (ENV-15, ENV-16).
 * `parseAuthority` and `formatAuthority` are a pair: parsing what `formatAuthority` wrote
 * gives the same name and port back.
 */

export interface Authority {
  /** Host name or address; an IPv6 literal keeps its brackets (`[::1]`). */
  name: string;
  /** ASCII digits, or `""` when the authority names no port. */
  port: string;
}

// RFC 3986 section 3.2.2: reg-name is unreserved / pct-encoded / sub-delims.
const REG_NAME = /^[A-Za-z0-9\-._~!$&'()*+,;=%]*$/;
// IP-literal: IPv6 (hex, colons, an optional dotted IPv4 tail) or IPvFuture.
const IP_LITERAL = /^\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+)\]$/;
const PORT = /^[0-9]{0,5}$/;

/**
 * Splits `host[:port]` into name and port, or returns undefined when the value is not a
 * valid authority (RFC 9112 section 3.2 asks for 400 then). The port is `""` when absent
 * or empty (`example.com:` is allowed by RFC 3986).
 */
export function parseAuthority(value: string): Authority | undefined {
  let name = value;
  let port = '';
  if (value.charCodeAt(0) === 91 /* [ */) {
    const close = value.indexOf(']');
    if (close === -1) return undefined;
    name = value.slice(0, close + 1);
    const rest = value.slice(close + 1);
    if (rest !== '') {
      if (rest.charCodeAt(0) !== 58 /* : */) return undefined;
      port = rest.slice(1);
    }
    if (!IP_LITERAL.test(name)) return undefined;
  } else {
    const colon = value.indexOf(':');
    if (colon !== -1) {
      name = value.slice(0, colon);
      port = value.slice(colon + 1);
    }
    if (name === '' || !REG_NAME.test(name)) return undefined;
  }
  if (!PORT.test(port) || (port !== '' && Number(port) > 65535)) return undefined;
  return { name, port };
}

/** The authority text for a name and port: `name` alone when the port is `""`. */
export function formatAuthority(authority: Authority): string {
  return authority.port === '' ? authority.name : `${authority.name}:${authority.port}`;
}

/** The authority part of an absolute-form target (`http://h:1/p` gives `h:1`), else undefined. */
export function authorityOfTarget(target: string): string | undefined {
  if (target.charCodeAt(0) === 47 /* / */ || target === '*') return undefined;
  const scheme = target.indexOf('://');
  if (scheme <= 0) return undefined;
  let end = target.length;
  for (let i = scheme + 3; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) {
      end = i;
      break;
    }
  }
  const authority = target.slice(scheme + 3, end);
  // userinfo is deprecated in http(s) URIs (RFC 9110 section 4.2.4); the host follows the last @.
  const at = authority.lastIndexOf('@');
  return at === -1 ? authority : authority.slice(at + 1);
}
