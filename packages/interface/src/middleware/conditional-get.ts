import { ProtocolError } from '../errors.js';
import { getHeader } from '../helpers.js';
import { statusCode } from '../response-rules.js';
import type { Body, HeaderList, Middleware, StartResponse, Status, Write } from '../types.js';
import { isEntityTag } from './entity-tag.js';
import { parseHttpDate } from './http-date.js';
import { observeBody } from './observe-body.js';
import { evaluatePreconditions, hasPreconditions, notModifiedHeaders, type Validators } from './preconditions.js';
import { isPromise, releaseBody } from './release-body.js';

export interface ConditionalGetOptions {
  /**
   * Give 200 responses that have no ETag a weak one computed from their bytes, when the
   * app returns the body as an array (its bytes are known without buffering anything).
   * Default false.
   */
  etag?: boolean;
}

const RESOLVED = Promise.resolve();

/**
 * Conditional GET for any app (RFC 9110 section 13): answers `304 Not Modified` when
 * `If-None-Match` or `If-Modified-Since` shows the client's copy is current, and
 * `412 Precondition Failed` when `If-Match` or `If-Unmodified-Since` fails, judged against
 * the ETag and Last-Modified of the app's 200 answer. The app's body is then released
 * without being read. Only GET and HEAD are judged: for other methods the precondition has
 * to be checked before the app acts, which only the app can do.
 */
export function conditionalGet(options: ConditionalGetOptions = {}): Middleware {
  const computeEtag = options.etag === true;
  return (app) => (environ, startResponse) => {
    const method = environ.REQUEST_METHOD;
    if ((method !== 'GET' && method !== 'HEAD') || (!computeEtag && !hasPreconditions(environ))) {
      return app(environ, startResponse);
    }
    let pending: [Status, HeaderList] | undefined;
    let forwarded = false;
    let outcome: 200 | 304 | 412 = 200;
    let outerWrite: Write | undefined;

    const forward = (chunks?: readonly Uint8Array[]): void => {
      forwarded = true;
      let [status, headers] = pending!;
      if (statusCode(status) === 200) {
        if (computeEtag && chunks && getHeader(headers, 'etag') === undefined) headers = [...headers, ['etag', etagOf(chunks)]];
        outcome = evaluatePreconditions(environ, validatorsOf(headers));
        if (outcome === 304) {
          status = '304 Not Modified';
          headers = notModifiedHeaders(headers);
        } else if (outcome === 412) {
          status = '412 Precondition Failed';
          headers = [['content-length', '0']];
        }
      }
      outerWrite = startResponse(status, headers);
    };
    const write: Write = (chunk) => {
      if (!forwarded) forward();
      // The 304 or 412 that replaced a 200 carries none of its bytes.
      return outcome === 200 ? outerWrite!(chunk) : RESOLVED;
    };
    const start: StartResponse = (status, headers, excInfo) => {
      if (forwarded) {
        // An error page after the decision: it replaces the 304 or 412 as it would the 200.
        outerWrite = startResponse(status, headers, excInfo);
        outcome = 200;
      } else {
        if (pending && excInfo === undefined) {
          throw new ProtocolError('SR-10', 'startResponse was called a second time without excInfo');
        }
        pending = [status, headers.slice()];
      }
      return write;
    };
    const finish = (body: Body): Body => {
      if (pending && !forwarded) forward(Array.isArray(body) ? (body as Uint8Array[]) : undefined);
      if (!forwarded) {
        // The body starts its response when first iterated: decide then.
        return observeBody(body, {
          stop: () => {
            if (pending && !forwarded) forward();
            return forwarded && outcome !== 200;
          },
        });
      }
      if (outcome === 200) return body;
      // Nothing of the body is sent: the host releases it through this empty one (MW-6).
      return Object.assign([] as Uint8Array[], { close: () => releaseBody(body, undefined, false) });
    };
    const result = app(environ, start);
    return isPromise(result) ? result.then(finish) : finish(result);
  };
}

function validatorsOf(headers: HeaderList): Validators {
  const etag = getHeader(headers, 'etag');
  const modified = getHeader(headers, 'last-modified');
  return {
    etag: etag !== undefined && isEntityTag(etag) ? etag : undefined,
    lastModified: modified === undefined ? undefined : parseHttpDate(modified),
  };
}

/** A weak validator from the bytes: length and two FNV-1a hashes (64 bits in all). */
export function etagOf(chunks: readonly Uint8Array[]): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  let length = 0;
  for (const chunk of chunks) {
    length += chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      a = Math.imul(a ^ chunk[i]!, 0x01000193);
      b = Math.imul(b ^ chunk[i]!, 0x01000193) ^ (b >>> 15);
    }
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `W/"${length.toString(16)}-${hex(a)}${hex(b)}"`;
}
