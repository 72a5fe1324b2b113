import { Exchange, RequestAbortedError, RequestError, type App, type Environ } from '@tsgi/interface';
import { consoleErrorStream } from '../fetch/console-error-stream.js';
import { BufferedSink } from './buffered-sink.js';
import { detectEventSource, eventAsSource } from './detect-event-source.js';
import { InvocationWork, environForInvocation, remainingTime, requestErrorResponse } from './invocation.js';
import { LambdaEventError } from './lambda-event-error.js';
import type { LambdaRequest } from './lambda-request.js';
import { LambdaResponseError } from './lambda-response-error.js';
import type { LambdaResponse, ResultConversionOptions } from './lambda-response.js';
import type { LambdaHandlerOptions } from './options.js';
import { requestFromEvent } from './request-from-event.js';
import { resultExceeds, resultFromResponse, resultSizeLimit } from './result-from-response.js';
import type { Context, LambdaHttpEvent, LambdaHttpResult, LambdaResultFor } from './types.js';

/** A buffered Lambda handler: each event type gets its own result type, as `@types/aws-lambda` pairs them. */
export type LambdaHandler = <E extends LambdaHttpEvent>(event: E, context: Context) => Promise<LambdaResultFor<E>>;

/** The message of LAMBDA-1 for an event of no known source. */
export function unknownEventError(reason: string): LambdaEventError {
  return new LambdaEventError(
    `${reason}; the Lambda host serves API Gateway REST and HTTP API, ALB, Function URL, VPC Lattice and CloudFront request events`,
    undefined,
  );
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
  const maxBodySize = options.maxBodySize;

  async function lambdaHandler(event: unknown, context: Context): Promise<LambdaHttpResult> {
    const detection = forced ? eventAsSource(event, forced) : detectEventSource(event);
    if (detection.source === undefined) throw unknownEventError(detection.reason);
    const source = detection.source;
    let result: LambdaHttpResult | undefined;
    let bodySize = 0;
    let conversionError: unknown;
    const answer = (response: LambdaResponse): void => {
      try {
        result = resultFromResponse(source, event, response, resultOptions);
        bodySize = response.body.length;
      } catch (error) {
        conversionError = error;
      }
    };
    const refuse = (error: unknown): LambdaHttpResult => {
      if (!(error instanceof RequestError)) throw error;
      errors.write(`${error.message}\n`);
      return resultFromResponse(source, event, requestErrorResponse(error), resultOptions);
    };

    let request: LambdaRequest;
    try {
      request = requestFromEvent(detection, conversion);
    } catch (error) {
      return refuse(error);
    }
    const sink = new BufferedSink(answer);
    const exchange = new Exchange(sink, { errors, head: request.method === 'HEAD' });
    const work = new InvocationWork(errors);
    let environ: Environ;
    try {
      environ = environForInvocation(request, event, context, exchange, errors, work, maxBodySize);
    } catch (error) {
      return refuse(error);
    }

    const pending = exchange.run(app, environ);
    if (!sink.finished) {
      const left = remainingTime(context);
      let timer: ReturnType<typeof setTimeout> | undefined;
      if (margin > 0 && Number.isFinite(left)) {
        // HOST-23: answer before Lambda's own timeout does, and tell the app through its signal.
        timer = setTimeout(() => {
          exchange.giveUp(new RequestAbortedError('[HOST-23] the invocation reached its deadline'), '503 Service Unavailable');
        }, Math.max(0, left - margin));
      }
      await sink.done();
      clearTimeout(timer);
    }
    // The exchange still releases the body in the background; that path reports its own errors.
    void pending;
    if (work.used) await work.settle(Math.max(0, remainingTime(context) - margin / 2));
    if (sink.failure) throw new LambdaResponseError('LAMBDA-18', sink.failure.error);
    if (result === undefined) throw conversionError ?? new Error('[LAMBDA-18] the exchange ended without a response');
    const limit = resultSizeLimit(source, event);
    if (resultExceeds(result, bodySize, limit)) {
      errors.write(`[LAMBDA-21] the ${source} result is larger than the ${limit} bytes the platform accepts; answered 502 instead\n`);
      return resultFromResponse(source, event, tooLargeResponse(), resultOptions);
    }
    return result;
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
