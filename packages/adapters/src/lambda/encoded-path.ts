/**
 * A decoded path (HTTP API `rawPath`) as a request-target path again (LAMBDA-6): every byte
 * outside RFC 3986 `pchar` and `/` becomes `%XX`, so percent-decoding gives the path back,
 * `%` included. A path that needs no encoding is returned as it is, without a copy.
 */
const SAFE = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128);
  for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/") table[ch.charCodeAt(0)] = 1;
  return table;
})();
const HEX = '0123456789ABCDEF';

export function encodedPathFromDecoded(path: string): string {
  let i = 0;
  const n = path.length;
  while (i < n) {
    const c = path.charCodeAt(i);
    if (c >= 128 || SAFE[c] === 0) break;
    i++;
  }
  if (i === n) return path;
  let out = path.slice(0, i);
  for (; i < n; i++) {
    const c = path.charCodeAt(i) & 0xff;
    out += c < 128 && SAFE[c] === 1 ? path[i] : '%' + HEX[c >> 4]! + HEX[c & 15]!;
  }
  return out;
}
