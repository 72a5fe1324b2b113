import type { App } from '@tsgi/interface';
import type { LintSession } from '../lint/lint.js';
import {
  bothIteratorsProbe,
  firehoseProbe,
  foreignChunksProbe,
  headNoLengthProbe,
  headProbe,
  lengthOverProbe,
  lengthShortProbe,
  noBodyCleanProbe,
  noBodyStatusProbe,
  noStartEmptyProbe,
  noStartProbe,
  notIterableProbe,
  streamProbe,
  stringChunkProbe,
  writeBadProbe,
  writeLateProbe,
  writePathProbe,
} from './body-probes.js';
import { echoProbe } from './echo-probe.js';
import type { ErrorsTap } from './errors-tap.js';
import { badSizeProbe, breakProbe, busyProbe, lateReaderProbe, truncatedProbe } from './input-probes.js';
import {
  closeRejectsProbe,
  concurrencyProbe,
  errorsProbe,
  hangProbe,
  lateWorkProbe,
  slowProbe,
  writeGoneProbe,
  recordProbe,
  rejectBeforeProbe,
  releaseProbe,
  signalProbe,
  throwAfterProbe,
  throwBeforeProbe,
  waitUntilProbe,
} from './lifecycle-probes.js';
import { text, type Probe } from './probe.js';
import type { ProbeRegistry } from './registry.js';
import {
  afterEndProbe,
  commitProbe,
  copyProbe,
  excInfoAfterProbe,
  excInfoBeforeProbe,
  hopByHopProbe,
  invalidHeaderProbe,
  invalidStatusProbe,
  ownHeadersProbe,
  reasonProbe,
  twiceProbe,
} from './start-response-probes.js';

/** Every probe app, by the name a request gives in its probe case. */
export const PROBES = {
  echo: echoProbe,
  record: recordProbe,
  commit: commitProbe,
  'excinfo-before': excInfoBeforeProbe,
  'excinfo-after': excInfoAfterProbe,
  twice: twiceProbe,
  'after-end': afterEndProbe,
  copy: copyProbe,
  'invalid-status': invalidStatusProbe,
  'invalid-header': invalidHeaderProbe,
  'hop-by-hop': hopByHopProbe,
  'own-headers': ownHeadersProbe,
  reason: reasonProbe,
  'write-path': writePathProbe,
  'write-bad': writeBadProbe,
  'write-late': writeLateProbe,
  'both-iterators': bothIteratorsProbe,
  'foreign-chunks': foreignChunksProbe,
  'string-chunk': stringChunkProbe,
  'not-iterable': notIterableProbe,
  'no-start': noStartProbe,
  'no-start-empty': noStartEmptyProbe,
  stream: streamProbe,
  firehose: firehoseProbe,
  head: headProbe,
  'head-no-length': headNoLengthProbe,
  'no-body-status': noBodyStatusProbe,
  'no-body-clean': noBodyCleanProbe,
  'length-over': lengthOverProbe,
  'length-short': lengthShortProbe,
  release: releaseProbe,
  'throw-after': throwAfterProbe,
  'throw-before': throwBeforeProbe,
  'reject-before': rejectBeforeProbe,
  hang: hangProbe,
  slow: slowProbe,
  'late-work': lateWorkProbe,
  'write-gone': writeGoneProbe,
  'close-rejects': closeRejectsProbe,
  errors: errorsProbe,
  signal: signalProbe,
  'wait-until': waitUntilProbe,
  concurrency: concurrencyProbe,
  truncated: truncatedProbe,
  busy: busyProbe,
  'bad-size': badSizeProbe,
  break: breakProbe,
  'late-reader': lateReaderProbe,
} satisfies Record<string, Probe>;

export type ProbeKind = keyof typeof PROBES;

export interface ProbeAppOptions {
  registry: ProbeRegistry;
  /** The lint around well-behaved probes: every finding counts. */
  strict: LintSession;
  /** The lint around probes that break app rules on purpose: host findings only. */
  tolerant: LintSession;
  tap: ErrorsTap;
}

const NOT_FOUND = text('no such probe case\n');

/**
 * The app every host under test is given: it finds the probe case named by the request's
 * `x-tsgi-probe-id` header and runs that probe, under the lint.
 */
export function createProbeApp(options: ProbeAppOptions): App {
  const { registry, tap } = options;
  const caseOf = (environ: Parameters<App>[0]) => registry.get((environ as unknown as Record<string, unknown>).HTTP_X_TSGI_PROBE_ID);
  const raw: App = (environ, startResponse) => {
    const c = caseOf(environ);
    const probe = c ? (PROBES as Record<string, Probe>)[c.kind] : undefined;
    if (!c || !probe) {
      registry.strays++;
      startResponse('404 Not Found', [['content-type', 'text/plain'], ['content-length', String(NOT_FOUND.length)]]);
      return [NOT_FOUND];
    }
    c.calls++;
    return probe.run(environ, startResponse, c);
  };
  const strict = options.strict.wrap(raw);
  const tolerant = options.tolerant.wrap(raw);
  return (environ, startResponse) => {
    tap.tap((environ as unknown as Record<string, unknown>)['tsgi.errors']);
    const c = caseOf(environ);
    const probe = c ? (PROBES as Record<string, Probe>)[c.kind] : undefined;
    return (probe?.breaksAppRules ? tolerant : strict)(environ, startResponse);
  };
}
