/**
 * Renders an offending value for a violation message: short, typed, and safe for any input
 * (a string with control characters shows them escaped, a huge array shows its length).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 80 ? value.slice(0, 80) + '…' : value;
    return `${JSON.stringify(shown)} (string)`;
  }
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `${value.name || 'anonymous'} (function)`;
  if (typeof value === 'symbol') return `${String(value)} (symbol)`;
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (typeof value !== 'object') return `${String(value)} (${typeof value})`;
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`;
  if (Array.isArray(value)) {
    if (value.length > 6) return `Array(${value.length})`;
    return `[${value.map((item) => describeValue(item)).join(', ')}]`;
  }
  const name = (value as object).constructor?.name ?? 'Object';
  return `${name} (object)`;
}
