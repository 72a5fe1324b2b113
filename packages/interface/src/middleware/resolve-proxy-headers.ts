import { percentDecodeByteString } from '../bytestring.js';
import { addressMatcher, type AddressPattern } from './address-matcher.js';
import { parseForwarded } from './forwarded.js';
import { formatIp, isIpv4, parseIp } from './ip-address.js';

/** Which proxies to believe. */
export interface ProxyTrustOptions {
  /**
   * The proxies in front of the app: addresses, CIDR blocks, `loopback`, `private`,
   * `linklocal`, `*`, or a predicate over the peer address; or a number: exactly that many
   * proxies stand in front, whatever their addresses (for platforms whose load balancer
   * addresses are unknown). Default `['loopback']`, as gunicorn's `forwarded_allow_ips`.
   */
  trust?: number | AddressPattern | readonly AddressPattern[] | ((address: string) => boolean);
  /**
   * Which header families to read: `forwarded` (RFC 7239) and/or `x-forwarded`
   * (`X-Forwarded-For/-Proto/-Host/-Port/-Prefix`). When the request has a `Forwarded`
   * field and both are enabled, only `Forwarded` is read. Default both.
   */
  headers?: ReadonlyArray<'forwarded' | 'x-forwarded'>;
}

/** What trusted proxies say about the client's request. Absent fields: nothing was said. */
export interface ProxyView {
  /** The client address, or null when the proxy reports it unknown or obfuscated. */
  remoteAddr?: string | null;
  /** The client port, when the proxy reports it (Forwarded `for="[::1]:4711"`). */
  remotePort?: string;
  scheme?: 'http' | 'https';
  /** The Host the client asked for, `name` or `name:port`. */
  host?: string;
  port?: string;
  /** The path prefix the proxy removed (X-Forwarded-Prefix), decoded; "" or starts with "/". */
  prefix?: string;
  /** How many proxies were trusted. */
  hops: number;
}

/** Looks up a request header by lower-case name; repeated fields joined with ", ". */
export type HeaderLookup = (name: string) => string | undefined;

interface Node {
  address: string | null;
  port?: string;
}

const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=]+)(?::(\d{1,5}))?$/;
const PORT = /^\d{1,5}$/;

/**
 * A pure function from the peer address and the request's headers to what trusted proxies
 * say about the client, or undefined when the peer is not trusted or says nothing. The
 * proxy-headers middleware applies it to the environ; a host's trusted-proxy setting can
 * call it directly.
 *
 * Hops are walked from the nearest: each trusted proxy vouches for the hop before it, and
 * the first address that is not a trusted proxy is the client (with a hop count: the hop
 * that many steps back). Whatever an untrusted client wrote lies further back and is never
 * read, which is what makes spoofed headers harmless.
 */
export function resolveProxyHeaders(peer: string | undefined, header: HeaderLookup, options: ProxyTrustOptions = {}): ProxyView | undefined {
  return compileProxyTrust(options)(peer, header);
}

/** `resolveProxyHeaders` with its options compiled once, for the hot path. */
export function compileProxyTrust(options: ProxyTrustOptions = {}): (peer: string | undefined, header: HeaderLookup) => ProxyView | undefined {
  const trust = options.trust ?? ['loopback'];
  const families = options.headers ?? ['forwarded', 'x-forwarded'];
  for (const family of families) {
    if (family !== 'forwarded' && family !== 'x-forwarded') {
      throw new TypeError(`proxy header families are "forwarded" and "x-forwarded"; got ${JSON.stringify(family)}`);
    }
  }
  if (typeof trust === 'number' && !(Number.isSafeInteger(trust) && trust >= 1)) {
    throw new TypeError(`a proxy hop count must be a positive integer; got ${trust}`);
  }
  const hopCount = typeof trust === 'number' ? trust : 0;
  const trusted =
    typeof trust === 'number' ? () => true : typeof trust === 'function' ? trust : remembered(addressMatcher(typeof trust === 'string' ? [trust] : trust));
  const useForwarded = families.includes('forwarded');
  const useX = families.includes('x-forwarded');

  return (peer, header) => {
    if (peer === undefined || !trusted(peer)) return undefined;
    const forwarded = useForwarded ? header('forwarded') : undefined;
    if (forwarded !== undefined) return fromForwarded(forwarded, trusted, hopCount);
    return useX ? fromXForwarded(header, trusted, hopCount) : undefined;
  };
}

/**
 * The matcher's answers for recent addresses: a host sees few distinct proxies, and the
 * peer is checked on every request. Bounded, so a flood of clients cannot grow it.
 */
function remembered(match: (address: string) => boolean): (address: string) => boolean {
  const known = new Map<string, boolean>();
  // Requests come in runs from one peer (a proxy, a keep-alive connection): the last answer first.
  let lastAddress: string | undefined;
  let lastAnswer = false;
  return (address) => {
    if (address === lastAddress) return lastAnswer;
    let answer = known.get(address);
    if (answer === undefined) {
      answer = match(address);
      if (known.size >= 256) known.clear();
      known.set(address, answer);
    }
    lastAddress = address;
    lastAnswer = answer;
    return answer;
  };
}

/** Index of the client in `nodes` (walked from the end) and the number of hops trusted. */
function walk(nodes: ReadonlyArray<Node | null>, trusted: (address: string) => boolean, hopCount: number): [number, number] | undefined {
  const count = nodes.length;
  if (count === 0) return undefined;
  if (hopCount > 0) return count >= hopCount ? [count - hopCount, hopCount] : undefined;
  let i = count - 1;
  while (i > 0) {
    const node = nodes[i];
    if (!node?.address || !trusted(node.address)) break;
    i--;
  }
  return [i, count - i];
}

function fromForwarded(value: string, trusted: (address: string) => boolean, hopCount: number): ProxyView | undefined {
  const elements = parseForwarded(value);
  const nodes = elements.map((element) => (element?.for === undefined ? null : parseNode(element.for)));
  const found = walk(nodes, trusted, hopCount);
  if (!found) return undefined;
  const [index, hops] = found;
  const element = elements[index];
  const view: ProxyView = { hops, remoteAddr: nodes[index]?.address ?? null };
  if (nodes[index]?.port !== undefined) view.remotePort = nodes[index]!.port!;
  if (!element) return view;
  const proto = element.proto?.toLowerCase();
  if (proto === 'http' || proto === 'https') view.scheme = proto;
  if (element.host !== undefined && HOST.test(element.host)) view.host = element.host;
  return view;
}

function fromXForwarded(header: HeaderLookup, trusted: (address: string) => boolean, hopCount: number): ProxyView | undefined {
  const forwardedFor = header('x-forwarded-for');
  const view: ProxyView = { hops: hopCount || 1 };
  let said = false;
  if (forwardedFor !== undefined) {
    // The client's node and the hops trusted to reach it; undefined when the list says nothing.
    let client: Node | null | undefined;
    let hops = 1;
    if (forwardedFor.indexOf(',') === -1) {
      // One entry, the usual case behind one proxy: the walk ends at it whatever it is.
      if (hopCount <= 1) client = parseNode(forwardedFor.trim());
    } else {
      const nodes = list(forwardedFor).map(parseNode);
      const found = walk(nodes, trusted, hopCount);
      if (found) {
        client = nodes[found[0]] ?? null;
        hops = found[1];
      }
    }
    if (client !== undefined) {
      view.hops = hops;
      view.remoteAddr = client?.address ?? null;
      if (client?.port !== undefined) view.remotePort = client.port;
      said = true;
    }
  }
  const proto = pick(header('x-forwarded-proto'), view.hops)?.toLowerCase();
  if (proto === 'http' || proto === 'https') view.scheme = proto;
  const host = pick(header('x-forwarded-host'), view.hops);
  if (host !== undefined && HOST.test(host)) view.host = host;
  const port = pick(header('x-forwarded-port'), view.hops);
  if (port !== undefined && validPort(port)) view.port = port;
  const prefix = pick(header('x-forwarded-prefix'), view.hops);
  if (prefix !== undefined && prefix.startsWith('/')) view.prefix = percentDecodeByteString(prefix).replace(/\/+$/, '');
  said ||= view.scheme !== undefined || view.host !== undefined || view.port !== undefined || view.prefix !== undefined;
  return said ? view : undefined;
}

/**
 * The entry of a list that the outermost trusted proxy wrote: each proxy appends one, so it
 * is `hops` places from the end, or the first when there are fewer.
 */
function pick(value: string | undefined, hops: number): string | undefined {
  if (value === undefined) return undefined;
  if (value.indexOf(',') === -1) return value.trim();
  const entries = list(value);
  return entries[Math.max(0, entries.length - hops)];
}

/** The entries of a comma-separated list, trimmed. */
function list(value: string): string[] {
  return value.split(',').map((entry) => entry.trim());
}

function validPort(text: string): boolean {
  return PORT.test(text) && Number(text) >= 1 && Number(text) <= 65535;
}

/**
 * A node of RFC 7239 section 6 (`192.0.2.1`, `192.0.2.1:80`, `[2001:db8::1]:80`, `unknown`,
 * `_hidden`), or an X-Forwarded-For entry, which may also be a bare IPv6 address. Unknown
 * and obfuscated nodes have a null address; text that is none of these is null.
 */
export function parseNode(text: string): Node | null {
  if (text.toLowerCase() === 'unknown' || text.startsWith('_')) return { address: null };
  let host = text;
  let port: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) return null;
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return null;
      port = rest.slice(1);
    }
  } else if (text.indexOf(':') !== -1 && text.indexOf(':') === text.lastIndexOf(':')) {
    [host, port] = text.split(':') as [string, string];
  }
  let address: string;
  if (host.indexOf(':') === -1) {
    // Dotted decimal that parses is already canonical.
    if (!isIpv4(host)) return null;
    address = host;
  } else {
    // IPv6 text has many spellings.
    const bytes = parseIp(host);
    if (!bytes) return null;
    address = formatIp(bytes);
  }
  const node: Node = { address };
  // An obfuscated port (`_abc`) says nothing usable; a malformed one voids the node.
  if (port !== undefined && !port.startsWith('_')) {
    if (!validPort(port)) return null;
    node.port = String(Number(port));
  }
  return node;
}
