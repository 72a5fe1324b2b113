import { parseIp, unmapIpv4 } from './ip-address.js';

/**
 * Names for common sets of addresses, usable wherever a list of trusted proxies is taken.
 * Sources: RFC 1122 (loopback), RFC 1918 and RFC 4193 (private), RFC 3927 and RFC 4291
 * (link-local).
 */
const KEYWORDS: Record<string, readonly string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
};

interface Network {
  bytes: Uint8Array;
  bits: number;
}

/** A trusted-address entry: an address, a CIDR block, a keyword above, or `*` for any. */
export type AddressPattern = string;

/**
 * A predicate over address text built from patterns such as `['10.0.0.0/8', '::1',
 * 'loopback']`. IPv4-mapped IPv6 peers (`::ffff:10.1.2.3`) match their IPv4 form. Text that
 * is not an IP address never matches, except under `*`. Throws a TypeError naming the bad
 * pattern, so that a typo in a deployment fails at start-up rather than trusting nothing.
 */
export function addressMatcher(patterns: readonly AddressPattern[]): (address: string) => boolean {
  if (patterns.includes('*')) return () => true;
  const networks: Network[] = [];
  for (const pattern of patterns) {
    const expanded = KEYWORDS[pattern.toLowerCase()];
    for (const entry of expanded ?? [pattern]) networks.push(parseNetwork(entry));
  }
  return (address) => {
    const parsed = parseIp(address);
    if (!parsed) return false;
    const bytes = unmapIpv4(parsed);
    return networks.some((network) => contains(network, bytes));
  };
}

function parseNetwork(pattern: string): Network {
  const slash = pattern.indexOf('/');
  const parsed = parseIp(slash === -1 ? pattern : pattern.slice(0, slash));
  if (!parsed) {
    throw new TypeError(`a trusted address must be an IP address, a CIDR block, "*" or one of ${Object.keys(KEYWORDS).join(', ')}; got ${JSON.stringify(pattern)}`);
  }
  const bytes = unmapIpv4(parsed);
  const mappedBits = parsed.length - bytes.length === 12 ? 96 : 0;
  const max = bytes.length * 8;
  let bits = max;
  if (slash !== -1) {
    const text = pattern.slice(slash + 1);
    bits = /^\d{1,3}$/.test(text) ? Number(text) - mappedBits : -1;
    if (bits < 0 || bits > max) {
      throw new TypeError(`the prefix length of ${JSON.stringify(pattern)} must be 0 to ${max + mappedBits}`);
    }
  }
  return { bytes, bits };
}

function contains(network: Network, address: Uint8Array): boolean {
  if (network.bytes.length !== address.length) return false;
  const whole = network.bits >> 3;
  for (let i = 0; i < whole; i++) if (network.bytes[i] !== address[i]) return false;
  const rest = network.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (network.bytes[whole]! & mask) === (address[whole]! & mask);
}
