import type { CertificationReport } from '../certify/report.js';

function escape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The report as JUnit XML: one test case per clause; failures carry the violations, skips their reason. */
export function junitXml(report: CertificationReport): string {
  const suite = `tsgi-conformance ${report.kind} (${report.target})`;
  const failures = report.clauses.filter((c) => c.status === 'failed').length;
  const skipped = report.clauses.filter((c) => c.status === 'not-applicable' || c.status === 'not-checked').length;
  const cases = report.clauses.map((c) => {
    const open = `    <testcase classname="${escape(suite)}" name="${escape(c.clause)}">`;
    if (c.status === 'failed') {
      const text = c.violations.map((v) => v.message).join('\n');
      return `${open}\n      <failure message="${escape(c.violations[0]?.message ?? c.clause)}">${escape(text)}</failure>\n    </testcase>`;
    }
    if (c.status !== 'passed') return `${open}\n      <skipped message="${escape(`${c.status}: ${c.reason ?? ''}`)}"/>\n    </testcase>`;
    return `${open}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${report.clauses.length}" failures="${failures}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${escape(suite)}" tests="${report.clauses.length}" failures="${failures}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `    <properties><property name="seed" value="${report.seed}"/><property name="runs" value="${report.runs}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
