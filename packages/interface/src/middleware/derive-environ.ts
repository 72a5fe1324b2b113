import { defineGetter } from '../environ-from-request.js';
import type { Environ } from '../types.js';

const SIGNAL = 'tsgi.signal';

/**
 * The keys every environ has (ENV chapter) that a host writes first, in the order
 * `environFromRequest` and this function write them: a source environ that starts with
 * them needs no lookup per key.
 */
const LEADING = [
  'REQUEST_METHOD',
  'SCRIPT_NAME',
  'PATH_INFO',
  'QUERY_STRING',
  'SERVER_NAME',
  'SERVER_PORT',
  'SERVER_PROTOCOL',
  'REQUEST_URI',
  'tsgi.version',
  'tsgi.url_scheme',
  'tsgi.input',
  'tsgi.errors',
  'tsgi.multithread',
  'tsgi.multiprocess',
  'tsgi.run_once',
  'tsgi.input_terminated',
  'tsgi.headers',
] as const;

/** All the keys every environ has, copied by name into a literal of one shape. */
const ALWAYS = new Set<string>([...LEADING, 'tsgi.wait_until', SIGNAL]);

/**
 * Where a derived environ finds its signal, under symbol keys: the middleware's own signal
 * (a function), or else the environ it was derived from.
 */
const SIGNAL_OF: unique symbol = Symbol('tsgi.signal of a derived environ');
const SOURCE_OF: unique symbol = Symbol('the environ a derived environ was derived from');

type Derived = Record<string, unknown> & { [SIGNAL_OF]: (() => AbortSignal) | undefined; [SOURCE_OF]: Record<string, unknown> };

/**
 * The one getter of every derived `tsgi.signal`. Engines keep accessors in an object's
 * shape, so a getter made per request would give every environ a shape of its own and
 * swamp the garbage collector; a shared one keeps a single shape.
 */
function readSignal(this: Derived): AbortSignal {
  const own = this[SIGNAL_OF];
  return own !== undefined ? own() : (this[SOURCE_OF][SIGNAL] as AbortSignal);
}
const SIGNAL_ACCESSOR: PropertyDescriptor = { get: readSignal, enumerable: true, configurable: true };

/**
 * A new environ with `changes` over the keys of `environ`, which is left as it was (MW-5).
 * A change to `undefined` leaves the key out; `signal`, when given, makes `tsgi.signal` on
 * first use (a middleware's own signal).
 *
 * Two costs are avoided. Hosts create `tsgi.signal` on first use (an AbortController per
 * request costs microseconds) and object spread would read it: the derived environ reads it
 * from `environ` only when asked. And an environ holds keys no literal names (`HTTP_*`), so
 * engines keep it as a hash table, which spread copies slowly: the keys every environ has
 * go into one literal shape first, the rest after.
 */
export function deriveEnviron(environ: Environ, changes: Readonly<Record<string, unknown>>, signal?: () => AbortSignal): Environ {
  const e = environ as unknown as Record<string, unknown>;
  const derived = {
    REQUEST_METHOD: e.REQUEST_METHOD,
    SCRIPT_NAME: e.SCRIPT_NAME,
    PATH_INFO: e.PATH_INFO,
    QUERY_STRING: e.QUERY_STRING,
    SERVER_NAME: e.SERVER_NAME,
    SERVER_PORT: e.SERVER_PORT,
    SERVER_PROTOCOL: e.SERVER_PROTOCOL,
    REQUEST_URI: e.REQUEST_URI,
    'tsgi.version': e['tsgi.version'],
    'tsgi.url_scheme': e['tsgi.url_scheme'],
    'tsgi.input': e['tsgi.input'],
    'tsgi.errors': e['tsgi.errors'],
    'tsgi.multithread': e['tsgi.multithread'],
    'tsgi.multiprocess': e['tsgi.multiprocess'],
    'tsgi.run_once': e['tsgi.run_once'],
    'tsgi.input_terminated': e['tsgi.input_terminated'],
    'tsgi.headers': e['tsgi.headers'],
    'tsgi.wait_until': e['tsgi.wait_until'],
    // Symbol keys: Object.keys, for-in and JSON do not see them.
    [SIGNAL_OF]: signal,
    [SOURCE_OF]: e,
  } as Record<string, unknown> as Derived;
  if (defineGetter !== undefined) defineGetter.call(derived, SIGNAL, readSignal);
  else Object.defineProperty(derived, SIGNAL, SIGNAL_ACCESSOR);
  // Keys that change are skipped here and set (or left out) below: deleting a property would
  // turn the new environ into a hash table too.
  const keys = Object.keys(e);
  // Most changes name a key or two: a scan of their names is cheaper than a keyed lookup.
  const changed = Object.keys(changes);
  let present = 0;
  while (present < LEADING.length && keys[present] === LEADING[present]) present++;
  for (let i = present; i < keys.length; i++) {
    const key = keys[i]!;
    // HTTP_* keys, most of the rest, are never among the keys every environ has.
    if ((key.charCodeAt(0) === 72 /* H */ && key.startsWith('HTTP_')) || !ALWAYS.has(key)) {
      if (!changed.includes(key)) derived[key] = e[key];
    } else if (key !== SIGNAL) present++;
  }
  // A conforming environ lists every one of them; only another one needs the check below.
  if (present < ALWAYS.size - 1) {
    for (const key of ALWAYS) {
      // An environ that lacks a key (not a conforming one) does not gain it here.
      if (key !== SIGNAL && derived[key] === undefined && !(key in e)) delete derived[key];
    }
  }
  if (!signal && !(SIGNAL in e)) delete derived[SIGNAL];
  for (const key of changed) {
    const value = changes[key];
    if (value === undefined) {
      if (key in derived) delete derived[key];
    } else if (key === SIGNAL) Object.defineProperty(derived, SIGNAL, { value, writable: true, enumerable: true, configurable: true });
    else derived[key] = value;
  }
  return derived as unknown as Environ;
}
