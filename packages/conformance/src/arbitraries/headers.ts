import fc from 'fast-check';
import { headerNameArbitrary } from './header-name.js';
import { headerValueArbitrary, type HeaderValueOptions } from './header-value.js';

/** One request field line: the name as sent, the value as sent, and the value trimmed. */
export interface HeaderLine {
  name: string;
  raw: string;
  value: string;
}

export interface HeadersOptions extends HeaderValueOptions {
  /** Underscores, dots, case variants of one name (default true). */
  hostile?: boolean;
  /** Repeated names, Cookie included (default true). */
  duplicates?: boolean;
  maxLines?: number;
}

const COOKIE_VALUE = fc.stringMatching(/^[a-z]{1,6}=[A-Za-z0-9]{0,8}$/).map((v) => ({ raw: v, value: v }));

/**
 * Request header lists: order kept, duplicates (the same name repeated, in the same or
 * another letter case), several Cookie lines, and at most one Content-Type.
 */
export function headersArbitrary(options: HeadersOptions = {}): fc.Arbitrary<HeaderLine[]> {
  const line = fc.tuple(headerNameArbitrary({ hostile: options.hostile }), headerValueArbitrary(options)).map(([name, v]): HeaderLine => ({ name, ...v }));
  const cookie = fc.tuple(fc.constantFrom('Cookie', 'cookie'), COOKIE_VALUE).map(([name, v]): HeaderLine => ({ name, ...v }));
  const lines = fc.array(fc.oneof({ weight: 6, arbitrary: line }, { weight: 1, arbitrary: cookie }), { maxLength: options.maxLines ?? 8 });
  const withDuplicates =
    options.duplicates === false
      ? lines.map(uniqueNames)
      : fc.tuple(lines, fc.array(fc.nat(), { maxLength: 3 }), headerValueArbitrary(options)).map(([list, picks, extra]) => {
          // Repeat some names, in a varied letter case, with another value.
          const out = [...list];
          for (const pick of picks) {
            if (list.length === 0) break;
            const source = list[pick % list.length]!;
            const name = pick % 2 === 0 ? source.name : source.name.toLowerCase();
            out.splice(pick % (out.length + 1), 0, { name, ...(/^cookie$/i.test(name) ? { raw: 'z=1', value: 'z=1' } : extra) });
          }
          return out;
        });
  return withDuplicates.map(oneContentType);
}

function uniqueNames(list: HeaderLine[]): HeaderLine[] {
  const seen = new Set<string>();
  return list.filter((line) => {
    const key = line.name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Several Content-Type fields would be a malformed request; keep the first. */
function oneContentType(list: HeaderLine[]): HeaderLine[] {
  let seen = false;
  return list.filter((line) => {
    if (line.name.toLowerCase() !== 'content-type') return true;
    if (seen) return false;
    seen = true;
    return true;
  });
}
