import type { App, Body, Environ, HeaderList, StartResponse, Status } from '../types.js';
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
 * Runs `app` and, when it throws, rejects, or its body throws before a non-empty chunk went
 * up (BODY-5: nothing is committed yet), answers with what `handle` returns instead. The
 * replacement goes through `startResponse` with the error as `excInfo` when the app had
 * already started a response (SR-11), so the host above sees one well-formed answer. After
 * the commit the error goes on up, so that the host aborts the response (HOST-14).
 */
export function catchErrors(app: App, handle: ErrorHandler): App {
  return (environ, startResponse) => {
    let started = false;
    let committed = false;
    const start: StartResponse = (status, headers, excInfo) => {
      const write = startResponse(status, headers, excInfo);
      started = true;
      return (chunk) => {
        if (chunk instanceof Uint8Array && chunk.length > 0) committed = true;
        return write(chunk);
      };
    };
    const replace = (error: unknown): Uint8Array[] | undefined => {
      if (committed) return undefined;
      const replacement = handle(error, environ);
      if (!replacement) return undefined;
      startResponse(replacement.status, replacement.headers, started ? error : undefined);
      return replacement.body;
    };
    const fail = (error: unknown): Body => {
      const body = replace(error);
      if (!body) throw error;
      return body;
    };
    const watch = (body: Body): Body =>
      observeBody(body, {
        chunk: () => {
          committed = true;
        },
        error: replace,
      });
    let result: Body | Promise<Body>;
    try {
      result = app(environ, start);
    } catch (error) {
      return fail(error);
    }
    return isPromise(result) ? result.then(watch, fail) : watch(result);
  };
}
