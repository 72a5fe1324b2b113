import { parseQualityList } from './quality-list.js';

/**
 * The offer the client prefers by `Accept` (RFC 9110 section 12.5.1): the most specific
 * matching range sets each offer's quality, the highest quality wins, ties go to the
 * earlier offer. With no `Accept`, or when nothing acceptable is offered, the first offer:
 * an error page or a default rendering is better than a 406.
 */
export function preferredMediaType<T extends string>(accept: string | undefined, offers: readonly [T, ...T[]]): T {
  if (accept === undefined || accept.trim() === '') return offers[0];
  const ranges = parseQualityList(accept);
  let best = offers[0];
  let bestQ = 0;
  for (const offer of offers) {
    const [type, subtype] = offer.toLowerCase().split('/');
    let q = 0;
    let specificity = -1;
    for (const range of ranges) {
      const [rangeType, rangeSubtype] = range.value.split('/');
      const level = rangeType === type && rangeSubtype === subtype ? 2 : rangeType === type && rangeSubtype === '*' ? 1 : range.value === '*/*' ? 0 : -1;
      if (level > specificity) {
        specificity = level;
        q = range.q;
      }
    }
    if (q > bestQ) {
      best = offer;
      bestQ = q;
    }
  }
  return best;
}
