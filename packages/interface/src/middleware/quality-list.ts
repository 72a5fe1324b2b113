/**
 * Lists with quality values, the grammar of `Accept`, `Accept-Encoding` and
 * `Accept-Language` (RFC 9110 section 12.4.2): `gzip;q=0.8, br, *;q=0`.
 * `parseQualityList` and `formatQualityList` are a pair: parsing what `formatQualityList`
 * wrote gives the same entries back.
 */

export interface QualityEntry {
  /** The item, in lower case: `gzip`, `text/html`, `*`, `text/*`. */
  value: string;
  /** 0 to 1, three decimals at most (RFC 9110 section 12.4.2). */
  q: number;
  /** Parameters other than q, in order (media types carry them: `text/html;level=1`). */
  params: ReadonlyArray<readonly [string, string]>;
}

const WEIGHT = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** The entries of a quality list, in order. Malformed entries are dropped, not guessed at. */
export function parseQualityList(header: string): QualityEntry[] {
  const entries: QualityEntry[] = [];
  for (const part of header.split(',')) {
    const [head, ...rest] = part.split(';');
    const value = head!.trim().toLowerCase();
    if (value === '') continue;
    let q = 1;
    let ok = true;
    const params: Array<readonly [string, string]> = [];
    for (const param of rest) {
      const eq = param.indexOf('=');
      if (eq === -1) {
        ok = false;
        break;
      }
      const name = param.slice(0, eq).trim().toLowerCase();
      const text = param.slice(eq + 1).trim();
      if (name === 'q') {
        if (!WEIGHT.test(text)) {
          ok = false;
          break;
        }
        q = Number(text);
      } else params.push([name, text]);
    }
    if (ok) entries.push({ value, q, params });
  }
  return entries;
}

/** A quality-list field value; q is written only when it is not 1. */
export function formatQualityList(entries: readonly QualityEntry[]): string {
  return entries
    .map(({ value, q, params }) => {
      if (!(q >= 0 && q <= 1)) throw new RangeError(`a quality value must be 0 to 1; got ${q}`);
      const weight = q === 1 ? '' : `;q=${Number(q.toFixed(3))}`;
      return value + params.map(([name, text]) => `;${name}=${text}`).join('') + weight;
    })
    .join(', ');
}
