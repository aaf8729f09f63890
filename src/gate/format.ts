// The gate's writers: console, JSON, JUnit, SARIF 2.1.0 and GitHub workflow annotations. All read one
// GateResult, so they cannot disagree.
import { displayPath } from '../model/manifest-set.ts';
import type { GateResult, Violation } from './types.ts';

export const FORMATS = ['console', 'json', 'junit', 'sarif', 'github'] as const;
export type GateFormat = (typeof FORMATS)[number];

export function summaryLine(r: GateResult): string {
  const verdict = r.violations.length ? 'FAIL' : 'PASS';
  return `${verdict}: ${r.rules.length} rules on ${r.objects} objects in ${r.files} files: ${r.violations.length} violation${r.violations.length === 1 ? '' : 's'}, ${r.exemptions.length} exempted finding${r.exemptions.length === 1 ? '' : 's'} (${r.duration_ms} ms)`;
}

function consoleText(r: GateResult): string {
  const color = process.stdout.isTTY && !process.env.NO_COLOR;
  const red = (s: string) => (color ? `\x1b[31m${s}\x1b[0m` : s);
  const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);
  const lines = [`efd-health gate: ${displayPath(r.root) || '.'}`];
  // the keys are what an exemption would have to list
  for (const v of r.violations) lines.push(`${red('✗')} ${v.file}:${v.line}  ${v.rule}  ${v.message}  [keys: ${v.keys.join(', ')}]`);
  for (const v of r.exemptions) lines.push(dim(`~ ${v.file}:${v.line}  ${v.rule} exempted: ${v.message} [keys: ${v.keys.join(', ')}] — reason: ${v.exempted}`));
  lines.push(summaryLine(r));
  return lines.join('\n') + '\n';
}

function byRule(r: GateResult) {
  return r.rules.map((rule) => ({
    rule,
    violations: r.violations.filter((v) => v.rule === rule.id),
    exemptions: r.exemptions.filter((v) => v.rule === rule.id),
  }));
}

function jsonText(r: GateResult): string {
  return JSON.stringify({
    status: r.violations.length ? 'fail' : 'pass',
    manifests: displayPath(r.root),
    summary: { files: r.files, objects: r.objects, rules: r.rules.length, violations: r.violations.length, exemptions: r.exemptions.length, duration_ms: r.duration_ms },
    rules: byRule(r).map((x) => ({ id: x.rule.id, title: x.rule.title, status: x.violations.length ? 'fail' : 'pass', violations: x.violations.length, exemptions: x.exemptions.length })),
    violations: r.violations,
    exemptions: r.exemptions,
  }, null, 2) + '\n';
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function junitText(r: GateResult): string {
  const cases = byRule(r).map(({ rule, violations, exemptions }) => {
    const head = `    <testcase classname="${xml(rule.id.split('.').slice(0, 2).join('.'))}" name="${xml(rule.id)}" time="0">`;
    const fails = violations.map((v) => `      <failure message="${xml(`${v.file}:${v.line}: ${v.message}`)}" type="${xml(rule.reason)}">${xml(`${v.file}:${v.line}: ${v.message}\nplan: ${rule.plan}`)}</failure>`);
    const out = exemptions.length ? [`      <system-out>${xml(exemptions.map((v) => `exempted ${v.file}:${v.line}: ${v.message} (reason: ${v.exempted})`).join('\n'))}</system-out>`] : [];
    return [head, ...fails, ...out, '    </testcase>'].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="efd-health gate" tests="${r.rules.length}" failures="${byRule(r).filter((x) => x.violations.length).length}" time="${(r.duration_ms / 1000).toFixed(3)}">`,
    `  <testsuite name="manifests" tests="${r.rules.length}" failures="${byRule(r).filter((x) => x.violations.length).length}" errors="0" skipped="0" time="${(r.duration_ms / 1000).toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function sarifResult(v: Violation, suppressed: boolean) {
  return {
    ruleId: v.rule,
    level: 'error',
    message: { text: v.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: v.file.split('\\').join('/') }, region: { startLine: v.line } } }],
    properties: { keys: v.keys },
    ...(suppressed ? { suppressions: [{ kind: 'inSource', justification: v.exempted }] } : {}),
  };
}

function sarifText(r: GateResult): string {
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'efd-health gate',
          informationUri: 'https://github.com/lsst-sqre/efd-health',
          rules: r.rules.map((rule) => ({
            id: rule.id, name: rule.title,
            shortDescription: { text: rule.title },
            fullDescription: { text: rule.description },
            help: { text: `Plan: ${rule.plan}` },
            defaultConfiguration: { level: 'error' },
          })),
        },
      },
      results: [...r.violations.map((v) => sarifResult(v, false)), ...r.exemptions.map((v) => sarifResult(v, true))],
    }],
  }, null, 2) + '\n';
}

// GitHub workflow commands: data escapes %, CR, LF; properties also : and ,
const ghData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProp = (s: string) => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function githubText(r: GateResult): string {
  const lines = r.violations.map((v) => `::error file=${ghProp(v.file)},line=${v.line},title=${ghProp(v.rule)}::${ghData(v.message)}`);
  for (const v of r.exemptions) lines.push(`::notice file=${ghProp(v.file)},line=${v.line},title=${ghProp(`${v.rule} (exempted)`)}::${ghData(`${v.message} — reason: ${v.exempted}`)}`);
  lines.push(summaryLine(r));
  return lines.join('\n') + '\n';
}

export function formatGate(r: GateResult, format: GateFormat): string {
  switch (format) {
    case 'json': return jsonText(r);
    case 'junit': return junitText(r);
    case 'sarif': return sarifText(r);
    case 'github': return githubText(r);
    default: return consoleText(r);
  }
}
