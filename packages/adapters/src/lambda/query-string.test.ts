import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryParameters } from './arbitraries/query-parameters.js';
import { parametersFromQuery, queryFromParameters } from './query-string.js';

describe('query strings rebuilt from decoded parameters', () => {
  it('LAMBDA-7: parametersFromQuery gives back what queryFromParameters encoded, repeats in order', () => {
    fc.assert(
      fc.property(queryParameters(), (parameters) => {
        const nonEmpty = parameters.filter(([name, value]) => name !== '' || value !== '');
        expect(parametersFromQuery(queryFromParameters(nonEmpty))).toEqual(nonEmpty);
      }),
    );
  });

  it('LAMBDA-7: form decoding (URLSearchParams) reads the rebuilt query the same way', () => {
    fc.assert(
      fc.property(queryParameters(), (parameters) => {
        const nonEmpty = parameters.filter(([name, value]) => name !== '' || value !== '');
        expect([...new URLSearchParams(queryFromParameters(nonEmpty))]).toEqual(nonEmpty.map(([n, v]) => [n, v]));
      }),
      { examples: [[[['a b', 'x+y']]], [[['&', '=']]], [[['100%', '\u00e9']]]] },
    );
  });

  it('LAMBDA-7: only RFC 3986 unreserved characters stay unencoded', () => {
    expect(queryFromParameters([['a b', 'x+y&z=~._-']])).toBe('a%20b=x%2By%26z%3D~._-');
  });
});
