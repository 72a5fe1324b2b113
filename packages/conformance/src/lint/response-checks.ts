import { isHopByHop, isToken, isValidFieldValue, isValidStatus, parseContentLength, statusCode } from '@tsgi/interface';
import type { Fail } from './request-monitor.js';
import { statusHasNoBody } from './request-monitor.js';

const THREE_DIGITS_SPACE = /^[0-9]{3} /;
const OWS_EDGE = /^[ \t]|[ \t]$/;

/** Checks a status an app passes; true when it is valid (SR-1, SR-1). */
export function checkStatus(status: unknown, fail: Fail): boolean {
  if (isValidStatus(status)) return true;
  if (typeof status === 'string' && THREE_DIGITS_SPACE.test(status) && isValidStatus(`200${status.slice(3)}`)) {
    fail('app', 'SR-1', 'status', 'must have a code from 200 to 599 (the host sends interim 1xx itself)', status);
  } else {
    fail('app', 'SR-1', 'status', 'must be three digits, a space and a reason of tabs, spaces and visible ASCII', status);
  }
  return false;
}

export interface HeaderCheck {
  valid: boolean;
  /** The declared Content-Length, when there is exactly one valid one. */
  declaredLength: number | undefined;
}

/** Checks a header list an app passes (SR-2 .. SR-8). */
export function checkHeaderList(headers: unknown, status: unknown, fail: Fail): HeaderCheck {
  if (!Array.isArray(headers)) {
    fail('app', 'SR-2', 'headers', 'must be an array of [name, value] pairs', headers);
    return { valid: false, declaredLength: undefined };
  }
  let valid = true;
  let lengths = 0;
  let declaredLength: number | undefined;
  for (let i = 0; i < headers.length; i++) {
    const pair: unknown = headers[i];
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      fail('app', 'SR-2', `headers[${i}]`, 'must be an array of exactly two strings [name, value]', pair);
      valid = false;
      continue;
    }
    const [name, value] = pair as [string, string];
    if (!isToken(name)) {
      fail('app', 'SR-3', `header name ${JSON.stringify(name)}`, 'must be an RFC 9110 token', name);
      valid = false;
    }
    if (!isValidFieldValue(value)) {
      fail('app', 'SR-4', `header ${name}`, 'must be a ByteString without control characters other than tab', value);
      valid = false;
    } else if (OWS_EDGE.test(value)) {
      fail('app', 'SR-5', `header ${name}`, 'should not begin or end with a space or tab', value, 'should');
    }
    if (isToken(name) && isHopByHop(name)) {
      fail('app', 'SR-6', `header ${name}`, 'must not be sent by an app: hop-by-hop fields belong to the host', value);
      valid = false;
    }
    if (name.toLowerCase() === 'content-length') {
      lengths++;
      const length = parseContentLength(value);
      if (lengths > 1) {
        fail('app', 'SR-7', 'header Content-Length', 'must appear at most once', value);
        valid = false;
        declaredLength = undefined;
      } else if (length < 0) {
        fail('app', 'SR-7', 'header Content-Length', 'must be one or more ASCII digits', value);
        valid = false;
      } else declaredLength = length;
      if (isValidStatus(status) && statusCode(status) === 204) {
        fail('app', 'SR-8', 'header Content-Length', 'must not be sent with status 204', value);
        valid = false;
      }
    }
  }
  return { valid, declaredLength: lengths === 1 ? declaredLength : undefined };
}

export { statusHasNoBody };
