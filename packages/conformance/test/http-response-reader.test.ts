import { describe, expect, it } from 'vitest';
import { HttpResponseReader } from '../src/drivers/http-response-reader.js';
import { bytesOf, concatBytes, latin1 } from '../src/drivers/wire.js';

function read(text: string, head = false, split = 1): HttpResponseReader {
  const reader = new HttpResponseReader(head);
  const bytes = bytesOf(text);
  for (let i = 0; i < bytes.length; i += split) reader.push(bytes.subarray(i, i + split));
  return reader;
}

describe('the raw-socket response reader', () => {
  it('keeps the status line, header lines and obs-text bytes as they came, byte by byte', () => {
    const reader = read('HTTP/1.1 299 Odd\tReason\r\nX-A: caf\xe9\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Length: 3\r\n\r\nabc', false, 1);
    expect(reader.head).toEqual({ status: 299, reason: 'Odd\tReason', version: 'HTTP/1.1', headers: [['X-A', 'caf\xe9'], ['Set-Cookie', 'a=1'], ['set-cookie', 'b=2'], ['Content-Length', '3']] });
    expect(latin1(concatBytes(reader.take()))).toBe('abc');
    expect(reader.ended).toBe(true);
  });

  it('de-chunks, skips interim responses and counts bytes after the framed end (BODY-15)', () => {
    const reader = read('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nTrailer: x\r\n\r\nSTRAY', false, 4);
    expect(reader.interim).toEqual([100]);
    expect(latin1(concatBytes(reader.take()))).toBe('abcde');
    expect(reader.ended).toBe(true);
    expect(reader.trailing).toBe(5);
    const length = read('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabcd');
    expect(length.trailing).toBe(2);
  });

  it('BODY-20: a HEAD or 204 response has no body; bytes after it are stray', () => {
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', true).ended).toBe(true);
    expect(read('HTTP/1.1 204 No Content\r\n\r\nxx').trailing).toBe(2);
  });

  it('a close-delimited body ends with the connection; a cut body never ends', () => {
    const open = read('HTTP/1.0 200 OK\r\n\r\npart');
    expect(open.ended).toBe(false);
    open.close();
    expect(open.ended).toBe(true);
    const cut = read('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort');
    cut.close();
    expect(cut.ended).toBe(false);
    expect(read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n').error).toMatch(/chunk size/);
    expect(read('garbage\r\n\r\n').error).toMatch(/status line/);
  });
});
