import { describe, expect, it } from 'vitest';
import { citationKind, evaluate, findCitations, parseClauses, parsePending } from './check-clauses.mjs';

const CHAPTER = 'spec/03-environ.md';

const spec = `# 3. The environ

Introductory text in lower case is informative.

- **ENV-1** The host MUST pass a new plain object.
- **ENV-2** The host MUST set \`SERVER_PORT\` to a string of ASCII digits,
  continued on an indented line.
- **ENV-3** An app SHOULD ignore keys it does not know.
- **ENV-4** A host MAY expose native objects.

\`\`\`ts
// - **ENV-99** inside a code fence: not a clause, and MUST here is not normative.
\`\`\`

> **Rationale.** Quoted rationale may say that PEP 3333 MUST be read carefully.
`;

describe('parseClauses', () => {
  it('reads id, level, text, file and line of each clause', () => {
    const { clauses, problems } = parseClauses(spec, CHAPTER);
    expect(problems).toEqual([]);
    expect(clauses.map((c: { id: string; level: string }) => [c.id, c.level])).toEqual([
      ['ENV-1', 'must'],
      ['ENV-2', 'must'],
      ['ENV-3', 'should'],
      ['ENV-4', 'may'],
    ]);
    expect(clauses[1]).toMatchObject({
      file: CHAPTER,
      line: 6,
      text: 'The host MUST set `SERVER_PORT` to a string of ASCII digits, continued on an indented line.',
    });
  });

  it('takes the strongest keyword as the level and records every level present', () => {
    const { clauses } = parseClauses('- **SR-1** An app MUST NOT do this and MAY do that.\n', 'spec/05-start-response.md');
    expect(clauses[0]).toMatchObject({ level: 'must', levels: ['must', 'may'] });
  });

  it('maps MUST NOT, REQUIRED and SHALL to must, SHOULD NOT to should, OPTIONAL to may', () => {
    const md = [
      '- **APP-1** An app MUST NOT return a string.',
      '- **APP-2** A body is REQUIRED.',
      '- **APP-3** The host SHALL NOT send it.',
      '- **APP-4** An app SHOULD NOT buffer.',
      '- **APP-5** A close method is OPTIONAL.',
    ].join('\n');
    const levels = parseClauses(md, 'spec/02-application.md').clauses.map((c: { level: string }) => c.level);
    expect(levels).toEqual(['must', 'must', 'must', 'should', 'may']);
  });

  it('gives a clause without a keyword the level null', () => {
    const { clauses } = parseClauses('- **MW-1** A middleware is a function.\n', 'spec/07-middleware.md');
    expect(clauses[0]!.level).toBeNull();
  });

  it('reports a normative keyword outside a clause in a chapter file', () => {
    const { problems } = parseClauses('Hosts MUST do this.\n', CHAPTER);
    expect(problems).toEqual([expect.stringContaining(`${CHAPTER}:1: normative keyword outside a clause`)]);
  });

  it('allows keywords outside clauses in files that are not chapters, and names of levels anywhere', () => {
    expect(parseClauses('Hosts MUST do this.\n', 'spec/README.md').problems).toEqual([]);
    expect(parseClauses('Every MUST clause is checked.\n', CHAPTER).problems).toEqual([]);
  });

  it('reports a malformed clause id', () => {
    const { problems } = parseClauses('- **ENV7** The host MUST do it.\n', CHAPTER);
    expect(problems).toEqual([expect.stringContaining('malformed clause id')]);
  });

  it('does not mistake bold words in a list for clause ids', () => {
    const { clauses, problems } = parseClauses('- **ByteString** — a string.\n- **Lost:** things.\n', 'spec/README.md');
    expect(clauses).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe('findCitations', () => {
  it('finds every clause id with its line, and ignores look-alikes', () => {
    const text = [
      "it('SR-13 second startResponse without excInfo throws', () => {",
      '  // BODY-4 and HOST-12 apply; XSR-1, SR-x, TSGI_ERR-1 and ENV_7 are not ids',
      '});',
    ].join('\n');
    expect(findCitations(text, 'packages/interface/src/exchange.test.ts')).toEqual([
      { id: 'SR-13', file: 'packages/interface/src/exchange.test.ts', line: 1 },
      { id: 'BODY-4', file: 'packages/interface/src/exchange.test.ts', line: 2 },
      { id: 'HOST-12', file: 'packages/interface/src/exchange.test.ts', line: 2 },
    ]);
  });
});

describe('citationKind', () => {
  it('counts the conformance package and test files as checks, other code not', () => {
    expect(citationKind('packages/conformance/src/lint/status.ts')).toBe('suite');
    expect(citationKind('packages/adapters/src/node/serve.test.ts')).toBe('test');
    expect(citationKind('examples/flagship/app.test.mjs')).toBe('test');
    expect(citationKind('packages/adapters/src/node/serve.ts')).toBe('other');
  });
});

describe('parsePending', () => {
  it('reads one id and reason per list line', () => {
    const md = '# Pending\n\nIntro.\n\n- ENV-1 — needs certifyServer\n- `SR-2` -- needs the lint\n';
    const { pending, problems } = parsePending(md, 'spec/PENDING.md');
    expect(problems).toEqual([]);
    expect(pending).toEqual([
      { id: 'ENV-1', reason: 'needs certifyServer', file: 'spec/PENDING.md', line: 5 },
      { id: 'SR-2', reason: 'needs the lint', file: 'spec/PENDING.md', line: 6 },
    ]);
  });

  it('reports a line without a reason', () => {
    const { problems } = parsePending('- ENV-1\n', 'spec/PENDING.md');
    expect(problems).toEqual([expect.stringContaining('without a reason')]);
  });
});

describe('evaluate', () => {
  const { clauses } = parseClauses(spec, CHAPTER);
  const test = (id: string, line = 1) => ({ id, file: 'packages/interface/src/x.test.ts', line });
  const pendingOf = (...ids: string[]) => ids.map((id, i) => ({ id, reason: 'later', file: 'spec/PENDING.md', line: i + 1 }));

  it('passes when every MUST clause is checked or pending', () => {
    const result = evaluate({ clauses, citations: [test('ENV-1')], pending: pendingOf('ENV-2') });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.summary.totals).toMatchObject({ clauses: 4, must: 2, should: 1, may: 1, checked: 1, pending: 1, checkedByTests: 1, checkedBySuite: 0 });
    expect(result.summary.perPrefix.ENV).toEqual({ must: 2, should: 1, may: 1, checked: 1, pending: 1 });
  });

  it('fails on a MUST clause that nothing checks and PENDING.md does not list', () => {
    const result = evaluate({ clauses, citations: [test('ENV-1')], pending: [] });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringContaining('MUST clause ENV-2 is checked by neither')]);
  });

  it('does not require SHOULD and MAY clauses to be checked', () => {
    const result = evaluate({ clauses, citations: [test('ENV-1'), test('ENV-2')], pending: [] });
    expect(result.ok).toBe(true);
  });

  it('does not count a citation in non-test, non-conformance code as a check', () => {
    const citations = [test('ENV-1'), { id: 'ENV-2', file: 'packages/adapters/src/node/serve.ts', line: 3 }];
    const result = evaluate({ clauses, citations, pending: [] });
    expect(result.problems).toEqual([expect.stringContaining('ENV-2 is checked by neither')]);
  });

  it('counts a citation in the conformance package as a check by the suite', () => {
    const citations = [test('ENV-1'), { id: 'ENV-2', file: 'packages/conformance/src/lint.ts', line: 9 }];
    const result = evaluate({ clauses, citations, pending: [] });
    expect(result.ok).toBe(true);
    expect(result.clauses.find((c: { id: string }) => c.id === 'ENV-2')).toMatchObject({ checkedBySuite: true, checkedByTests: false, status: 'checked' });
  });

  it('fails, with file and line, on a citation of an id the spec does not define', () => {
    const result = evaluate({ clauses, citations: [test('ENV-1'), test('ENV-42', 17)], pending: pendingOf('ENV-2') });
    expect(result.problems).toEqual(['packages/interface/src/x.test.ts:17: cites ENV-42, which the spec does not define']);
  });

  it('fails when a pending clause is now checked, so the list only shrinks', () => {
    const result = evaluate({ clauses, citations: [test('ENV-1'), test('ENV-2')], pending: pendingOf('ENV-2') });
    expect(result.problems).toEqual([expect.stringContaining('ENV-2 is now checked')]);
  });

  it('fails when PENDING.md lists an unknown id, a non-MUST clause, or an id twice', () => {
    const result = evaluate({ clauses, citations: [test('ENV-1')], pending: pendingOf('ENV-2', 'ENV-9', 'ENV-3', 'ENV-2') });
    expect(result.problems).toEqual([
      expect.stringContaining('lists ENV-9, which the spec does not define'),
      expect.stringContaining('lists ENV-3, which is a should clause'),
      expect.stringContaining('ENV-2 is listed twice'),
    ]);
  });

  it('fails on duplicate ids, unknown prefixes, clauses without a keyword, and mixed levels', () => {
    const md = [
      '- **ENV-1** The host MUST do one thing.',
      '- **ENV-1** The host MUST do another.',
      '- **FOO-1** The host MUST do a third.',
      '- **ENV-2** The host does a fourth.',
      '- **ENV-3** The host MUST do a fifth and MAY do a sixth.',
    ].join('\n');
    const parsed = parseClauses(md, CHAPTER);
    const result = evaluate({ clauses: parsed.clauses, citations: [test('ENV-1'), test('ENV-3')], pending: [] });
    expect(result.problems).toEqual([
      expect.stringContaining('duplicate clause id ENV-1 (first at spec/03-environ.md:1)'),
      expect.stringContaining('FOO-1 has an unknown prefix'),
      expect.stringContaining('ENV-2 has no RFC 2119 keyword'),
      expect.stringContaining('ENV-3 mixes requirement levels (must, may)'),
      expect.stringContaining('MUST clause FOO-1 is checked by neither'),
    ]);
  });

  it('keeps the parse problems it is given', () => {
    const result = evaluate({ clauses, citations: [test('ENV-1')], pending: pendingOf('ENV-2'), problems: ['spec/x.md:1: boom'] });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(['spec/x.md:1: boom']);
  });
});
