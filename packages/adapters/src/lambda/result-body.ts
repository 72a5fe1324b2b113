import { Buffer, isUtf8 } from 'node:buffer';
import { fieldError } from './event-fields.js';
import type { LambdaResponse, ResultConversionOptions } from './lambda-response.js';
import type { LambdaEventSource } from './types.js';

const EMPTY = new Uint8Array(0);

function hasContentEncoding(response: LambdaResponse): boolean {
  for (const [name, value] of response.headers) {
    if (name.length === 16 && name.toLowerCase() === 'content-encoding' && value.trim().toLowerCase() !== 'identity') return true;
  }
  return false;
}

/**
 * A response body as a result carries it (LAMBDA-10): the UTF-8 text when the bytes are
 * well-formed UTF-8 and the response has no `Content-Encoding`, base64 otherwise, unless
 * `options.base64` decides. Only the bytes decide by default, not the content type: valid
 * UTF-8 survives the trip as text byte for byte, and text works on REST APIs that have no
 * binary media types configured.
 */
export function resultBody(response: LambdaResponse, options: ResultConversionOptions): { body: string; isBase64Encoded: boolean } {
  const bytes = response.body;
  const size = bytes.length;
  if (size === 0) return { body: '', isBase64Encoded: false };
  if (size <= 512 && !options.base64) {
    // Small ASCII bodies, the common case, skip the Buffer round trip.
    let ascii = true;
    for (let i = 0; i < size; i++) {
      if (bytes[i]! > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii && !hasContentEncoding(response)) {
      return { body: String.fromCharCode.apply(null, bytes as unknown as number[]), isBase64Encoded: false };
    }
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = isUtf8(buffer);
  let base64 = options.base64 ? options.base64(response) : !text || hasContentEncoding(response);
  if (!base64 && !text) {
    options.warn?.('[LAMBDA-22] the body is not well-formed UTF-8, so it was sent base64-encoded although the base64 option asked for text\n');
    base64 = true;
  }
  return base64 ? { body: buffer.toString('base64'), isBase64Encoded: true } : { body: buffer.toString('utf8'), isBase64Encoded: false };
}

/** The body bytes of a result: the inverse of `resultBody`. */
export function bytesFromResultBody(body: unknown, base64: unknown, source: LambdaEventSource): Uint8Array {
  if (body === undefined || body === null || body === '') return EMPTY;
  if (typeof body !== 'string') throw fieldError(source, 'body', 'a string', body);
  return base64 === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}
