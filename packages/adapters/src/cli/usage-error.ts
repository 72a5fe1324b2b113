/** A command line that cannot be run: unknown flag, missing value, bad value. Exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
