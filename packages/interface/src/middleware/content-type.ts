/**
 * Content types by file extension, for the formats a web root holds. Text types carry
 * `charset=utf-8`, so that browsers do not guess (and cannot be tricked into guessing).
 */

const TYPES: Record<string, string> = {
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  cjs: 'text/javascript',
  json: 'application/json',
  map: 'application/json',
  webmanifest: 'application/manifest+json',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  bmp: 'image/bmp',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  wasm: 'application/wasm',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  webm: 'video/webm',
  ics: 'text/calendar',
};

const UTF8_TYPES = /^(?:text\/|application\/(?:json|xml|javascript|manifest\+json)$|image\/svg\+xml$)/;

/** The Content-Type for a file name, or `fallback` when the extension is unknown. */
export function contentTypeFor(
  fileName: string,
  extra: Readonly<Record<string, string>> = {},
  fallback = 'application/octet-stream',
): string {
  const dot = fileName.lastIndexOf('.');
  const slash = fileName.lastIndexOf('/');
  if (dot <= slash + 1) return fallback;
  const extension = fileName.slice(dot + 1).toLowerCase();
  const type = extra[extension] ?? TYPES[extension];
  if (type === undefined) return fallback;
  return UTF8_TYPES.test(type) && !type.includes(';') ? `${type}; charset=utf-8` : type;
}
