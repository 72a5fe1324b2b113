#!/usr/bin/env node
/**
 * Keeps spec/, the conformance package and the tests in step (the Rack lint/SPEC lesson:
 * the rule and its check must not drift apart).
 *
 * - Parses every clause (`- **ENV-7** The host MUST ...`) from spec/*.md.
 * - Scans packages/, examples/ and bench/ (and the spec's own cross-references) for cited
 *   clause ids.
 * - Fails on: duplicate or malformed clauses, citations of unknown ids, MUST clauses that
 *   nothing checks and that spec/PENDING.md does not list, PENDING.md lines for clauses that
 *   are now checked (the list only shrinks), unknown or non-MUST ids in PENDING.md.
 *
 * Usage: node scripts/check-clauses.mjs [--json]
 * Exit status: 0 when consistent, 1 with one problem per line otherwise.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PREFIXES = Object.freeze([
  'OVR', 'APP', 'ENV', 'INP', 'ERR', 'SR', 'BODY', 'MW', 'HOST', 'NODE', 'PF', 'LAMBDA', 'FETCH',
]);

/** Requirement levels, strongest first; each keyword belongs to exactly one. */
const LEVEL_KEYWORDS = [
  ['must', /\b(?:MUST(?: NOT)?|REQUIRED|SHALL(?: NOT)?)\b/g],
  ['should', /\b(?:SHOULD(?: NOT)?|RECOMMENDED|NOT RECOMMENDED)\b/g],
  ['may', /\b(?:MAY|OPTIONAL)\b/g],
];
const ANY_KEYWORD = /\b(?:MUST|REQUIRED|SHALL|SHOULD|RECOMMENDED|MAY|OPTIONAL)\b/;

/** A citation: any token that looks like a clause id of a known prefix. */
const CITATION = new RegExp(`\\b(?:${PREFIXES.join('|')})-\\d+\\b`, 'g');
/** The start of a clause: a list item whose first word is a bold id. */
const CLAUSE_START = /^- \*\*([A-Z]+)-(\d+)\*\*\s+(.*)$/;
/** Anything that tries to be a clause start, to catch typos such as `**ENV7**`. */
const CLAUSE_LIKE = /^- \*\*(?:[A-Za-z]{2,}-?[0-9][^*\s]*|[A-Z]{2,}-[^*\s]+)\*\*/;

/** Files whose clauses are normative chapters (stray keywords are checked there). */
const CHAPTER_FILE = /^\d\d-[a-z0-9-]+\.md$/;
/** Files in spec/ that hold no clauses. */
const NON_CLAUSE_FILES = new Set(['PENDING.md']);

/**
 * Parses the clauses of one spec file.
 * @param {string} markdown
 * @param {string} file the path reported in problems
 * @returns {{ clauses: Clause[], problems: string[] }}
 *
 * @typedef {{ id: string, prefix: string, number: number, level: 'must'|'should'|'may'|null,
 *   levels: string[], text: string, file: string, line: number }} Clause
 */
export function parseClauses(markdown, file) {
  const lines = markdown.split(/\r?\n/);
  /** @type {Clause[]} */
  const clauses = [];
  const problems = [];
  const checkStray = CHAPTER_FILE.test(file.split(/[\\/]/).pop() ?? '');
  let inFence = false;
  /** @type {Clause | null} */
  let current = null;

  const finish = () => {
    if (!current) return;
    current.text = current.text.replace(/\s+/g, ' ').trim();
    const levels = LEVEL_KEYWORDS.filter(([, re]) => current.text.match(re)).map(([level]) => level);
    current.levels = levels;
    current.level = /** @type {Clause['level']} */ (levels[0] ?? null);
    clauses.push(current);
    current = null;
  };

  lines.forEach((raw, index) => {
    const line = index + 1;
    if (/^\s*(```|~~~)/.test(raw)) {
      finish();
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    const start = CLAUSE_START.exec(raw);
    if (start) {
      finish();
      const [, prefix, digits, text] = start;
      current = {
        id: `${prefix}-${Number(digits)}`,
        prefix,
        number: Number(digits),
        level: null,
        levels: [],
        text,
        file,
        line,
      };
      if (digits !== String(Number(digits))) {
        problems.push(`${file}:${line}: clause id ${prefix}-${digits} has a leading zero`);
      }
      return;
    }
    if (CLAUSE_LIKE.test(raw)) {
      finish();
      problems.push(`${file}:${line}: malformed clause id in "${raw.slice(0, 40)}"; write - **PREFIX-N** text`);
      return;
    }
    // A clause continues on indented lines (and on indented table rows) until a blank line
    // or the next list item.
    if (current && /^\s+\S/.test(raw)) {
      current.text += ' ' + raw.trim();
      return;
    }
    finish();
    if (checkStray && !/^\s*>/.test(raw) && ANY_KEYWORD.test(stripCode(raw))) {
      problems.push(`${file}:${line}: normative keyword outside a clause; make it a clause or write it in lower case`);
    }
  });
  finish();
  return { clauses, problems };
}

/** Inline code and names of levels ("every MUST clause") carry no requirement. */
function stripCode(text) {
  return text.replace(/`[^`]*`/g, '').replace(/\b(?:MUST|SHOULD|MAY)(?:-level)? clauses?\b/g, '');
}

/**
 * Finds every clause id cited in one source file.
 * @param {string} text
 * @param {string} file
 * @returns {{ id: string, file: string, line: number }[]}
 */
export function findCitations(text, file) {
  const citations = [];
  text.split(/\r?\n/).forEach((lineText, index) => {
    for (const match of lineText.matchAll(CITATION)) {
      const [prefix, digits] = match[0].split('-');
      citations.push({ id: `${prefix}-${Number(digits)}`, file, line: index + 1 });
    }
  });
  return citations;
}

/**
 * Parses spec/PENDING.md: one `- ID — reason` line per pending MUST clause.
 * @param {string} markdown
 * @param {string} file
 * @returns {{ pending: { id: string, reason: string, file: string, line: number }[], problems: string[] }}
 */
export function parsePending(markdown, file = 'spec/PENDING.md') {
  const pending = [];
  const problems = [];
  let inFence = false;
  markdown.split(/\r?\n/).forEach((raw, index) => {
    if (/^\s*(```|~~~)/.test(raw)) inFence = !inFence;
    if (inFence || !/^[-*] /.test(raw)) return;
    const match = /^[-*] +`?([A-Z]+-\d+)`?\s*(?:[—–-]+\s*(.*))?$/.exec(raw);
    if (!match) {
      problems.push(`${file}:${index + 1}: unreadable pending line "${raw.slice(0, 60)}"; write - ID — reason`);
      return;
    }
    const [prefix, digits] = match[1].split('-');
    const reason = (match[2] ?? '').trim();
    if (!reason) problems.push(`${file}:${index + 1}: ${match[1]} is pending without a reason`);
    pending.push({ id: `${prefix}-${Number(digits)}`, reason, file, line: index + 1 });
  });
  return { pending, problems };
}

/** Where a citation counts as a check: the lint and suite, or a test file. */
export function citationKind(file) {
  const path = file.split(sep).join('/');
  if (/(^|\/)packages\/conformance\/src\//.test(path)) return 'suite';
  if (/\.test\.[cm]?[jt]sx?$/.test(path)) return 'test';
  return 'other';
}

/**
 * Cross-checks clauses, citations and the pending list.
 * @param {{ clauses: Clause[], citations: { id: string, file: string, line: number }[],
 *   pending: { id: string, file?: string, line?: number }[], problems?: string[] }} input
 * @returns {{ ok: boolean, problems: string[], summary: object, clauses: object[] }}
 */
export function evaluate({ clauses, citations, pending, problems: earlier = [] }) {
  const problems = [...earlier];
  const byId = new Map();

  for (const clause of clauses) {
    const where = `${clause.file}:${clause.line}`;
    if (!PREFIXES.includes(clause.prefix)) {
      problems.push(`${where}: ${clause.id} has an unknown prefix (known: ${PREFIXES.join(', ')})`);
    }
    if (byId.has(clause.id)) {
      const first = byId.get(clause.id);
      problems.push(`${where}: duplicate clause id ${clause.id} (first at ${first.file}:${first.line})`);
      continue;
    }
    byId.set(clause.id, clause);
    if (!clause.level) {
      problems.push(`${where}: ${clause.id} has no RFC 2119 keyword (MUST, SHOULD, MAY ...)`);
    } else if (clause.levels && clause.levels.length > 1) {
      problems.push(`${where}: ${clause.id} mixes requirement levels (${clause.levels.join(', ')}); split it`);
    }
  }

  const checkedBy = new Map(); // id -> Set('suite' | 'test')
  for (const citation of citations) {
    if (!byId.has(citation.id)) {
      problems.push(`${citation.file}:${citation.line}: cites ${citation.id}, which the spec does not define`);
      continue;
    }
    const kind = citationKind(citation.file);
    if (kind === 'other') continue;
    if (!checkedBy.has(citation.id)) checkedBy.set(citation.id, new Set());
    checkedBy.get(citation.id).add(kind);
  }

  const pendingIds = new Map();
  for (const entry of pending) {
    const where = entry.file ? `${entry.file}:${entry.line}` : 'spec/PENDING.md';
    const clause = byId.get(entry.id);
    if (pendingIds.has(entry.id)) {
      problems.push(`${where}: ${entry.id} is listed twice`);
      continue;
    }
    pendingIds.set(entry.id, entry);
    if (!clause) {
      problems.push(`${where}: lists ${entry.id}, which the spec does not define`);
    } else if (clause.level !== 'must') {
      problems.push(`${where}: lists ${entry.id}, which is a ${clause.level ?? 'keyword-less'} clause; only MUST clauses are pending`);
    } else if (checkedBy.has(entry.id)) {
      const by = [...checkedBy.get(entry.id)].join(' and ');
      problems.push(`${where}: ${entry.id} is now checked (by the ${by}); remove it from PENDING.md`);
    }
  }

  const report = [];
  for (const clause of byId.values()) {
    const by = checkedBy.get(clause.id) ?? new Set();
    const status = by.size > 0 ? 'checked' : pendingIds.has(clause.id) ? 'pending' : clause.level === 'must' ? 'unchecked' : 'optional';
    if (status === 'unchecked') {
      problems.push(`${clause.file}:${clause.line}: MUST clause ${clause.id} is checked by neither the conformance package nor a test, and is not in spec/PENDING.md`);
    }
    report.push({
      id: clause.id,
      level: clause.level,
      file: clause.file,
      line: clause.line,
      checkedBySuite: by.has('suite'),
      checkedByTests: by.has('test'),
      status,
    });
  }

  return { ok: problems.length === 0, problems, summary: summarize(report), clauses: report };
}

function summarize(report) {
  const empty = () => ({ must: 0, should: 0, may: 0, checked: 0, pending: 0 });
  const perPrefix = Object.fromEntries(PREFIXES.map((prefix) => [prefix, empty()]));
  const totals = { clauses: 0, must: 0, should: 0, may: 0, checked: 0, checkedBySuite: 0, checkedByTests: 0, pending: 0 };
  for (const clause of report) {
    const row = (perPrefix[clause.id.split('-')[0]] ??= empty());
    totals.clauses += 1;
    if (!clause.level) continue;
    row[clause.level] += 1;
    totals[clause.level] += 1;
    if (clause.level !== 'must') continue;
    // Coverage counts MUST clauses only: SHOULD and MAY clauses need no check.
    if (clause.status === 'checked') {
      row.checked += 1;
      totals.checked += 1;
    }
    if (clause.status === 'pending') {
      row.pending += 1;
      totals.pending += 1;
    }
    if (clause.checkedBySuite) totals.checkedBySuite += 1;
    if (clause.checkedByTests) totals.checkedByTests += 1;
  }
  return { perPrefix, totals };
}

// ---------------------------------------------------------------------------------------
// File system: which files hold clauses and which hold citations.

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'coverage']);

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|json|md|yaml|yml)$/;

/** The files that may cite clauses: packages/, examples/ and bench/, minus build output. */
export function citationFiles(root) {
  const files = [];
  const packagesDir = join(root, 'packages');
  if (existsSync(packagesDir)) {
    for (const name of readdirSync(packagesDir)) {
      const pkg = join(packagesDir, name);
      if (!statSync(pkg).isDirectory()) continue;
      for (const file of walk(pkg)) {
        const rel = relative(pkg, file).split(sep).join('/');
        if (rel.startsWith('src/') || rel.startsWith('test/') || /\.test\.[^/]+$/.test(rel)) files.push(file);
      }
    }
  }
  for (const dir of ['examples', 'bench']) files.push(...walk(join(root, dir)));
  return files.filter((file) => SOURCE_FILE.test(file));
}

export function loadRepository(root) {
  const specDir = join(root, 'spec');
  const problems = [];
  const clauses = [];
  for (const name of readdirSync(specDir).filter((n) => n.endsWith('.md')).sort()) {
    if (NON_CLAUSE_FILES.has(name)) continue;
    const file = `spec/${name}`;
    const parsed = parseClauses(readFileSync(join(specDir, name), 'utf8'), file);
    clauses.push(...parsed.clauses);
    problems.push(...parsed.problems);
  }
  // Cross-references inside the spec must resolve too; they never count as checks.
  const specFiles = readdirSync(specDir)
    .filter((n) => n.endsWith('.md') && !NON_CLAUSE_FILES.has(n))
    .map((n) => join(specDir, n));
  const citations = [...specFiles, ...citationFiles(root)].flatMap((path) =>
    findCitations(readFileSync(path, 'utf8'), relative(root, path).split(sep).join('/')),
  );
  let pending = [];
  const pendingPath = join(specDir, 'PENDING.md');
  if (existsSync(pendingPath)) {
    const parsed = parsePending(readFileSync(pendingPath, 'utf8'), 'spec/PENDING.md');
    pending = parsed.pending;
    problems.push(...parsed.problems);
  }
  return { clauses, citations, pending, problems };
}

function formatSummary({ perPrefix, totals }) {
  const rows = [['prefix', 'MUST', 'SHOULD', 'MAY', 'checked', 'pending']];
  const cells = (name, c) => [name, c.must, c.should, c.may, c.checked, c.pending].map(String);
  for (const [prefix, counts] of Object.entries(perPrefix)) rows.push(cells(prefix, counts));
  rows.push(cells('total', totals));
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  const table = rows.map((row) =>
    row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  '),
  );
  return [
    ...table,
    '',
    `${totals.clauses} clauses: ${totals.must} MUST, ${totals.should} SHOULD, ${totals.may} MAY`,
    `MUST clauses checked: ${totals.checked} (cited by the conformance package: ${totals.checkedBySuite}, by tests: ${totals.checkedByTests})`,
    `MUST clauses pending (spec/PENDING.md): ${totals.pending}`,
  ].join('\n');
}

function main(argv) {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const result = evaluate(loadRepository(root));
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } else {
    process.stdout.write(formatSummary(result.summary) + '\n');
    for (const problem of result.problems) process.stderr.write(problem + '\n');
    process.stdout.write(result.ok ? 'check:clauses: ok\n' : `check:clauses: ${result.problems.length} problem(s)\n`);
  }
  return result.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
