import { parseContentLength, statusCode } from '@tsgi/interface';
import type { Reporter } from '../reporter.js';
import { NO_VALUE, violation, type Level, type Party } from '../violation.js';

/** Which side of the lint broke a rule: the caller (host) or the wrapped app. */
export type Side = 'host' | 'app';

/** Reports one violation; `value` is the offending value when there is one. */
export type Fail = (side: Side, clause: string, subject: string, expectation: string, value?: unknown, level?: Level) => void;

/** What each side of a lint is: `host` above and `app` below, or a middleware on either side. */
export interface Sides {
  host: Party;
  app: Party;
}

/** Statuses whose responses carry no body bytes (BODY-19). */
export function statusHasNoBody(code: number): boolean {
  return code === 204 || code === 205 || code === 304;
}

/**
 * The state of one request as the lint sees it: what the app has said (status, headers,
 * bytes), what the host has done with the body (pulled, returned, closed), and what is
 * known about the commit. Every proxy of one request shares it.
 */
export class RequestMonitor {
  readonly fail: Fail;
  readonly head: boolean;
  /** The request's CONTENT_LENGTH, when it has a valid one. */
  readonly requestLength: number | undefined;

  /** startResponse calls that the host accepted. */
  started = false;
  status: string | undefined;
  /** The Content-Length the app declared, or undefined. */
  declaredLength: number | undefined;
  /** The app's call returned a body, or its Promise settled (SR-21). */
  appSettled = false;
  /** A non-empty chunk reached the host (from the body or `write`). */
  nonEmptyHanded = false;
  /** The host has certainly committed: it asked for more after a non-empty chunk, or ended. */
  committed = false;
  /** Body bytes the app produced, `write` included. */
  bytes = 0;
  /** The body iterator reported done, or threw. */
  bodyEnded = false;
  /** The host began releasing the body (return() or close()). */
  releasing = false;
  /** The response finished normally (done), as opposed to early stop, error or abort. */
  completedNormally = false;
  hasBody = false;
  released = false;

  constructor(
    reporter: Reporter,
    sides: Sides,
    readonly environ: Record<string, unknown>,
  ) {
    this.fail = (side, clause, subject, expectation, value = NO_VALUE, level = 'must') => {
      reporter.report(violation({ clause, party: sides[side], subject, expectation, value, level }));
    };
    this.head = environ.REQUEST_METHOD === 'HEAD';
    const length = typeof environ.CONTENT_LENGTH === 'string' ? parseContentLength(environ.CONTENT_LENGTH) : -1;
    this.requestLength = length >= 0 ? length : undefined;
  }

  /** True when this response carries body bytes: not HEAD, not 204/205/304. */
  get carriesBody(): boolean {
    if (this.head) return false;
    return this.status === undefined || !statusHasNoBody(statusCode(this.status));
  }

  /** The response status forbids body bytes (204, 205, 304). */
  get statusForbidsBody(): boolean {
    return this.status !== undefined && statusHasNoBody(statusCode(this.status));
  }

  /** Counts body bytes from the body or `write` and checks them against Content-Length. */
  countBytes(length: number, subject: string): void {
    if (length === 0) return;
    if (!this.started) {
      this.fail('app', 'APP-2', subject, 'must come after startResponse: a non-empty chunk was produced before it was called');
    }
    if (this.statusForbidsBody) {
      this.fail('app', 'BODY-19', subject, `must be empty in a ${this.status} response`, length);
    }
    const before = this.bytes;
    this.bytes += length;
    if (this.carriesBody && this.declaredLength !== undefined && before <= this.declaredLength && this.bytes > this.declaredLength) {
      this.fail('app', 'BODY-14', 'body', `must hold exactly the declared Content-Length of ${this.declaredLength} bytes`, `${this.bytes} bytes and counting`);
    }
  }

  /** The body ended normally: check that startResponse came and the length matches. */
  bodyDone(): void {
    this.bodyEnded = true;
    this.completedNormally = true;
    this.committed = true;
    if (!this.started) this.fail('app', 'APP-2', 'body', 'must not end before startResponse is called');
    if (this.carriesBody && this.declaredLength !== undefined && this.bytes < this.declaredLength) {
      this.fail('app', 'BODY-14', 'body', `must hold exactly the declared Content-Length of ${this.declaredLength} bytes`, `${this.bytes} bytes in all`);
    }
  }
}
