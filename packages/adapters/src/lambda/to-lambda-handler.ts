import { Exchange, RequestAbortedError, RequestError, type App, type Environ, type ErrorStream } from '@tsgi/interface';
import { consoleErrorStream } from '../fetch/console-error-stream.js';
import { BufferedSink } from './buffered-sink.js';
import { detectEventSource, eventAsSource } from './detect-event-source.js';
import { InvocationCount, InvocationWork, environForInvocation, remainingTime, requestErrorResponse, type InvocationSettings } from './invocation.js';
import { LambdaEventError } from './lambda-event-error.js';
import type { LambdaRequest } from './lambda-request.js';
import { LambdaResponseError } from './lambda-response-error.js';
import type { LambdaResponse, ResultConversionOptions } from './lambda-response.js';
import type { LambdaHandlerOptions } from './options.js';
import { requestFromEvent } from './request-from-event.js';
import { resultExceeds, resultFromResponse, resultSizeLimit } from './result-from-response.js';
import type { Context, LambdaEventSource, LambdaHttpEvent, LambdaHttpResult, LambdaResultFor } from './types.js';

/** A buffered Lambda handler: each event type gets its own result type, as `@types/aws-lambda` pairs them. */
export type LambdaHandler = <E extends LambdaHttpEvent>(event: E, context: Context) => Promise<LambdaResultFor<E>>;

/** The message of LAMBDA-1 for an event of no known source. */
export function unknownEventError(reason: string): LambdaEventError {
  return new LambdaEventError(
    `${reason}; the Lambda host serves API Gateway REST and HTTP API, ALB, Function URL, VPC Lattice and CloudFront request events`,
    undefined,
  );
}

/** One invocation's state: the sink, the wait_until work, and the result built at the end of the body. */
class Invocation {
  readonly sink: BufferedSink;
  readonly work: InvocationWork;
  result: LambdaHttpResult | undefined = undefined;
  bodySize = 0;
  conversionError: unknown = undefined;

  constructor(
    readonly source: LambdaEventSource,
    readonly event: unknown,
    errors: ErrorStream,
    resultOptions: ResultConversionOptions,
  ) {
    this.work = new InvocationWork(errors);
    // The result is built inside the sink's end, before the exchange releases the body (APP-5).
    this.sink = new BufferedSink((response) => {
      try {
        this.result = resultFromResponse(source, event, response, resultOptions);
        this.bodySize = response.body.length;
      } catch (error) {
        this.conversionError = error;
      }
    });
  }
}

/**
 * Serves a tsgi app as a buffered Lambda handler for every HTTP event source (LAMBDA-1):
 * `export const handler = toLambdaHandler(app)`. The source is told by the event's shape,
 * or forced with `options.source`; the result has that source's shape. An event of no known
 * source rejects with a LambdaEventError; a malformed event of a known source is answered
 * 400 without calling the app. The invocation ends once the promises passed to
 * `tsgi.wait_until` have settled (LAMBDA-19).
 */
export function toLambdaHandler(app: App, options: LambdaHandlerOptions = {}): LambdaHandler {
  const errors = options.errors ?? consoleErrorStream;
  const forced = options.source;
  const conversion = { scriptName: options.scriptName };
  const resultOptions: ResultConversionOptions = {
    base64: options.base64,
    setCookie: options.setCookie,
    warn: (message) => errors.write(message),
  };
  const margin = options.deadlineMargin ?? 500;
  const settings: InvocationSettings = { errors, maxBodySize: options.maxBodySize, multithread: options.multithread === true };
  const count = new InvocationCount();

  /** The result once the response is complete: waits for tsgi.wait_until work, checks the size. */
  function settle(invocation: Invocation, context: Context): LambdaHttpResult | Promise<LambdaHttpResult> {
    const { work } = invocation;
    if (work.used) return work.settle(Math.max(0, remainingTime(context) - margin / 2)).then(() => finish(invocation));
    return finish(invocation);
  }

  function finish(invocation: Invocation): LambdaHttpResult {
    const { sink, source, event } = invocation;
    if (sink.failure) throw new LambdaResponseError('LAMBDA-18', sink.failure.error);
    const result = invocation.result;
    if (result === undefined) throw invocation.conversionError ?? new Error('[LAMBDA-18] the exchange ended without a response');
    const limit = resultSizeLimit(source, event);
    if (resultExceeds(result, invocation.bodySize, limit)) {
      errors.write(`[LAMBDA-21] the ${source} result is larger than the ${limit} bytes the platform accepts; answered 502 instead\n`);
      return resultFromResponse(source, event, tooLargeResponse(), resultOptions);
    }
    return result;
  }

  async function untilDone(invocation: Invocation, exchange: Exchange, context: Context): Promise<LambdaHttpResult> {
    const left = remainingTime(context);
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (margin > 0 && Number.isFinite(left)) {
      // HOST-23: answer before Lambda's own timeout does, and tell the app through its signal.
      timer = setTimeout(() => {
        exchange.giveUp(new RequestAbortedError('[HOST-23] the invocation reached its deadline'), '503 Service Unavailable');
      }, Math.max(0, left - margin));
    }
    count.suspend();
    try {
      await invocation.sink.done();
      clearTimeout(timer);
      return await settle(invocation, context);
    } finally {
      count.resume();
    }
  }

  function lambdaHandler(event: unknown, context: Context): Promise<LambdaHttpResult> {
    try {
      const detection = forced ? eventAsSource(event, forced) : detectEventSource(event);
      if (detection.source === undefined) throw unknownEventError(detection.reason);
      count.start(settings);
      const invocation = new Invocation(detection.source, event, errors, resultOptions);
      let request: LambdaRequest;
      try {
        request = requestFromEvent(detection, conversion);
      } catch (error) {
        return Promise.resolve(refuse(invocation, error));
      }
      const exchange = new Exchange(invocation.sink, { errors, head: request.method === 'HEAD' });
      let environ: Environ;
      try {
        environ = environForInvocation(request, event, context, exchange, invocation.work, settings);
      } catch (error) {
        return Promise.resolve(refuse(invocation, error));
      }
      // The exchange releases the body in the background once the response is over; that path reports its own errors.
      void exchange.run(app, environ);
      if (!invocation.sink.finished) return untilDone(invocation, exchange, context);
      if (!invocation.work.used) return Promise.resolve(finish(invocation));
      count.suspend();
      return Promise.resolve(settle(invocation, context)).finally(() => count.resume());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  function refuse(invocation: Invocation, error: unknown): LambdaHttpResult {
    if (!(error instanceof RequestError)) throw error;
    errors.write(`${error.message}\n`);
    return resultFromResponse(invocation.source, invocation.event, requestErrorResponse(error), resultOptions);
  }

  return lambdaHandler as unknown as LambdaHandler;
}

function tooLargeResponse(): LambdaResponse {
  const body = new TextEncoder().encode('Bad Gateway\n');
  return {
    status: '502 Bad Gateway',
    headers: [
      ['content-type', 'text/plain; charset=utf-8'],
      ['content-length', String(body.length)],
    ],
    body,
  };
}
