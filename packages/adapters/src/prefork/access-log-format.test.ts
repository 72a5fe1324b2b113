import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCESS_LOG_ATOMS,
  DEFAULT_ACCESS_LOG_FORMAT,
  formatStringFromParts,
  partsFromFormatString,
  type LogFormatPart,
} from './access-log-format.js';
import { SettingsError } from './settings-error.js';

const atomName = fc.oneof(
  fc.constantFrom(...Object.keys(ACCESS_LOG_ATOMS)),
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), fc.constantFrom('i', 'o', 'e')).map(([key, source]) => `{${key}}${source}`),
);
/** Normalised parts: no empty text, no two text parts in a row (what parsing produces). */
const parts: fc.Arbitrary<LogFormatPart[]> = fc
  .array(fc.oneof(fc.string({ minLength: 1 }).map((text) => ({ kind: 'text' as const, text })), atomName.map((name) => ({ kind: 'atom' as const, name }))), { maxLength: 12 })
  .map((list) =>
    list.reduce<LogFormatPart[]>((out, part) => {
      const last = out.at(-1);
      if (part.kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + part.text };
      else out.push(part);
      return out;
    }, []),
  );

describe('access-log format strings (PF-9)', () => {
  it("PF-9: parses gunicorn's default format", () => {
    const atoms = partsFromFormatString(DEFAULT_ACCESS_LOG_FORMAT).filter((p) => p.kind === 'atom').map((p) => (p as { name: string }).name);
    expect(atoms).toEqual(['h', 'l', 'u', 't', 'r', 's', 'b', 'f', 'a']);
  });

  it('PF-9: reads keyed atoms and %% literals', () => {
    expect(partsFromFormatString('%({X-Request-Id}i)s 100%% %(D)s')).toEqual([
      { kind: 'atom', name: '{X-Request-Id}i' },
      { kind: 'text', text: ' 100% ' },
      { kind: 'atom', name: 'D' },
    ]);
  });

  it.each(['%(nope)s', '%(h)d', '%(h', '100%', '%s', '%({x}z)s'])('PF-9: rejects %j at startup instead of logging dashes', (format) => {
    expect(() => partsFromFormatString(format)).toThrow(SettingsError);
    expect(() => partsFromFormatString(format)).toThrow(/^\[PF-9\] --access-logformat/);
  });

  it('PF-9: round-trips every format', () => {
    fc.assert(
      fc.property(parts, (p) => {
        expect(partsFromFormatString(formatStringFromParts(p))).toEqual(p);
      }),
      { examples: [[[{ kind: 'text', text: '%(' }]], [[{ kind: 'text', text: '%' }, { kind: 'atom', name: 'h' }]]] },
    );
  });
});
