/**
 * The `Forwarded` header of RFC 7239: one element per proxy hop, each a set of `name=value`
 * pairs (`for`, `by`, `host`, `proto`). `parseForwarded` and `formatForwarded` are a pair:
 * parsing what `formatForwarded` wrote gives the same elements back.
 */

/** One hop: parameter names in lower case (RFC 7239 section 4: case-insensitive), values unquoted. */
export type ForwardedElement = Readonly<Record<string, string>>;

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The elements of a `Forwarded` field value, in order. An element that breaks the grammar
 * (or repeats a parameter, RFC 7239 section 4) becomes `null` in its place, so that a caller
 * walking the hops from the nearest one stops there instead of trusting what lies behind it.
 */
export function parseForwarded(value: string): Array<ForwardedElement | null> {
  const elements: Array<ForwardedElement | null> = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    const start = i;
    const element: Record<string, string> = {};
    let ok = true;
    let pairs = 0;
    for (;;) {
      i = skipSpace(value, i);
      if (i >= n || value[i] === ',') break;
      if (value[i] === ';') {
        i++;
        continue;
      }
      let nameEnd = i;
      while (nameEnd < n && TCHAR.test(value[nameEnd]!)) nameEnd++;
      if (nameEnd === i || value[nameEnd] !== '=') {
        ok = false;
        break;
      }
      const name = value.slice(i, nameEnd).toLowerCase();
      i = nameEnd + 1;
      let pairValue: string | undefined;
      if (value[i] === '"') [pairValue, i] = readQuoted(value, i);
      else {
        const valueStart = i;
        while (i < n && TCHAR.test(value[i]!)) i++;
        pairValue = i > valueStart ? value.slice(valueStart, i) : undefined;
      }
      if (pairValue === undefined || Object.hasOwn(element, name)) {
        ok = false;
        break;
      }
      element[name] = pairValue;
      pairs++;
      i = skipSpace(value, i);
      if (i < n && value[i] !== ';' && value[i] !== ',') {
        ok = false;
        break;
      }
    }
    if (!ok) {
      i = skipElement(value, i);
      elements.push(null);
    } else if (pairs > 0) elements.push(element);
    else if (value.slice(start, i).trim() !== '') elements.push(null);
    i++; // past the comma
  }
  return elements;
}

/** A `Forwarded` field value for these elements; values that are not tokens are quoted. */
export function formatForwarded(elements: readonly ForwardedElement[]): string {
  return elements
    .map((element) =>
      Object.entries(element)
        .map(([name, value]) => {
          if (!TOKEN.test(name)) throw new TypeError(`a Forwarded parameter name must be a token; got ${JSON.stringify(name)}`);
          return `${name}=${TOKEN.test(value) ? value : quote(value)}`;
        })
        .join(';'),
    )
    .join(', ');
}

function quote(value: string): string {
  if (/[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\xff]/.test(value)) {
    throw new TypeError(`a Forwarded value must not hold control characters; got ${JSON.stringify(value)}`);
  }
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

function skipSpace(value: string, i: number): number {
  while (i < value.length && (value[i] === ' ' || value[i] === '\t')) i++;
  return i;
}

/** [unquoted value, index after the closing quote]; value undefined when unterminated. */
function readQuoted(value: string, i: number): [string | undefined, number] {
  let out = '';
  for (i++; i < value.length; i++) {
    const c = value[i]!;
    if (c === '"') return [out, i + 1];
    if (c === '\\') {
      i++;
      if (i >= value.length) break;
      out += value[i];
    } else if (c < ' ' && c !== '\t') return [undefined, i];
    else out += c;
  }
  return [undefined, value.length];
}

/** Index of the comma that ends the current element, honouring quotes. */
function skipElement(value: string, i: number): number {
  let quoted = false;
  for (; i < value.length; i++) {
    const c = value[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) return i;
  }
  return i;
}
