/**
 * Exit statuses of the `tsgi serve` master and of its workers. Values 3 and 4 match
 * gunicorn's WORKER_BOOT_ERROR and APP_LOAD_ERROR, so supervisors and scripts written for
 * gunicorn read them the same way; 2 is the usual status for a command-line usage error.
 */
export const ExitCode = {
  /** Shut down on request (TERM, INT, QUIT, or `stop()` from code). */
  OK: 0,
  /** An error the master did not expect; the message is in the error log. */
  FAILURE: 1,
  /** Bad flags, a bad config file or bad settings; nothing was started. */
  USAGE: 2,
  /** Workers kept failing to boot (PF-8): exited or timed out before they reported ready. */
  WORKER_BOOT_ERROR: 3,
  /** Workers kept failing to load the app module or to find its export (PF-8). */
  APP_LOAD_ERROR: 4,
  /** A `--bind` address could not be bound (in use, not permitted, not local). */
  BIND_ERROR: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The name of an exit status, for log lines: `3 (WORKER_BOOT_ERROR)`. */
export function describeExitCode(code: number): string {
  const name = Object.entries(ExitCode).find(([, value]) => value === code)?.[0];
  return name ? `${code} (${name})` : String(code);
}
