import type { App, Body, Environ, HeaderList, Status } from '../types.js';
import { observeBody } from './observe-body.js';
import { isPromise } from './release-body.js';

/** A response that replaces a failed one. */
export interface Replacement {
  status: Status;
  headers: HeaderList;
  body: Uint8Array[];
}

/**
 * Decides what to answer for an error that escaped the wrapped app before anything was
 * committed; undefined lets the error through to the host above.
 */
export type ErrorHandler = (error: unknown, environ: Environ) => Replacement | undefined;

/**
 * Runs `app` and, when it throws, rejects, or its body throws, answers with what `handle`
 * returns instead, as long as nothing was committed. The replacement goes through
 * `startResponse` with the error as `excInfo`, so it replaces whatever the app had started
 * (SR-11); after the commit the host throws the error back (SR-12) and it goes on up, so
 * that the host aborts the response (HOST-14).
 */
export function catchErrors(app: App, handle: ErrorHandler): App {
  return (environ, startResponse) => {
    const replace = (error: unknown): Uint8Array[] | undefined => {
      const replacement = handle(error, environ);
      if (!replacement) return undefined;
      // With excInfo, the host replaces what the app started, or rethrows the error itself
      // when the response is already committed (SR-11, SR-12): then it goes on up.
      startResponse(replacement.status, replacement.headers, error);
      return replacement.body;
    };
    const fail = (error: unknown): Body => {
      const body = replace(error);
      if (!body) throw error;
      return body;
    };
    // An array cannot fail while iterated: it goes up untouched.
    const watch = (body: Body): Body => (Array.isArray(body) ? body : observeBody(body, { error: replace }));
    let result: Body | Promise<Body>;
    try {
      result = app(environ, startResponse);
    } catch (error) {
      return fail(error);
    }
    return isPromise(result) ? result.then(watch, fail) : watch(result);
  };
}
