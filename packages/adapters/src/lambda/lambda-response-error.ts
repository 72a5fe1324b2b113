/**
 * The app failed after its response was committed, in a buffered invocation (LAMBDA-18) or
 * mid-stream (LAMBDA-20). The handler rejects with it, so the invocation fails and the
 * platform answers its own error (a 502 from API Gateway, ALB and Function URLs) instead of
 * passing a truncated body off as a complete one. The app's error is the `cause`.
 */
export class LambdaResponseError extends Error {
  override readonly name = 'LambdaResponseError';
  readonly code = 'TSGI_LAMBDA_RESPONSE';
  constructor(clause: 'LAMBDA-18' | 'LAMBDA-20', cause: unknown) {
    super(`[${clause}] the app failed after its response was committed; the invocation fails instead of returning a truncated response`, { cause });
  }
}
