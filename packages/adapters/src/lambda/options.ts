import type { ErrorStream } from '@tsgi/interface';
import type { LambdaResponse, SetCookiePolicy } from './lambda-response.js';
import type { AwsLambdaStreaming } from './streaming-sink.js';
import type { LambdaEventSource } from './types.js';

/** Options of `toLambdaHandler` and `toStreamingLambdaHandler`. */
export interface LambdaHandlerOptions {
  /**
   * The event source, when the deployer knows it: detection is skipped and the event is
   * read as that source's (a wrong shape is still a 400, never a guess).
   */
  source?: LambdaEventSource | undefined;
  /**
   * A root path moved from `PATH_INFO` to `SCRIPT_NAME` when the path starts with it:
   * `'/api'` for a custom domain's base path mapping, or `'stage'` for the API Gateway stage
   * the client named in the URL (`/prod/...` on an `execute-api` domain).
   */
  scriptName?: string | undefined;
  /** Whether to base64-encode a response body; the default rule is LAMBDA-10's. */
  base64?: ((response: LambdaResponse) => boolean) | undefined;
  /** Several `Set-Cookie` where a result carries one value per name; `'case-variants'` by default (LAMBDA-14). */
  setCookie?: SetCookiePolicy | undefined;
  /** Where `tsgi.errors` writes; `console.error` by default, which Lambda sends to CloudWatch Logs. */
  errors?: ErrorStream | undefined;
  /** Most request body bytes an app may read; past it reads fail with 413 (INP-11). */
  maxBodySize?: number | undefined;
  /**
   * `tsgi.multithread`: `false` by default, since a Lambda execution environment runs one
   * invocation at a time. Set it to `true` on Lambda Managed Instances, whose Node.js
   * runtime runs several invocations at once in one worker thread; the host reports it
   * when that happens with `false`.
   */
  multithread?: boolean | undefined;
  /**
   * Milliseconds before the invocation's deadline at which the host gives up on an app that
   * has not finished (HOST-23): it answers `503` when nothing was committed, fails the
   * invocation otherwise, and aborts `tsgi.signal`. 500 by default; 0 leaves it to Lambda's
   * own timeout.
   */
  deadlineMargin?: number | undefined;
}

/** Options of `toStreamingLambdaHandler`. */
export interface StreamingLambdaHandlerOptions extends LambdaHandlerOptions {
  /** The runtime's `awslambda` global; taken from `globalThis` when not given. */
  awslambda?: AwsLambdaStreaming | undefined;
  /** The response stream's buffer size in bytes, passed to `streamifyResponse`. */
  highWaterMark?: number | undefined;
}
