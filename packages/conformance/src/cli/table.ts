import type { CertificationReport } from '../certify/report.js';

const MARK = { passed: 'pass', failed: 'FAIL', 'not-applicable': 'n/a', 'not-checked': 'skip' } as const;

function shorten(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > width ? flat.slice(0, width - 1) + '…' : flat;
}

/** The clause-by-clause table and the summary lines a person reads. */
export function formatReport(report: CertificationReport, width = 100): string {
  const rows = report.clauses.map((c) => {
    const note = c.status === 'failed' ? (c.violations[0]?.message ?? '') : c.reason ?? (c.checks ? `${c.checks} check${c.checks === 1 ? '' : 's'}` : '');
    return [c.clause, MARK[c.status], note] as const;
  });
  const idWidth = Math.max(6, ...rows.map(([id]) => id.length));
  const lines = [`${'clause'.padEnd(idWidth)}  ${'result'.padEnd(6)}  detail`];
  for (const [id, mark, note] of rows) lines.push(`${id.padEnd(idWidth)}  ${mark.padEnd(6)}  ${shorten(note, Math.max(20, width - idWidth - 10))}`);
  const count = (status: string) => report.clauses.filter((c) => c.status === status).length;
  lines.push('');
  lines.push(
    `${report.kind} certification (${report.target}): ${count('passed')} passed, ${count('failed')} failed, ` +
      `${count('not-applicable')} not applicable, ${count('not-checked')} not checked; ` +
      `${report.runs} generated cases, seed ${report.seed}, ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  const warnings = report.violations.filter((v) => v.level === 'should');
  if (warnings.length) {
    lines.push(`SHOULD warnings (${warnings.length}):`);
    for (const w of warnings.slice(0, 10)) lines.push(`  ${shorten(w.message, width - 2)}`);
  }
  if (report.counterexample) {
    lines.push(`counterexample (replay with --seed ${report.counterexample.seed}):`);
    lines.push(`  ${shorten(JSON.stringify(report.counterexample.input, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v)), 4 * width)}`);
    for (const v of report.counterexample.violations.slice(0, 5)) lines.push(`  ${shorten(v.message, width - 2)}`);
  }
  for (const note of report.notes) lines.push(`note: ${shorten(note, width - 6)}`);
  lines.push(report.ok ? 'result: PASS' : 'result: FAIL');
  return lines.join('\n');
}
