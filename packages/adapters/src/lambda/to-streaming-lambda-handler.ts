import type { Writable } from 'node:stream';
import { Exchange, RequestAbortedError, RequestError, type App, type Environ } from '@tsgi/interface';
import { consoleErrorStream } from '../fetch/console-error-stream.js';
import { detectEventSource, eventAsSource } from './detect-event-source.js';
import { InvocationCount, InvocationWork, environForInvocation, remainingTime, requestErrorResponse, type InvocationSettings } from './invocation.js';
import type { LambdaRequest } from './lambda-request.js';
import { LambdaResponseError } from './lambda-response-error.js';
import type { StreamingLambdaHandlerOptions } from './options.js';
import { requestFromEvent } from './request-from-event.js';
import { StreamingSink, type AwsLambdaStreaming } from './streaming-sink.js';
import { unknownEventError } from './to-lambda-handler.js';
import type { Context, LambdaHttpEvent } from './types.js';

/** A streaming Lambda handler, as `awslambda.streamifyResponse` returns it. */
export type StreamingLambdaHandler = (event: LambdaHttpEvent, responseStream: Writable, context: Context) => Promise<void>;

function runtimeOf(options: StreamingLambdaHandlerOptions): AwsLambdaStreaming {
  const runtime = options.awslambda ?? (globalThis as { awslambda?: AwsLambdaStreaming }).awslambda;
  if (!runtime || typeof runtime.streamifyResponse !== 'function' || typeof runtime.HttpResponseStream?.from !== 'function') {
    throw new TypeError(
      '[LAMBDA-20] toStreamingLambdaHandler needs the awslambda global of the Lambda Node.js runtime ' +
        '(or of aws-lambda-ric), or options.awslambda; got none',
    );
  }
  return runtime;
}

/**
 * Serves a tsgi app as a streaming Lambda handler, through `awslambda.streamifyResponse`:
 * for Function URLs with `InvokeMode: RESPONSE_STREAM` and other integrations that read the
 * HTTP prelude. The status, headers and cookies go out as the prelude at the commit, also
 * for an empty body or HEAD; each chunk is written as the body yields it, after the stream
 * drained; the stream ends before the handler waits for `tsgi.wait_until` work and resolves
 * (LAMBDA-20). An app error before the commit is a real 500; after it, the invocation fails,
 * so the runtime ends the stream with its error trailers.
 */
export function toStreamingLambdaHandler(app: App, options: StreamingLambdaHandlerOptions = {}): StreamingLambdaHandler {
  const runtime = runtimeOf(options);
  const errors = options.errors ?? consoleErrorStream;
  const forced = options.source;
  const conversion = { scriptName: options.scriptName };
  const margin = options.deadlineMargin ?? 500;
  const settings: InvocationSettings = { errors, maxBodySize: options.maxBodySize, multithread: options.multithread === true };
  const count = new InvocationCount();

  async function streamingHandler(event: unknown, responseStream: Writable, context: Context): Promise<void> {
    const detection = forced ? eventAsSource(event, forced) : detectEventSource(event);
    if (detection.source === undefined) throw unknownEventError(detection.reason);
    const sink = new StreamingSink(runtime, responseStream);
    const refuse = async (error: unknown): Promise<void> => {
      if (!(error instanceof RequestError)) throw error;
      errors.write(`${error.message}\n`);
      const response = requestErrorResponse(error);
      sink.start(response.status, response.headers);
      sink.end(response.body);
      await sink.done;
    };
    let request: LambdaRequest;
    try {
      request = requestFromEvent(detection, conversion);
    } catch (error) {
      return refuse(error);
    }
    const exchange = new Exchange(sink, { errors, head: request.method === 'HEAD' });
    const work = new InvocationWork(errors);
    let environ: Environ;
    try {
      environ = environForInvocation(request, event, context, exchange, work, settings);
    } catch (error) {
      return refuse(error);
    }
    sink.onBroken = (reason) => exchange.abort(reason);

    const left = remainingTime(context);
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (margin > 0 && Number.isFinite(left)) {
      timer = setTimeout(() => {
        exchange.giveUp(new RequestAbortedError('[HOST-23] the invocation reached its deadline'), '503 Service Unavailable');
      }, Math.max(0, left - margin));
    }
    count.start(settings);
    count.suspend();
    try {
      void exchange.run(app, environ);
      await sink.done;
      clearTimeout(timer);
      if (work.used) await work.settle(Math.max(0, remainingTime(context) - margin / 2));
    } finally {
      count.resume();
    }
    if (sink.failure) throw new LambdaResponseError('LAMBDA-20', sink.failure.error);
  }

  return runtime.streamifyResponse(
    streamingHandler as StreamingLambdaHandler,
    options.highWaterMark === undefined ? undefined : { highWaterMark: options.highWaterMark },
  );
}
