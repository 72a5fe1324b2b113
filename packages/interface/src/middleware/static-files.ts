import { constants } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { join, relative, resolve, sep, isAbsolute } from 'node:path';
import { byteStringFromUtf8, percentEncodePath } from '../bytestring.js';
import type { Body, Environ, HeaderList, Middleware, StartResponse } from '../types.js';
import { contentTypeFor } from './content-type.js';
import { FileBody } from './file-body.js';
import { formatHttpDate, parseHttpDate } from './http-date.js';
import { strongMatch } from './entity-tag.js';
import { evaluatePreconditions } from './preconditions.js';
import { resolveStaticPath, type DotfilePolicy } from './resolve-static-path.js';
import { servedFileResponse } from './served-file-response.js';

export interface StaticFilesOptions {
  /** The folder to serve. */
  root: string;
  /** File names tried for a folder URL ending in `/` (default `['index.html']`; false: none). */
  index?: string | readonly string[] | false;
  /** Names starting with a dot: `ignore` (default, as if absent), `deny` (403) or `allow`. */
  dotfiles?: DotfilePolicy;
  /** Follow symbolic links that lead outside the root (default false: such files are not found). */
  allowSymlinkEscape?: boolean;
  /** `Cache-Control: public, max-age=N` in seconds; none by default. */
  maxAge?: number;
  /** Adds `immutable` to Cache-Control (for fingerprinted file names). */
  immutable?: boolean;
  /** Extra or overriding content types by extension: `{ gltf: 'model/gltf+json' }`. */
  contentTypes?: Readonly<Record<string, string>>;
  /** Answer `301` with a trailing slash for a folder URL without one (default true). */
  redirect?: boolean;
  /** Bytes per chunk read from disk (default 16 KiB: larger chunks read faster, hold more memory). */
  chunkSize?: number;
}

interface Found {
  handle: FileHandle;
  size: number;
  mtimeMs: number;
  name: string;
}

const WINDOWS = sep === '\\';
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * Serves files under a folder for GET and HEAD; everything else (other methods, names that
 * do not resolve to a file) goes to the wrapped app. Paths are resolved safely: no `..`,
 * no escape through symbolic links unless allowed, no dotfiles unless allowed, and the file
 * served is the one that was checked (opened by its real path, final link refused). Answers
 * carry Content-Type, Content-Length, a strong ETag, Last-Modified and Accept-Ranges; they
 * honour conditional requests (304, 412) and byte ranges (206, multipart for several, 416),
 * and stream from disk one chunk at a time.
 */
export function staticFiles(options: StaticFilesOptions): Middleware {
  if (typeof options?.root !== 'string' || options.root === '') throw new TypeError('staticFiles: root must be a folder path');
  const root = resolve(options.root);
  const indexes = options.index === false ? [] : typeof options.index === 'string' ? [options.index] : (options.index ?? ['index.html']);
  const dotfiles = options.dotfiles ?? 'ignore';
  const redirect = options.redirect ?? true;
  const cacheControl =
    options.maxAge === undefined ? undefined : `public, max-age=${Math.max(0, Math.floor(options.maxAge))}${options.immutable ? ', immutable' : ''}`;
  let realRoot: Promise<string> | undefined;

  /** The real path of `path` when it lies inside the root (or escapes are allowed). */
  const inside = async (path: string): Promise<string | undefined> => {
    realRoot ??= realpath(root);
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      return undefined;
    }
    const base = await realRoot;
    const rel = relative(base, real);
    const within = rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    if (!within) return options.allowSymlinkEscape ? real : undefined;
    // A link inside the root must not lead to a dotfile the URL could not name.
    if (dotfiles !== 'allow' && rel.split(sep).some((segment) => segment.startsWith('.'))) return undefined;
    return real;
  };

  const find = async (segments: string[], directory: boolean): Promise<Found | 'redirect' | undefined> => {
    const real = await inside(join(root, ...segments));
    if (!real) return undefined;
    const info = await stat(real).catch(() => undefined);
    if (!info) return undefined;
    let file = real;
    if (info.isDirectory()) {
      if (!directory) return redirect ? 'redirect' : undefined;
      let chosen: string | undefined;
      for (const name of indexes) {
        const candidate = await inside(join(real, name));
        if (candidate && (await stat(candidate).catch(() => undefined))?.isFile()) {
          chosen = candidate;
          break;
        }
      }
      if (!chosen) return undefined;
      file = chosen;
    } else if (directory) return undefined;
    let handle: FileHandle;
    try {
      handle = await open(file, OPEN_FLAGS);
    } catch {
      return undefined;
    }
    const opened = await handle.stat().catch(() => undefined);
    if (!opened?.isFile()) {
      await handle.close();
      return undefined;
    }
    return { handle, size: opened.size, mtimeMs: opened.mtimeMs, name: file };
  };

  return (app) => (environ, startResponse) => {
    const method = environ.REQUEST_METHOD;
    if (method !== 'GET' && method !== 'HEAD') return app(environ, startResponse);
    const path = resolveStaticPath(environ.PATH_INFO, dotfiles, WINDOWS);
    if (!path.ok) return path.reason === 'forbidden' ? forbidden(startResponse) : app(environ, startResponse);
    return find(path.segments, path.directory).then((found) => {
      if (found === undefined) return app(environ, startResponse);
      if (found === 'redirect') return redirectToFolder(environ, path.segments, startResponse);
      try {
        return serve(environ, startResponse, found, { cacheControl, contentTypes: options.contentTypes, chunkSize: options.chunkSize });
      } catch (error) {
        void found.handle.close().catch(() => {});
        throw error;
      }
    });
  };
}

function serve(
  environ: Environ,
  startResponse: StartResponse,
  found: Found,
  settings: { cacheControl: string | undefined; contentTypes: Readonly<Record<string, string>> | undefined; chunkSize: number | undefined },
): Body {
  const { handle, size, mtimeMs } = found;
  // Strong: a new size or modification time is a new tag; equal ones mean equal bytes.
  const etag = `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
  const lastModified = formatHttpDate(mtimeMs);
  const validators: HeaderList = [
    ['etag', etag],
    ['last-modified', lastModified],
  ];
  if (settings.cacheControl) validators.push(['cache-control', settings.cacheControl]);
  const close = () => handle.close();
  const outcome = evaluatePreconditions(environ, { etag, lastModified: mtimeMs });
  if (outcome !== 200) {
    startResponse(outcome === 304 ? '304 Not Modified' : '412 Precondition Failed', outcome === 304 ? validators : [['content-length', '0']]);
    return Object.assign([] as Uint8Array[], { close });
  }
  let range = environ.HTTP_RANGE;
  const ifRange = environ.HTTP_IF_RANGE;
  if (range !== undefined && ifRange !== undefined) {
    // RFC 9110 section 13.1.5: a Range applies only to the representation the client has.
    const date = parseHttpDate(ifRange);
    const current = date === undefined ? strongMatch(ifRange.trim(), etag) : Math.floor(date / 1000) === Math.floor(mtimeMs / 1000);
    if (!current) range = undefined;
  }
  const type = contentTypeFor(found.name, settings.contentTypes);
  const response = servedFileResponse(size, type, range);
  startResponse(response.status, [
    ['content-type', response.contentType],
    ['content-length', String(response.length)],
    ...validators,
    ['accept-ranges', 'bytes'],
    ['x-content-type-options', 'nosniff'],
    ...response.headers,
  ]);
  if (environ.REQUEST_METHOD === 'HEAD' || response.parts.length === 0) return Object.assign([] as Uint8Array[], { close });
  return new FileBody(handle, response.parts, settings.chunkSize);
}

function forbidden(startResponse: StartResponse): Body {
  const body = new TextEncoder().encode('Forbidden\n');
  startResponse('403 Forbidden', [
    ['content-type', 'text/plain; charset=utf-8'],
    ['content-length', String(body.length)],
  ]);
  return [body];
}

function redirectToFolder(environ: Environ, segments: string[], startResponse: StartResponse): Body {
  const query = environ.QUERY_STRING ? `?${environ.QUERY_STRING}` : '';
  // Rebuilt from the checked segments: a path such as `//evil.example` must not become a
  // protocol-relative Location that leaves the site.
  const path = segments.map((segment) => percentEncodePath(byteStringFromUtf8(segment))).join('/');
  const location = `${percentEncodePath(environ.SCRIPT_NAME)}/${path}/${query}`;
  const body = new TextEncoder().encode(`Moved to ${location}\n`);
  startResponse('301 Moved Permanently', [
    ['location', location],
    ['content-type', 'text/plain; charset=utf-8'],
    ['content-length', String(body.length)],
  ]);
  return [body];
}
