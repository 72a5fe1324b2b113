import { describeError } from '../errors.js';
import { requestHeader, utf8 } from '../helpers.js';
import type { Environ, HeaderList, Middleware, Status } from '../types.js';
import { catchErrors, type Replacement } from './catch-errors.js';
import { preferredMediaType } from './media-type.js';

export interface ErrorPagesOptions {
  /**
   * `production` (default): a generic page naming only the status and an error id.
   * `development`: the error's message and stack in the page. Either way the full detail
   * goes to `tsgi.errors` (HOST-13).
   */
  mode?: 'production' | 'development';
  /** Builds the page yourself; the default renders HTML, JSON or text by `Accept`. */
  render?: (page: ErrorPage) => Replacement;
}

/** What an error page knows. `error` is for development pages and logs, never for clients. */
export interface ErrorPage {
  status: Status;
  /** Correlates the page with the `tsgi.errors` entry. */
  id: string;
  error: unknown;
  environ: Environ;
  development: boolean;
}

/** Statuses of the request errors an app may let escape (HOST-10) and of everything else. */
const STATUS_BY_CODE: Record<number, Status> = {
  400: '400 Bad Request',
  408: '408 Request Timeout',
  413: '413 Content Too Large',
  431: '431 Request Header Fields Too Large',
};
const INPUT_CODES: Record<string, Status> = {
  TSGI_INPUT_TOO_LARGE: '413 Content Too Large',
  TSGI_INPUT_TRUNCATED: '400 Bad Request',
};

/**
 * Answers for an app that fails before its response is committed: a safe page in
 * production (no message, no stack: HOST-12) and a page with the stack in development,
 * with the full detail and the request line written to `tsgi.errors`. Request errors keep
 * their status (a body over the limit stays a 413). After the commit the error goes on up,
 * and the host aborts the response (HOST-14).
 */
export function errorPages(options: ErrorPagesOptions = {}): Middleware {
  const mode = options.mode ?? 'production';
  if (mode !== 'production' && mode !== 'development') {
    throw new TypeError(`errorPages: mode must be "production" or "development"; got ${JSON.stringify(mode)}`);
  }
  const render = options.render ?? renderErrorPage;
  return (app) =>
    catchErrors(app, (error, environ) => {
      const page: ErrorPage = { status: statusForError(error), id: newErrorId(), error, environ, development: mode === 'development' };
      environ['tsgi.errors'].write(
        `tsgi: error ${page.id} answered ${page.status} to ${environ.REQUEST_METHOD} ${environ.REQUEST_URI}\n${describeError(error)}\n`,
      );
      return render(page);
    });
}

/** The status an error page answers with for `error`. */
export function statusForError(error: unknown): Status {
  if (error !== null && typeof error === 'object') {
    const { code, status } = error as { code?: unknown; status?: unknown };
    if (typeof code === 'string' && INPUT_CODES[code]) return INPUT_CODES[code];
    if (typeof status === 'number' && STATUS_BY_CODE[status]) return STATUS_BY_CODE[status];
  }
  return '500 Internal Server Error';
}

function newErrorId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (crypto?.randomUUID) return crypto.randomUUID().slice(0, 8);
  return Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The default page: HTML, JSON or plain text, whichever `Accept` prefers (text when none). */
export function renderErrorPage(page: ErrorPage): Replacement {
  const reason = page.status.slice(4);
  const detail = page.development ? describeError(page.error) : undefined;
  const type = preferredMediaType(requestHeader(page.environ, 'accept'), ['text/plain', 'text/html', 'application/json']);
  let text: string;
  if (type === 'application/json') {
    text = JSON.stringify({ error: { status: Number(page.status.slice(0, 3)), message: reason, id: page.id, ...(detail ? { detail } : {}) } });
  } else if (type === 'text/html') {
    const request = `${page.environ.REQUEST_METHOD} ${page.environ.REQUEST_URI}`;
    text =
      `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(page.status)}</title></head><body>\n` +
      `<h1>${escapeHtml(page.status)}</h1>\n<p>Error id <code>${page.id}</code>.</p>\n` +
      (detail ? `<p>While handling <code>${escapeHtml(request)}</code>:</p>\n<pre>${escapeHtml(detail)}</pre>\n` : '') +
      `</body></html>\n`;
  } else {
    text = `${page.status}\nError id ${page.id}\n` + (detail ? `\n${detail}\n` : '');
  }
  const body = utf8(text);
  const headers: HeaderList = [
    ['content-type', type === 'application/json' ? 'application/json' : `${type}; charset=utf-8`],
    ['content-length', String(body.length)],
    ['cache-control', 'no-store'],
  ];
  return { status: page.status, headers, body: [body] };
}
