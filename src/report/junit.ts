// junit.xml: one <testsuite> per suite, one <testcase> per finding. JUnit has no "warning", so a warning
// passes with its message in <system-out>; CI shows failures and errors as such.
import type { Finding } from './finding.ts';
import { groupBySuite, type RunMeta } from './model.ts';

export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // characters XML 1.0 cannot carry at all
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

function seconds(ms: number | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

function detail(f: Finding): string {
  const lines = [`${f.reason}: ${f.message}`];
  if (f.hint) lines.push(`hint: ${f.hint}`);
  for (const [k, v] of Object.entries(f.measurements ?? {})) lines.push(`${k} = ${v}`);
  return lines.join('\n');
}

function testcase(f: Finding): string {
  const open = `    <testcase classname="efd-health.${xmlEscape(f.suite)}" name="${xmlEscape(`${f.id} [${f.target}]`)}" time="${seconds(f.duration_ms)}"`;
  const body = xmlEscape(detail(f));
  const msg = xmlEscape(`${f.reason}: ${f.message}`);
  switch (f.status) {
    case 'pass':
      return `${open}/>`;
    case 'warn':
      return `${open}>\n      <system-out>WARNING ${body}</system-out>\n    </testcase>`;
    case 'skip':
      return `${open}>\n      <skipped message="${msg}"/>\n    </testcase>`;
    case 'fail':
      return `${open}>\n      <failure message="${msg}" type="${xmlEscape(f.reason)}">${body}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error message="${msg}" type="${xmlEscape(f.reason)}">${body}</error>\n    </testcase>`;
  }
}

export function renderJunit(meta: RunMeta, findings: readonly Finding[]): string {
  const groups = groupBySuite(meta, findings);
  const count = (fs: readonly Finding[], s: Finding['status']) => fs.filter((f) => f.status === s).length;
  const time = (fs: readonly Finding[]) => seconds(fs.reduce((a, f) => a + (f.duration_ms ?? 0), 0));
  const suites = groups.map((g) =>
    [
      `  <testsuite name="${xmlEscape(g.name)}" tests="${g.findings.length}" failures="${count(g.findings, 'fail')}" errors="${count(g.findings, 'error')}" skipped="${count(g.findings, 'skip')}" time="${time(g.findings)}" timestamp="${xmlEscape(meta.started_at)}">`,
      `    <properties>`,
      `      <property name="env" value="${xmlEscape(meta.env)}"/>`,
      `      <property name="vantage" value="${xmlEscape(meta.vantage)}"/>`,
      `    </properties>`,
      ...g.findings.map(testcase),
      `  </testsuite>`,
    ].join('\n'),
  );
  // internal errors (a crashed suite file) show up in CI as an error of their own
  const internal = meta.internal_errors.length
    ? [
        `  <testsuite name="efd-health" tests="${meta.internal_errors.length}" failures="0" errors="${meta.internal_errors.length}" skipped="0" time="0">`,
        ...meta.internal_errors.map(
          (e, i) => `    <testcase classname="efd-health.runner" name="internal error ${i + 1}" time="0">\n      <error message="${xmlEscape(e)}" type="internal">${xmlEscape(e)}</error>\n    </testcase>`,
        ),
        `  </testsuite>`,
      ]
    : [];
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="efd-health ${xmlEscape(meta.env)}/${xmlEscape(meta.vantage)}" tests="${findings.length}" failures="${count(findings, 'fail')}" errors="${count(findings, 'error') + meta.internal_errors.length}" skipped="${count(findings, 'skip')}" time="${time(findings)}">`,
    ...suites,
    ...internal,
    `</testsuites>`,
    '',
  ].join('\n');
}
