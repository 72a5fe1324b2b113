import fc from 'fast-check';
import { requestArbitrary, type RequestOptions, type RequestSample } from '../arbitraries/request.js';
import { responsePlanArbitrary, type ResponsePlan } from '../arbitraries/response.js';
import { readPatternArbitrary } from '../arbitraries/read-pattern.js';
import { concatBytes, headerValues, latin1, sameBytes, type WireRequest } from '../drivers/wire.js';
import { PROBE_ID_HEADER, type ReadPattern } from '../probes/registry.js';
import type { Violation } from '../violation.js';
import type { Counterexample } from './report.js';
import { checkEnvironAgainstView } from './environ-expectations.js';
import type { CheckContext } from './server-checks/context.js';
import { Ledger } from './ledger.js';

/** One generated case: a request, the response the echo probe answers with, and how it reads the body. */
export interface GeneratedCase {
  request: RequestSample;
  plan: ResponsePlan;
  read: ReadPattern;
}

export interface GeneratedRunOptions {
  runs: number;
  seed: number;
  /** Shrink a failure to a minimal case (default true). */
  shrink: boolean;
  request: RequestOptions;
  onCase?: () => void;
}

const STANDARD = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A request a host may refuse with 4xx instead of serving: not valid RFC 9112, or an unknown method. */
function isHostile(sample: RequestSample): boolean {
  if (!STANDARD.has(sample.method)) return true;
  for (let i = 0; i < sample.target.target.length; i++) if (sample.target.target.charCodeAt(i) > 0x7e) return true;
  return false;
}

function wireRequestOf(sample: RequestSample, id: string): WireRequest {
  return {
    method: sample.method,
    target: sample.target.target,
    headers: [[PROBE_ID_HEADER, id], ...sample.headers.map((h) => [h.name, h.raw] as const)],
    body: sample.body,
    chunks: sample.chunks,
    framing: sample.body.length === 0 && sample.method !== 'POST' && sample.method !== 'PUT' ? 'none' : sample.framing,
  };
}

/** Runs one generated case through the host; returns the violations it produced. */
async function runCase(ctx: CheckContext, ledger: Ledger, input: GeneratedCase): Promise<Violation[]> {
  const local = new Ledger();
  const c = ctx.registry.create('echo');
  c.plan = input.plan;
  c.readPattern = input.read;
  const wire = wireRequestOf(input.request, c.id);
  const view = ctx.driver.view(wire, { pathInfo: input.request.target.pathInfo, queryString: input.request.target.queryString });
  if (!view) {
    ctx.registry.drop(c);
    return [];
  }
  const response = await ctx.driver.open(wire).readAll(ctx.timeoutMs);
  const hostile = isHostile(input.request);
  if (c.calls === 0) {
    local.host(hostile && response.status >= 400 && response.status < 500, 'HOST-6', `the request ${input.request.method} ${JSON.stringify(input.request.target.target).slice(0, 60)}`, 'must reach the app: only requests that do not parse may be refused (400)', response.status);
  } else {
    checkEnvironAgainstView(c.environ!, view, local, {
      rawTarget: ctx.has('raw-request-target'),
      remoteAddress: ctx.has('remote-address'),
      rawHeaders: ctx.driver.features.rawHeaders,
    });
    checkBody(local, input, c.bodyRead, c.inputError);
    checkResponse(ctx, local, input, response);
  }
  ctx.registry.drop(c);
  for (const result of local.results()) {
    for (let i = 0; i < result.checks - result.violations.length; i++) ledger.pass(result.clause);
    for (const v of result.violations) ledger.fail(v);
  }
  return local.results().flatMap((r) => r.violations);
}

function checkBody(ledger: Ledger, input: GeneratedCase, read: Uint8Array | undefined, error: unknown): void {
  const clause = input.read.kind === 'read' ? 'INP-2' : input.read.kind === 'readLine' ? 'INP-4' : 'INP-7';
  ledger.host(read !== undefined && sameBytes(read, input.request.body), clause, `the request body read through tsgi.input (${input.read.kind})`, `must be the ${input.request.body.length} bytes sent, exactly`, read === undefined ? error : `${read.length} bytes`);
}

function checkResponse(ctx: CheckContext, ledger: Ledger, input: GeneratedCase, response: Awaited<ReturnType<ReturnType<CheckContext['driver']['open']>['readAll']>>): void {
  const plan = input.plan;
  const code = Number(plan.status.slice(0, 3));
  const reason = plan.status.slice(4);
  const head = input.request.method === 'HEAD';
  const noBody = head || code === 204 || code === 205 || code === 304;
  ledger.host(response.status === code, 'HOST-17', 'the status', `must be the app's ${code}`, response.status);
  if (ctx.driver.features.reasonPhrase) ledger.host(response.reason === reason, 'HOST-20', 'the reason phrase', `must be the app's ${JSON.stringify(reason)}`, response.reason);
  // Every pair the app passed, in order, each as its own field line (HOST-17); the host may add its own.
  const names = new Set(plan.headers.map(([n]) => n.toLowerCase()));
  const sent = response.headers.filter(([n]) => names.has(n.toLowerCase()) && !(head && n.toLowerCase() === 'content-length')).map(([n, v]) => `${n.toLowerCase()}: ${v}`);
  const wanted = plan.headers.filter(([n]) => !(head && n.toLowerCase() === 'content-length')).map(([n, v]) => `${n.toLowerCase()}: ${v}`);
  if (ctx.driver.features.headerLines) {
    ledger.host(sent.length === wanted.length && sent.every((line, i) => line === wanted[i]), 'HOST-17', 'the response headers', `must be the app's pairs, in order, each on its own line: ${JSON.stringify(wanted).slice(0, 200)}`, sent);
  } else {
    const cookies = plan.headers.filter(([n]) => n.toLowerCase() === 'set-cookie').map(([, v]) => v);
    ledger.host(JSON.stringify(headerValues(response.headers, 'set-cookie')) === JSON.stringify(cookies), 'HOST-17', 'Set-Cookie', 'must reach the client once per pair, in order', headerValues(response.headers, 'set-cookie'));
  }
  const declared = plan.headers.filter(([n]) => n.toLowerCase() === 'content-length').map(([, v]) => v);
  const lengths = headerValues(response.headers, 'content-length');
  if (head) {
    ledger.host(declared.length ? lengths.length === 1 && lengths[0] === declared[0] : lengths.length === 0, declared.length ? 'BODY-23' : 'BODY-18', 'Content-Length of a HEAD response', declared.length ? `must be the app's ${declared[0]}` : 'must not be added by the host', lengths);
  } else if (code === 204 || code === 304) {
    ledger.host(lengths.length === declared.length, 'BODY-18', `Content-Length of a ${code} response`, 'must not be added by the host', lengths);
  } else if (declared.length) {
    ledger.host(lengths.length === 1 && lengths[0] === declared[0], 'HOST-19', 'Content-Length', `must be the app's ${declared[0]}, once`, lengths);
  }
  const expectedBody = noBody ? new Uint8Array(0) : concatBytes(plan.chunks);
  ledger.host(sameBytes(response.body, expectedBody) && response.trailing === 0, noBody ? 'BODY-20' : 'BODY-13', 'the response body', noBody ? 'must carry no bytes' : `must be the ${expectedBody.length} bytes the app yielded, unchanged`, response.trailing ? `${response.body.length} bytes + ${response.trailing} stray` : latin1(response.body.subarray(0, 40)));
  ledger.host(response.complete, 'BODY-13', 'the response', 'must arrive complete', response.complete);
}

/**
 * The generated part of certifyServer: fast-check draws requests, responses and read
 * patterns; each runs through the host and its environ, request body and response are
 * compared with what was sent and planned. A failure is shrunk and replayable by seed.
 */
export async function runGenerated(ctx: CheckContext, ledger: Ledger, options: GeneratedRunOptions): Promise<Counterexample | undefined> {
  const arbitrary = fc.record({
    request: requestArbitrary(options.request),
    plan: responsePlanArbitrary(),
    read: readPatternArbitrary(),
  });
  let lastViolations: Violation[] = [];
  const property = fc.asyncProperty(arbitrary, async (input) => {
    options.onCase?.();
    lastViolations = await runCase(ctx, ledger, input);
    return lastViolations.length === 0;
  });
  const details = await fc.check(property, { numRuns: options.runs, seed: options.seed, endOnFailure: !options.shrink });
  if (!details.failed || !details.counterexample) return undefined;
  const [input] = details.counterexample;
  // Replay the shrunk case alone, so the report shows its own violations.
  const violations = await runCase(ctx, new Ledger(), input).catch(() => lastViolations);
  return { seed: details.seed, path: details.counterexamplePath ?? undefined, input, violations: violations.length ? violations : lastViolations };
}
