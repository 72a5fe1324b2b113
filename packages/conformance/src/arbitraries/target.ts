import fc from 'fast-check';
import { pathArbitrary, type PathOptions } from './path.js';
import { queryArbitrary } from './query.js';

/** A request target and the environ values it must produce. */
export interface TargetSample {
  /** The request target as sent: origin form `/p?q`, absolute form, or `*`. */
  target: string;
  form: 'origin' | 'absolute' | 'asterisk';
  /** SCRIPT_NAME + PATH_INFO the host must give (ENV-8, ENV-10). */
  pathInfo: string;
  /** QUERY_STRING the host must give (ENV-12). */
  queryString: string;
}

export interface TargetOptions extends PathOptions {
  /** Forms to generate (default: origin only; absolute form needs a host that accepts proxies' requests). */
  forms?: ReadonlyArray<TargetSample['form']>;
  /** How often the target has a query (0 to 1, default 0.5). */
  queryRate?: number;
}

/** Request targets: a generated path, with or without a raw query, in the chosen forms. */
export function targetArbitrary(options: TargetOptions = {}): fc.Arbitrary<TargetSample> {
  const forms = options.forms ?? ['origin'];
  const rate = options.queryRate ?? 0.5;
  const query = fc.oneof(
    { weight: Math.round((1 - rate) * 10), arbitrary: fc.constant<string | undefined>(undefined) },
    { weight: Math.round(rate * 10), arbitrary: queryArbitrary() },
  );
  const origin = fc.tuple(pathArbitrary(options), query).map(([path, q]): TargetSample => ({
    target: q === undefined ? path.raw : `${path.raw}?${q}`,
    form: 'origin',
    pathInfo: path.decoded,
    queryString: q ?? '',
  }));
  const choices: fc.Arbitrary<TargetSample>[] = [];
  if (forms.includes('origin')) choices.push(origin);
  if (forms.includes('absolute')) {
    choices.push(origin.map((sample) => ({ ...sample, form: 'absolute' as const, target: `http://example.test${sample.target}` })));
  }
  if (forms.includes('asterisk')) choices.push(fc.constant<TargetSample>({ target: '*', form: 'asterisk', pathInfo: '', queryString: '' }));
  return choices.length === 1 ? choices[0]! : fc.oneof(...choices);
}
