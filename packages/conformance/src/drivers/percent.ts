/**
 * The suite's own percent-decoder, kept apart from the interface's so that the oracle of
 * ENV-8 is not the code under test: `%XX` becomes one byte, anything else stays.
 */
export function percentDecode(value: string): string {
  return value.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
