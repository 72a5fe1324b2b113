import type { Environ } from '../types.js';
import { parseEntityTags, strongMatch, weakMatch } from './entity-tag.js';
import { parseHttpDate } from './http-date.js';

/** The validators of the representation a GET or HEAD would answer with. */
export interface Validators {
  etag?: string | undefined;
  /** Milliseconds since the epoch (compared to the second). */
  lastModified?: number | undefined;
}

/** True when the request carries any precondition field. */
export function hasPreconditions(environ: Environ): boolean {
  return (
    environ.HTTP_IF_NONE_MATCH !== undefined ||
    environ.HTTP_IF_MODIFIED_SINCE !== undefined ||
    environ.HTTP_IF_MATCH !== undefined ||
    environ.HTTP_IF_UNMODIFIED_SINCE !== undefined
  );
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Evaluates the preconditions of a GET or HEAD in the order of RFC 9110 section 13.2.2:
 * If-Match, else If-Unmodified-Since (a failure is 412); then If-None-Match, else
 * If-Modified-Since (a match is 304). Returns 200 when the full response should be sent.
 * A date field that does not parse is ignored, as the RFC requires.
 */
export function evaluatePreconditions(environ: Environ, validators: Validators): 200 | 304 | 412 {
  const { etag, lastModified } = validators;
  const ifMatch = environ.HTTP_IF_MATCH;
  if (ifMatch !== undefined) {
    const tags = parseEntityTags(ifMatch);
    if (tags === '*' ? etag === undefined : !(etag !== undefined && tags.some((tag) => strongMatch(tag, etag)))) return 412;
  } else if (environ.HTTP_IF_UNMODIFIED_SINCE !== undefined && lastModified !== undefined) {
    const date = parseHttpDate(environ.HTTP_IF_UNMODIFIED_SINCE);
    if (date !== undefined && seconds(lastModified) > seconds(date)) return 412;
  }
  const ifNoneMatch = environ.HTTP_IF_NONE_MATCH;
  if (ifNoneMatch !== undefined) {
    const tags = parseEntityTags(ifNoneMatch);
    if (tags === '*' ? etag !== undefined : etag !== undefined && tags.some((tag) => weakMatch(tag, etag))) return 304;
  } else if (environ.HTTP_IF_MODIFIED_SINCE !== undefined && lastModified !== undefined) {
    const date = parseHttpDate(environ.HTTP_IF_MODIFIED_SINCE);
    if (date !== undefined && seconds(lastModified) <= seconds(date)) return 304;
  }
  return 200;
}

/** Fields a 304 keeps from the 200 it stands for (RFC 9110 section 15.4.5), and cookies. */
const NOT_MODIFIED_KEEPS = new Set(['cache-control', 'content-location', 'date', 'etag', 'expires', 'vary', 'last-modified', 'set-cookie']);

export function notModifiedHeaders<T extends readonly [string, string]>(headers: readonly T[]): T[] {
  return headers.filter(([name]) => NOT_MODIFIED_KEEPS.has(name.toLowerCase()));
}
