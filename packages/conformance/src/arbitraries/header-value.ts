import fc from 'fast-check';
import { byteCharArbitrary } from './bytes.js';

/** A header value as sent and the value a host must show for it (trimmed, ENV-22). */
export interface HeaderValueSample {
  raw: string;
  value: string;
}

export interface HeaderValueOptions {
  /** Bytes 0x80-0xFF (obs-text): legal in HTTP/1.1, shown as ByteString characters (default true). */
  obsText?: boolean;
  /** Leading and trailing spaces and tabs, which the host must strip (default true). */
  padding?: boolean;
  /** Empty values, which the host must keep (default true). */
  empty?: boolean;
  maxLength?: number;
}

/**
 * RFC 9110 field values: visible ASCII with inner spaces and tabs, optionally obs-text, and
 * optionally padded with optional whitespace that the host must remove.
 */
export function headerValueArbitrary(options: HeaderValueOptions = {}): fc.Arbitrary<HeaderValueSample> {
  const ranges: Array<readonly [number, number]> = [[0x21, 0x7e]];
  if (options.obsText !== false) ranges.push([0x80, 0xff]);
  const visible = byteCharArbitrary(...ranges);
  const inner = fc.oneof({ weight: 8, arbitrary: visible }, { weight: 1, arbitrary: fc.constantFrom(' ', '\t') });
  const core = fc
    .tuple(visible, fc.string({ unit: inner, maxLength: options.maxLength ?? 24 }), visible)
    .map(([first, middle, last]) => (middle.length === 0 ? first : first + middle + last));
  const value = options.empty === false ? core : fc.oneof({ weight: 10, arbitrary: core }, { weight: 1, arbitrary: fc.constant('') });
  if (options.padding === false) return value.map((v) => ({ raw: v, value: v }));
  const pad = fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(' ', '\t', '  ', ' \t') });
  return fc.tuple(pad, value, pad).map(([before, v, after]) => ({ raw: before + v + after, value: v }));
}
