import { RequestError } from '@tsgi/interface';
import type { LambdaEventSource } from './types.js';

/**
 * An invocation event the Lambda host cannot serve (LAMBDA-1): an event of no HTTP source
 * it knows, or an event of a known source with a field missing or of the wrong type.
 *
 * A malformed event of a known source is answered `400 Bad Request` in that source's result
 * shape, without calling the app (HOST-6). An event of no known source has no shape to
 * answer in: the handler rejects with this error, so the invocation fails with
 * `errorType: "LambdaEventError"` and the message below, never a hang or a made-up request.
 */
export class LambdaEventError extends RequestError {
  override readonly name = 'LambdaEventError';
  readonly code = 'TSGI_LAMBDA_EVENT';
  constructor(
    message: string,
    /** The source the event was taken for, or undefined when none matched. */
    readonly source: LambdaEventSource | undefined,
    clause = 'LAMBDA-1',
  ) {
    super(400, message, clause);
  }
}
