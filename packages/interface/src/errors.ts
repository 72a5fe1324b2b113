/**
 * Typed errors shared by every host. Each carries the clause it enforces and the HTTP
 * status a host answers with when nothing has been committed yet (HOST-6, HOST-10).
 */

/** A violation of the tsgi contract by an app, a middleware or a host. */
export class ProtocolError extends Error {
  override readonly name: string = 'ProtocolError';
  constructor(
    readonly clause: string,
    message: string,
  ) {
    super(`[${clause}] ${message}`);
  }
}

/** A request the host must refuse: malformed (400), too large (413), headers too large (431). */
export class RequestError extends Error {
  override readonly name: string = 'RequestError';
  constructor(
    readonly status: 400 | 408 | 413 | 431,
    message: string,
    readonly clause?: string,
  ) {
    super(clause ? `[${clause}] ${message}` : message);
  }
}

/** The request body is larger than the host's limit: 413 (INP-11, HOST-10). */
export class PayloadTooLargeError extends RequestError {
  override readonly name = 'PayloadTooLargeError';
  readonly code = 'TSGI_INPUT_TOO_LARGE';
  constructor(readonly limit: number) {
    super(413, `request body exceeds the limit of ${limit} bytes`, 'INP-11');
  }
}

/** The request body ended before it was complete: never a silent end of input (INP-10). */
export class IncompleteBodyError extends Error {
  override readonly name = 'IncompleteBodyError';
  readonly code = 'TSGI_INPUT_TRUNCATED';
  constructor(
    readonly expected: number | undefined,
    readonly received: number,
  ) {
    super(
      `[INP-10] request body ended after ${received} bytes` +
        (expected === undefined ? ' without its terminating chunk' : ` of ${expected}`),
    );
  }
}

/** A read of tsgi.input started while another was pending (INP-12). */
export class InputBusyError extends Error {
  override readonly name = 'InputBusyError';
  readonly code = 'TSGI_INPUT_BUSY';
  constructor() {
    super('[INP-12] tsgi.input was read again while an earlier read was still pending');
  }
}

/** The client disconnected, or the host gave up on the request (timeout, shutdown). */
export class RequestAbortedError extends Error {
  override readonly name = 'RequestAbortedError';
  constructor(message = 'the request was aborted') {
    super(message);
  }
}

/** Renders any thrown value for `tsgi.errors`: stack when there is one, else its text. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  try {
    return `non-Error thrown: ${typeof error === 'string' ? error : JSON.stringify(error)}`;
  } catch {
    return `non-Error thrown: ${String(error)}`;
  }
}
