import {
  EMPTY_INPUT,
  IncompleteBodyError,
  SourceInputStream,
  describeError,
  environFromRequest,
  parseContentLength,
  type Environ,
  type ErrorStream,
  type InputStream,
  type RequestError,
  type Status,
} from '@tsgi/interface';
import { LambdaEventError } from './lambda-event-error.js';
import type { LambdaRequest } from './lambda-request.js';
import type { LambdaResponse } from './lambda-response.js';
import type { Context, LambdaHttpEvent } from './types.js';

/** A byte source that yields one body and ends, or, when CloudFront cut it short, fails after it (LAMBDA-5). */
function bodySource(body: Uint8Array | undefined, truncated: boolean): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      let step = body === undefined || body.length === 0 ? 1 : 0;
      return {
        next(): Promise<IteratorResult<Uint8Array>> {
          if (step++ === 0) return Promise.resolve({ done: false, value: body! });
          if (truncated) return Promise.reject(new IncompleteBodyError(undefined, body?.length ?? 0));
          return Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
}

function inputFor(request: LambdaRequest, limit: number | undefined): InputStream {
  const { body, bodyTruncated } = request;
  let length: number | undefined;
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === 14 && raw[i]!.toLowerCase() === 'content-length') {
      const n = parseContentLength(raw[i + 1]!.trim());
      if (n >= 0) length = n;
    }
  }
  const size = body?.length ?? 0;
  if (length !== undefined && length !== size && !bodyTruncated) {
    // The event is the whole request: a body that disagrees with its own Content-Length is a
    // malformed event (HOST-6), refused before the app could read a truncated body.
    throw new LambdaEventError(`the event's Content-Length is ${length} but its body has ${size} bytes`, undefined, 'HOST-6');
  }
  if (size === 0 && !bodyTruncated) return EMPTY_INPUT;
  // A body CloudFront cut short is shorter than its length: reading past it fails (INP-10).
  return new SourceInputStream(bodySource(body, bodyTruncated), { contentLength: length, limit });
}

/** Collects the promises passed to `tsgi.wait_until` for one invocation. */
export class InvocationWork {
  #pending: Promise<unknown>[] | undefined;
  readonly #errors: ErrorStream;
  readonly waitUntil: (promise: PromiseLike<unknown>) => void;

  constructor(errors: ErrorStream) {
    this.#errors = errors;
    this.waitUntil = (promise) => {
      // HOST-25: any thenable, returns undefined, never throws; HOST-28: rejections reported.
      try {
        (this.#pending ??= []).push(Promise.resolve(promise).then(undefined, (error: unknown) => this.#report(error)));
      } catch (error) {
        this.#report(error);
      }
    };
  }

  /** True when `tsgi.wait_until` was called during this invocation. */
  get used(): boolean {
    return this.#pending !== undefined;
  }

  /**
   * Waits for every promise passed so far, and those passed while waiting, until `timeoutMs`
   * (LAMBDA-19); reports the ones still pending then.
   */
  async settle(timeoutMs: number): Promise<void> {
    if (this.#pending === undefined) return;
    const deadline = Date.now() + timeoutMs;
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      if (!Number.isFinite(timeoutMs)) {
        await Promise.all(batch);
        continue;
      }
      const left = deadline - Date.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<true>((resolve) => (timer = setTimeout(resolve, Math.max(0, left), true)));
      const timedOut = await Promise.race([Promise.all(batch).then(() => false), expired]);
      clearTimeout(timer);
      if (timedOut) {
        this.#errors.write(`[LAMBDA-19] the invocation reached its deadline with ${batch.length} tsgi.wait_until promise(s) still pending\n`);
        return;
      }
    }
  }

  #report(error: unknown): void {
    this.#errors.write(`[HOST-28] a promise passed to tsgi.wait_until rejected\n${describeError(error)}\n`);
  }
}

/** What a handler applies to every invocation's environ. */
export interface InvocationSettings {
  errors: ErrorStream;
  maxBodySize: number | undefined;
  multithread: boolean;
}

/**
 * Counts the invocations of one handler in progress, to tell the deployer when the platform
 * runs several at once while `tsgi.multithread` says it does not (HOST-4).
 */
export class InvocationCount {
  #pending = 0;
  #reported = false;

  /** An invocation starts: reports, once, overlapping invocations that the environ does not announce. */
  start(settings: InvocationSettings): void {
    if (this.#pending > 0 && !settings.multithread && !this.#reported) {
      this.#reported = true;
      settings.errors.write(
        '[HOST-4] the handler was invoked while another invocation was in progress, with tsgi.multithread false; ' +
          'on Lambda Managed Instances pass { multithread: true }\n',
      );
    }
  }

  /** The invocation waits for something: others may start meanwhile. */
  suspend(): void {
    this.#pending++;
  }

  /** The invocation that waited is over. */
  resume(): void {
    this.#pending--;
  }
}

/** The environ of one invocation (LAMBDA-2); throws RequestError(400) for a request that cannot be one (HOST-6). */
export function environForInvocation(
  request: LambdaRequest,
  event: unknown,
  context: Context,
  lifecycle: { readonly signal: AbortSignal },
  work: InvocationWork,
  settings: InvocationSettings,
): Environ {
  const errors = settings.errors;
  const environ = environFromRequest({
    method: request.method,
    target: request.target,
    rawHeaders: request.rawHeaders,
    protocol: request.protocol,
    scheme: request.scheme,
    serverName: request.serverName,
    serverPort: request.serverPort,
    remoteAddress: request.remoteAddress,
    scriptName: request.scriptName,
    input: inputFor(request, settings.maxBodySize),
    errors,
    lifecycle,
    waitUntil: work.waitUntil,
    multithread: settings.multithread,
    multiprocess: true,
    runOnce: false,
  });
  environ['lambda.event'] = event as LambdaHttpEvent;
  environ['lambda.context'] = context;
  return environ;
}

const PHRASES: Record<RequestError['status'], string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
};

/** The answer to a request refused before the app (HOST-6): the status and the message, which names the clause and the field. */
export function requestErrorResponse(error: RequestError): LambdaResponse {
  const body = new TextEncoder().encode(error.message + '\n');
  return {
    status: `${error.status} ${PHRASES[error.status] ?? 'Bad Request'}` as Status,
    headers: [
      ['content-type', 'text/plain; charset=utf-8'],
      ['content-length', String(body.length)],
    ],
    body,
  };
}

/** Milliseconds left before the invocation's deadline, or Infinity when the context does not say. */
export function remainingTime(context: Context | undefined): number {
  const get = context?.getRemainingTimeInMillis;
  if (typeof get !== 'function') return Number.POSITIVE_INFINITY;
  const left = get.call(context);
  return typeof left === 'number' && Number.isFinite(left) ? left : Number.POSITIVE_INFINITY;
}
