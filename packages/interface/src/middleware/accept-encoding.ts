import { parseQualityList } from './quality-list.js';

/**
 * The content coding to answer with, by `Accept-Encoding` (RFC 9110 section 12.5.3): the
 * supported coding with the highest quality, ties going to the earlier one in `supported`;
 * `*` gives its quality to codings not named; `q=0` forbids. Undefined means identity.
 */
export function preferredEncoding<T extends string>(acceptEncoding: string | undefined, supported: readonly T[]): T | undefined {
  if (acceptEncoding === undefined) return undefined;
  const entries = parseQualityList(acceptEncoding);
  const wildcard = entries.find((entry) => entry.value === '*');
  let best: T | undefined;
  let bestQ = 0;
  for (const coding of supported) {
    // x-gzip is an alias of gzip (RFC 9110 section 8.4.1.3).
    const named = entries.find((entry) => entry.value === coding || (coding === 'gzip' && entry.value === 'x-gzip'));
    const q = named ? named.q : (wildcard?.q ?? 0);
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  // identity is acceptable unless excluded; it wins only when the client ranks it higher.
  const identity = entries.find((entry) => entry.value === 'identity');
  if (identity && identity.q > bestQ) return undefined;
  return best;
}
