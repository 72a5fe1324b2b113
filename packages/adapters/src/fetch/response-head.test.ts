import fc from 'fast-check';
import { isHopByHop, type HeaderList, type Status } from '@tsgi/interface';
import { describe, expect, it } from 'vitest';
import { headFromResponse, responseInitFromHead } from './response-head.js';

const tokenName = fc.oneof(
  fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/),
  fc.constantFrom('Set-Cookie', 'set-cookie', 'Vary', 'X-Dup', 'x-dup'),
);
/** Field values as the Headers class keeps them: bytes, no controls, no leading/trailing space or tab. */
const fieldValue = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 16 })
  .map((value) => value.trim());
const header = fc.tuple(tokenName, fieldValue).filter(([name]) => !isHopByHop(name));
const status = fc
  .tuple(fc.integer({ min: 200, max: 599 }), fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,15}$/))
  .map(([code, reason]) => `${code} ${reason}` as Status);

/** What survives a trip through `Headers`: names lower-cased and sorted, repeats joined, Set-Cookie kept apart. */
function asHeadersKeepThem(headers: HeaderList): HeaderList {
  const byName = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    byName.set(lower, [...(byName.get(lower) ?? []), value]);
  }
  const out: HeaderList = [];
  for (const name of [...byName.keys()].sort()) {
    const values = byName.get(name)!;
    if (name === 'set-cookie') for (const value of values) out.push([name, value]);
    else out.push([name, values.join(', ')]);
  }
  return out;
}

describe('responseInitFromHead / headFromResponse', () => {
  it('FETCH-9: status, reason phrase and every Set-Cookie survive tsgi → Response → tsgi; other fields as Headers keeps them', () => {
    fc.assert(
      fc.property(status, fc.array(header, { maxLength: 8 }), (line, headers) => {
        const response = new Response(null, responseInitFromHead(line, headers));
        const head = headFromResponse(response);
        expect(head.status).toBe(line);
        expect(head.headers).toEqual(asHeadersKeepThem(headers));
      }),
      { examples: [['200 OK', [['Set-Cookie', 'a=1, b=2'], ['set-cookie', 'c=3']]]] },
    );
  });

  it('FETCH-12: Response → tsgi → Response is the identity on status, statusText and the header list', () => {
    // Non-empty values only: Headers joins ["x", ""] into "x, ", a value with a trailing
    // space that no Headers object accepts back (it trims), so no conversion can round-trip it.
    const nonEmpty = header.filter(([, value]) => value !== '');
    fc.assert(
      fc.property(status, fc.array(nonEmpty, { maxLength: 8 }), (line, headers) => {
        const original = new Response(null, { status: Number(line.slice(0, 3)), statusText: line.slice(4), headers });
        const head = headFromResponse(original);
        const again = new Response(null, responseInitFromHead(head.status, head.headers));
        expect([again.status, again.statusText]).toEqual([original.status, original.statusText]);
        expect([...again.headers]).toEqual([...original.headers]);
        expect(again.headers.getSetCookie()).toEqual(original.headers.getSetCookie());
      }),
    );
  });

  it('FETCH-12: an empty statusText (HTTP/2, new Response(body, { status })) gets the standard reason phrase', () => {
    expect(headFromResponse(new Response(null, { status: 404 })).status).toBe('404 Not Found');
    expect(headFromResponse(new Response(null, { status: 299 })).status).toBe('299 ');
  });

  it('FETCH-12: hop-by-hop fields of the Response are left out', () => {
    const response = new Response(null, { headers: [['connection', 'keep-alive'], ['keep-alive', 'timeout=5'], ['transfer-encoding', 'chunked'], ['x-kept', '1']] });
    expect(headFromResponse(response).headers).toEqual([['x-kept', '1']]);
  });

  it('FETCH-12: a Response.error() (status 0) is an error, not a status line', () => {
    expect(() => headFromResponse(Response.error())).toThrow(expect.objectContaining({ clause: 'FETCH-12' }));
  });
});
