/**
 * IP addresses as bytes: 4 for IPv4, 16 for IPv6. `parseIp` and `formatIp` are a pair:
 * `parseIp(formatIp(bytes))` gives the bytes back, and `formatIp` writes the canonical text
 * (dotted decimal; RFC 5952 for IPv6: lower case, longest zero run as `::`).
 */

/** The bytes of an IPv4 or IPv6 address in text form, or undefined when it is not one. */
export function parseIp(text: string): Uint8Array | undefined {
  if (text.includes(':')) return parseIpv6(text);
  return parseIpv4(text);
}

/** Dotted decimal, four parts of 0-255 without leading zeros (which some parsers read as octal). */
function parseIpv4(text: string): Uint8Array | undefined {
  const value = ipv4Value(text);
  if (value < 0) return undefined;
  return new Uint8Array([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

/** True for dotted-decimal IPv4 text as `parseIp` takes it (four parts, no leading zeros). */
export function isIpv4(text: string): boolean {
  return ipv4Value(text) >= 0;
}

/** The address of dotted-decimal IPv4 text as an unsigned 32-bit number, or -1. */
function ipv4Value(text: string): number {
  const n = text.length;
  if (n < 7 || n > 15) return -1;
  let address = 0;
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 46 : text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || part > 3) return -1;
      address = address * 256 + value;
      part++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return -1;
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return -1;
    } else return -1;
  }
  return part === 4 ? address : -1;
}

function parseIpv6(text: string): Uint8Array | undefined {
  // A zone index (fe80::1%eth0) names an interface of this host; it is not part of the address.
  if (text.length > 45 || text.includes('%')) return undefined;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two words.
    const v4 = parseIpv4(tail);
    if (!v4) return undefined;
    text = `${text.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const rest = halves.length === 2 && halves[1] !== '' ? halves[1]!.split(':') : [];
  const gap = 8 - head.length - rest.length;
  if (halves.length === 1 ? gap !== 0 : gap < 1) return undefined;
  const words = [...head, ...new Array<string>(halves.length === 2 ? gap : 0).fill('0'), ...rest];
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const word = words[i]!;
    if (!/^[0-9A-Fa-f]{1,4}$/.test(word)) return undefined;
    const value = parseInt(word, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  }
  return bytes;
}

/** The canonical text of 4 or 16 address bytes. */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) throw new TypeError(`an IP address has 4 or 16 bytes; got ${bytes.length}`);
  const mapped = unmapIpv4(bytes);
  // RFC 5952 section 5: an IPv4-mapped address keeps its dotted tail.
  if (mapped.length === 4) return `::ffff:${formatIp(mapped)}`;
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  // RFC 5952 section 4.2: compress the longest run of two or more zero words, the first on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) => words.slice(from, to).map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** IPv4-mapped IPv6 (`::ffff:192.0.2.1`, as dual-stack sockets report IPv4 peers) as IPv4. */
export function unmapIpv4(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== 16) return bytes;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return bytes;
  if (bytes[10] !== 0xff || bytes[11] !== 0xff) return bytes;
  return bytes.slice(12);
}
