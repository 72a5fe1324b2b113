export { lint, createLint, LintSession, type LintOptions, type LintedRequest } from './lint/lint.js';
export { Reporter, type ReporterOptions, type Action } from './reporter.js';
export { ConformanceError, violation, type Violation, type Level, type Party } from './violation.js';
