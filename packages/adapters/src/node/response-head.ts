import { isToken, isValidFieldValue, isValidStatus, type HeaderList, type Status } from '@tsgi/interface';

/** A response's status line and header fields, as an HTTP/1.1 head block carries them. */
export interface ResponseHead {
  /** `"200 OK"`; informational heads (1xx) carry theirs too, `"100 Continue"`. */
  status: Status;
  headers: HeaderList;
}

/**
 * Parses an HTTP/1.x response head (the status line and header lines, as a ByteString,
 * without the blank line that ends it). Returns undefined for anything that is not one.
 * `formatResponseHead` is its pair.
 */
export function parseResponseHead(text: string): ResponseHead | undefined {
  const lines = text.split('\r\n');
  const statusLine = lines[0]!;
  if (!/^HTTP\/\d\.\d \d{3} /.test(statusLine)) return undefined;
  const status = statusLine.slice(9);
  const code = Number(status.slice(0, 3));
  if (!(code >= 100 && code < 200) && !isValidStatus(status)) return undefined;
  const headers: HeaderList = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon);
    // Node writes `name: value`; other writers may leave out the space or add more (RFC 9112 section 5).
    let start = colon + 1;
    while (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9) start++;
    let end = line.length;
    while (end > start && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
    const value = line.slice(start, end);
    if (!isToken(name) || !isValidFieldValue(value)) return undefined;
    headers.push([name, value]);
  }
  return { status: status as Status, headers };
}

/** The head block `parseResponseHead` reads: status line and header lines joined by CRLF. */
export function formatResponseHead(head: ResponseHead, protocol = 'HTTP/1.1'): string {
  let text = `${protocol} ${head.status}`;
  for (const [name, value] of head.headers) text += `\r\n${name}: ${value}`;
  return text;
}
