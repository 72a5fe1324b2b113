import fc from 'fast-check';

/** Every path to a value inside a JSON value, as lists of keys. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...paths(item, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...prefix, key]));
  }
  return out;
}

/**
 * A sample event with one field replaced by any JSON value, or deleted: the malformed
 * events a crafted invocation can send.
 */
export function mutatedEvent(event: Record<string, unknown>): fc.Arbitrary<unknown> {
  const all = paths(event).filter((path) => path.length > 0);
  return fc.tuple(fc.constantFrom(...all), fc.option(fc.jsonValue(), { nil: undefined })).map(([path, replacement]) => {
    const copy = structuredClone(event) as Record<string | number, unknown>;
    let target = copy;
    for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (replacement === undefined) delete target[last];
    else target[last] = replacement;
    return copy;
  });
}
