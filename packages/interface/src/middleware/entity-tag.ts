/**
 * Entity tags (RFC 9110 section 8.8.3) and their lists in `If-Match` / `If-None-Match`.
 * `parseEntityTags` and `formatEntityTags` are a pair.
 */

const ETAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/** True for a syntactically valid entity tag: `"abc"` or `W/"abc"`. */
export function isEntityTag(value: string): boolean {
  return ETAG.test(value);
}

/** `*`, or the entity tags of a list field, up to the first malformed member. */
export function parseEntityTags(value: string): '*' | string[] {
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  const tags: string[] = [];
  // Tags may hold commas inside their quotes, so split on the quotes, not the commas.
  const pattern = /\s*(W\/)?"([^"]*)"\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(trimmed)) !== null) {
    const tag = `${match[1] ?? ''}"${match[2]}"`;
    if (ETAG.test(tag)) tags.push(tag);
    if (pattern.lastIndex >= trimmed.length) break;
  }
  return tags;
}

export function formatEntityTags(tags: '*' | readonly string[]): string {
  if (tags === '*') return '*';
  for (const tag of tags) if (!ETAG.test(tag)) throw new TypeError(`not an entity tag: ${JSON.stringify(tag)}`);
  return tags.join(', ');
}

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** Weak comparison: the opaque tags are equal, weak or not (If-None-Match). */
export function weakMatch(a: string, b: string): boolean {
  return opaque(a) === opaque(b);
}

/** Strong comparison: neither is weak and they are equal (If-Match, If-Range). */
export function strongMatch(a: string, b: string): boolean {
  return !a.startsWith('W/') && a === b;
}
