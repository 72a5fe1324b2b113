/**
 * Which clauses each certification decides, so that its report lists every one of them:
 * passed when checked and never broken, failed, not applicable, or not checked.
 */

/** App clauses the lint checks on the app below it. */
export const LINT_APP_CLAUSES: readonly string[] = [
  'APP-1', 'APP-2', 'APP-3', 'APP-4', 'APP-5', 'APP-6',
  'ENV-4', 'INP-6', 'INP-13', 'ERR-2',
  'SR-1', 'SR-2', 'SR-3', 'SR-4', 'SR-5', 'SR-6', 'SR-7', 'SR-8', 'SR-9', 'SR-16', 'SR-19', 'SR-21',
  'BODY-14', 'BODY-19', 'HOST-26',
];

/** Host clauses the lint checks on the host (or middleware) above it. */
export const LINT_HOST_CLAUSES: readonly string[] = [
  'ENV-1', 'ENV-2', 'ENV-3', 'ENV-6', 'ENV-7', 'ENV-8', 'ENV-10', 'ENV-12', 'ENV-15', 'ENV-16', 'ENV-17', 'ENV-18', 'ENV-19',
  'ENV-20', 'ENV-21', 'ENV-22', 'ENV-23', 'ENV-24', 'ENV-25', 'ENV-26', 'ENV-27', 'ENV-28',
  'INP-1', 'INP-2', 'INP-3', 'INP-4', 'INP-5', 'INP-7', 'INP-9', 'INP-10', 'INP-12',
  'ERR-1', 'SR-10', 'SR-11', 'SR-12', 'SR-13', 'SR-17', 'SR-18', 'SR-22', 'SR-23',
  'BODY-1', 'BODY-7', 'BODY-9', 'BODY-10', 'BODY-11', 'BODY-15', 'BODY-22', 'HOST-25',
];

/** Middleware clauses certifyMiddleware decides. */
export const MIDDLEWARE_CLAUSES: readonly string[] = ['MW-1', 'MW-3', 'MW-4', 'MW-5', 'MW-6', 'MW-7', 'MW-8', 'MW-9'];
