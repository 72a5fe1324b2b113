/**
 * A setting that cannot be used: a bad flag value, a bad config file entry, a bad
 * `servePrefork()` option. The CLI prints the message and exits with ExitCode.USAGE.
 */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  readonly code = 'TSGI_SETTINGS';
}

/** Quotes a value for an error message so that empty strings and spaces stay visible. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return `${value} (${value === null ? 'null' : typeof value})`;
  if (typeof value === 'function') return 'a function';
  try {
    return `${JSON.stringify(value)} (${Array.isArray(value) ? 'array' : typeof value})`;
  } catch {
    return String(value);
  }
}
