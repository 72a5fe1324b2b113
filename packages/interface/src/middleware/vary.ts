import type { HeaderList } from '../types.js';

/**
 * A new header list whose `Vary` names `field` (RFC 9110 section 12.5.5): appended to the
 * first `Vary` value, left as is when some `Vary` line already names it or is `*`.
 */
export function appendVary(headers: HeaderList, field: string): HeaderList {
  const lower = field.toLowerCase();
  let index = -1;
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i]![0];
    if (name.length === 4 && name.toLowerCase() === 'vary') {
      index = i;
      break;
    }
  }
  if (index === -1) {
    const copy = headers.slice();
    copy.push(['vary', field]);
    return copy;
  }
  const value = headers[index]![1];
  const names = headers
    .filter(([name]) => name.toLowerCase() === 'vary')
    .flatMap(([, text]) => text.split(',').map((name) => name.trim().toLowerCase()));
  if (names.includes('*') || names.includes(lower)) return headers;
  const copy = headers.slice();
  copy[index] = [headers[index]![0], value.trim() === '' ? field : `${value}, ${field}`];
  return copy;
}
