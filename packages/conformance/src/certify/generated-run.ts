import fc from 'fast-check';
import { requestArbitrary, type RequestOptions, type RequestSample } from '../arbitraries/request.js';
import { responsePlanArbitrary, type ResponsePlan } from '../arbitraries/response.js';
import { readPatternArbitrary } from '../arbitraries/read-pattern.js';
import { concatBytes, headerValues, latin1, sameBytes, type WireRequest, type WireResponse } from '../drivers/wire.js';
import { PROBE_ID_HEADER, type ReadPattern } from '../probes/registry.js';
import type { Violation } from '../violation.js';
import type { Counterexample } from './report.js';
import { checkEnvironAgainstView } from './environ-expectations.js';
import type { CheckContext } from './server-checks/context.js';
import { Ledger } from './ledger.js';
import { runProperty } from './property-run.js';

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
  /** Once aborted, the remaining cases are skipped. */
  signal?: AbortSignal | undefined;
}

/** Where each kind of host is told to keep the reason phrase. */
const REASON_CLAUSE = { http: 'HOST-20', memory: 'HOST-20', fetch: 'FETCH-9', lambda: 'LAMBDA-16' } as const;

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
  let response: WireResponse | undefined;
  try {
    response = await ctx.driver.open(wire).readAll(ctx.timeoutMs);
    await ctx.reported(c);
  } catch (error) {
    local.host(false, 'HOST-17', `the response to ${input.request.method} ${JSON.stringify(input.request.target.target).slice(0, 60)} (body ${input.request.body.length} bytes, ${input.request.framing}; plan ${input.plan.style}, ${input.plan.chunks.length} chunks; read ${input.read.kind})`, 'must reach the client', error instanceof Error ? error.message : error);
  }
  const hostile = isHostile(input.request);
  if (c.calls === 0) {
    const status = response?.status ?? 0;
    local.host(hostile && status >= 400 && status < 500, 'HOST-6', `the request ${input.request.method} ${JSON.stringify(input.request.target.target).slice(0, 60)}`, 'must reach the app: only requests that do not parse may be refused (400)', status);
  } else {
    // The environ and the body are checked even when the response went wrong.
    if (c.environ) {
      checkEnvironAgainstView(c.environ, view, local, {
        rawTarget: ctx.has('raw-request-target'),
        remoteAddress: ctx.has('remote-address'),
        rawHeaders: ctx.driver.features.rawHeaders,
      });
    }
    checkBody(local, input, c.bodyRead, c.inputError);
    if (response) checkResponse(ctx, local, input, response);
  }
  ctx.registry.drop(c);
  const results = local.results();
  for (const result of results) {
    for (let i = 0; i < result.checks - result.violations.length; i++) ledger.pass(result.clause);
    for (const v of result.violations) ledger.fail(v);
  }
  return results.flatMap((r) => r.violations);
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
  if (ctx.driver.features.reasonPhrase) ledger.host(response.reason === reason, REASON_CLAUSE[ctx.driver.kind], 'the reason phrase', `must be the app's ${JSON.stringify(reason)}`, response.reason);
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
  // Where a runtime's HTTP server frames the response, Content-Length is its doing.
  if (ctx.driver.features.framing) {
    const declared = plan.headers.filter(([n]) => n.toLowerCase() === 'content-length').map(([, v]) => v);
    const lengths = headerValues(response.headers, 'content-length');
    if (head) {
      ledger.host(declared.length ? lengths.length === 1 && lengths[0] === declared[0] : lengths.length === 0, declared.length ? 'BODY-23' : 'BODY-18', 'Content-Length of a HEAD response', declared.length ? `must be the app's ${declared[0]}` : 'must not be added by the host', lengths);
    } else if (code === 204 || code === 304) {
      ledger.host(lengths.length === declared.length, 'BODY-18', `Content-Length of a ${code} response`, 'must not be added by the host', lengths);
    } else if (declared.length) {
      ledger.host(lengths.length === 1 && lengths[0] === declared[0], 'HOST-19', 'Content-Length', `must be the app's ${declared[0]}, once`, lengths);
    }
  }
  const expectedBody = noBody ? new Uint8Array(0) : concatBytes(plan.chunks);
  ledger.host(sameBytes(response.body, expectedBody) && response.trailing === 0, noBody ? 'BODY-20' : 'BODY-13', 'the response body', noBody ? 'must carry no bytes' : `must be the ${expectedBody.length} bytes the app yielded, unchanged`, response.trailing ? `${response.body.length} bytes + ${response.trailing} stray` : latin1(response.body.subarray(0, 40)));
  ledger.host(response.complete, 'BODY-13', 'the response', 'must arrive complete', response.complete);
}

const text = (value: string) => new TextEncoder().encode(value);
const line = (name: string, value: string) => ({ name, raw: value, value });

/**
 * Known hard cases, run before the random ones (fast-check `examples`): encoded slashes and
 * percent signs, UTF-8 and raw-looking bytes in the path, dot segments, an undecoded query,
 * repeated and underscored header names, several Cookie lines, several Set-Cookie pairs, a
 * reason phrase with a tab, a chunked upload read line by line.
 */
export const EDGE_CASES: readonly GeneratedCase[] = [
  {
    request: {
      method: 'POST',
      target: { target: '/a%2Fb/%25zz/caf%C3%A9/./x/../y//z?q=%41%2B+b&k', form: 'origin', pathInfo: '/a/b/%zz/caf\xC3\xA9/./x/../y//z', queryString: 'q=%41%2B+b&k' },
      headers: [line('X-Auth-User', 'alice'), line('X_Auth_User', 'mallory'), line('Accept', 'text/html'), line('accept', 'application/json'), line('Cookie', 'a=1'), line('Cookie', 'b=2'), line('X-Tab', 'a\tb'), line('Content-Type', 'text/plain')],
      body: text('line one\nline two\nno newline'),
      chunks: [text('line one\nli'), text('ne two\nno newline')],
      framing: 'chunked',
    },
    plan: {
      status: '299 Edge\tCase' as GeneratedCase['plan']['status'],
      headers: [['Set-Cookie', 'a=1; Path=/'], ['X-Custom', 'one'], ['set-cookie', 'b=2; HttpOnly'], ['X-Custom', 'two'], ['X-High', 'caf\xE9']],
      chunks: [text('first;'), new Uint8Array(0), text('second')],
      style: 'lazy',
      closable: true,
      declaresLength: false,
    },
    read: { kind: 'readLine', limit: 5 },
  },
  {
    request: {
      method: 'HEAD',
      target: { target: '/%7Euser/%2e%2e/%FF', form: 'origin', pathInfo: '/~user/../\xFF', queryString: '' },
      headers: [line('X-Forwarded-For', '203.0.113.9'), line('X-A', 'one'), line('X-B', 'two'), line('x-a', 'three')],
      body: new Uint8Array(0),
      chunks: [],
      framing: 'length',
    },
    plan: { status: '200 OK', headers: [['Content-Type', 'text/plain'], ['Content-Length', '11']], chunks: [text('hello world')], style: 'array', closable: false, declaresLength: true },
    read: { kind: 'read', sizes: [0] },
  },
];

/**
 * The generated part of certifyServer: fast-check draws requests, responses and read
 * patterns; each runs through the host and its environ, request body and response are
 * compared with what was sent and planned. The known hard cases run first; a failure is
 * shrunk and replayable by seed.
 */
export async function runGenerated(ctx: CheckContext, ledger: Ledger, options: GeneratedRunOptions): Promise<Counterexample | undefined> {
  const arbitrary = fc.record({
    request: requestArbitrary(options.request),
    plan: responsePlanArbitrary(),
    read: readPatternArbitrary(),
  });
  return runProperty(
    arbitrary,
    async (input, record) => {
      if (options.signal?.aborted) return [];
      if (record) options.onCase?.();
      return runCase(ctx, record ? ledger : new Ledger(), input);
    },
    { runs: options.runs, seed: options.seed, shrink: options.shrink, examples: EDGE_CASES },
  );
}
