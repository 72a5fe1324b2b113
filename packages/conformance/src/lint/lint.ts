import type { App, Capability, Environ, ErrorStream, InputStream, StartResponse } from '@tsgi/interface';
import { Reporter } from '../reporter.js';
import { lintBody, type BodyState } from './body-proxy.js';
import { checkEnviron } from './environ-checks.js';
import { guardEnviron } from './environ-guard.js';
import { lintErrors } from './errors-proxy.js';
import { lintWaitUntil } from './wait-until-proxy.js';
import { LintedInput } from './input-proxy.js';
import { RequestMonitor, type Sides } from './request-monitor.js';
import { lintStartResponse } from './start-response-proxy.js';

export interface LintOptions {
  /** Where violations go. Default: a Reporter that throws MUST violations and keeps SHOULD ones. */
  reporter?: Reporter;
  /**
   * What the host above advertises; turns on the checks tied to a capability
   * (`raw-request-target`: PATH_INFO against REQUEST_URI; `remote-address`: REMOTE_ADDR).
   */
  capabilities?: readonly Capability[];
  /** Who sits on each side, for the violations' `party` (a middleware, under certifyMiddleware). */
  sides?: Partial<Sides>;
  /** Keep each request until `settle()` checks it (default true for createLint, false for lint). */
  track?: boolean;
}

/** One request seen by a lint, for `settle()` and for tests that inspect the lint's view. */
export interface LintedRequest {
  readonly monitor: RequestMonitor;
  body: BodyState | undefined;
}

/**
 * A lint and what it has seen: wrap any number of apps with it, then `settle()` once the
 * host says the requests are over, to check what can only be checked at the end (every
 * body released, BODY-9).
 */
export class LintSession {
  readonly reporter: Reporter;
  readonly requests: LintedRequest[] = [];
  readonly #options: LintOptions;
  readonly #sides: Sides;
  readonly #seen = new WeakSet<object>();

  constructor(options: LintOptions = {}) {
    this.reporter = options.reporter ?? new Reporter();
    this.#options = options;
    this.#sides = { host: options.sides?.host ?? 'host', app: options.sides?.app ?? 'app' };
  }

  /** The app, wrapped: behaves exactly like `app` towards a compliant host. */
  wrap(app: App): App {
    if (typeof app !== 'function') {
      this.reporter.report({
        clause: 'APP-1',
        level: 'must',
        party: this.#sides.app,
        subject: 'app',
        message: `[APP-1] app must be a function (environ, startResponse) => body; got ${typeof app}`,
        value: app,
      });
    }
    const session = this;
    const capabilities = this.#options.capabilities ?? [];
    const checkOptions = { rawTarget: capabilities.includes('raw-request-target'), remoteAddress: capabilities.includes('remote-address') };
    return function linted(environ: Environ, startResponse: StartResponse) {
      const env = environ as unknown as Record<string, unknown>;
      const monitor = new RequestMonitor(session.reporter, session.#sides, env);
      const request: LintedRequest = { monitor, body: undefined };
      if (session.#options.track !== false) session.requests.push(request);
      if (env !== null && typeof env === 'object') {
        if (session.#seen.has(env)) monitor.fail('host', 'ENV-1', 'environ', 'must be a new object for every app call');
        session.#seen.add(env);
      }
      checkEnviron(environ, monitor.fail, checkOptions);
      const replacements: Record<string, unknown> = {};
      const input = env['tsgi.input'] as InputStream | undefined;
      if (input && typeof input.read === 'function') replacements['tsgi.input'] = new LintedInput(input, monitor);
      const errors = env['tsgi.errors'] as ErrorStream | undefined;
      if (errors && typeof errors.write === 'function') replacements['tsgi.errors'] = lintErrors(errors, monitor);
      const waitUntil = env['tsgi.wait_until'];
      if (typeof waitUntil === 'function') replacements['tsgi.wait_until'] = lintWaitUntil(waitUntil as (p: unknown) => unknown, monitor);
      const guarded = guardEnviron(env, replacements, monitor) as unknown as Environ;
      const wrappedStart = lintStartResponse(startResponse, monitor);
      const accept = (body: unknown) => {
        monitor.appSettled = true;
        return lintBody(body, monitor, (state) => (request.body = state));
      };
      let result: unknown;
      try {
        result = app(guarded, wrappedStart);
      } catch (error) {
        monitor.appSettled = true;
        throw error;
      }
      if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
        return Promise.resolve(result).then(accept, (error: unknown) => {
          monitor.appSettled = true;
          throw error;
        }) as ReturnType<App>;
      }
      return accept(result) as ReturnType<App>;
    };
  }

  /**
   * Checks the requests seen since the last call: each body must have been released
   * (BODY-9). Call it when the host has finished them (the response is complete, the
   * client is gone); `graceMs` lets a host finish releasing asynchronously.
   */
  async settle(graceMs = 0): Promise<void> {
    // Settled requests are forgotten, so a long-lived session keeps no garbage.
    const requests = this.requests.splice(0);
    if (graceMs > 0 && requests.some((r) => r.body && !r.body.released)) {
      const deadline = Date.now() + graceMs;
      while (Date.now() < deadline && requests.some((r) => r.body && !r.body.released)) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    for (const request of requests) {
      const body = request.body;
      if (body && !body.released) {
        request.monitor.fail('host', 'BODY-9', 'body', `must be released once the request is over (${body.hasClose ? 'close() was never called' : 'return() was never called'})`);
      }
    }
  }
}

/** Creates a lint session (see LintSession). */
export function createLint(options: LintOptions = {}): LintSession {
  return new LintSession(options);
}

/**
 * Wraps an app in the lint: every rule the lint can observe, on both sides, is checked
 * while the app runs, and each violation goes to the reporter (thrown by default for MUST
 * rules). Towards compliant parties it changes nothing. Put one above and one below a
 * middleware to check both of its faces.
 */
export function lint(app: App, options: LintOptions = {}): App {
  return new LintSession({ track: false, ...options }).wrap(app);
}
