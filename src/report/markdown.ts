// summary.md: the verdict for a CI step summary ($GITHUB_STEP_SUMMARY): counts, then the checks that did
// not pass first, then a table per suite (a suite's checks that do not apply are one line).
import type { Finding, Status } from './finding.ts';
import { countFindings, countsLine, groupBySuite, notes, STATUS_WORD, type RunMeta } from './model.ts';
import { notApplicableText, splitNotApplicable } from './not-applicable.ts';

const ICON: Record<Status, string> = { pass: '✅', warn: '⚠️', fail: '❌', error: '💥', skip: '⏭️' };
const RUN_ICON: Record<RunMeta['status'], string> = { pass: '✅', warn: '⚠️', fail: '❌', error: '💥' };

/** Table cells cannot hold pipes or line breaks. */
function cell(s: string | undefined): string {
  return (s ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function measurements(f: Finding): string {
  return Object.entries(f.measurements ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
}

export function renderMarkdown(meta: RunMeta, findings: readonly Finding[]): string {
  const out: string[] = [];
  out.push(`## ${RUN_ICON[meta.status]} efd-health ${meta.env} from ${meta.vantage}: ${meta.status.toUpperCase()}`, '');
  out.push(`**${countsLine(countFindings(findings))}** · started ${meta.started_at} · finished ${meta.finished_at} · exit code ${meta.exit_code}`, '');
  for (const n of notes(meta)) out.push(`> ${cell(n)}`, '');
  const bad = findings.filter((f) => f.status !== 'pass' && f.status !== 'skip');
  if (bad.length) {
    out.push('### Needs attention', '');
    for (const f of bad) {
      out.push(`- ${ICON[f.status]} **${f.id}** (${cell(f.target)}) — \`${f.reason}\`: ${cell(f.message)}${f.hint ? `  \n  _Next:_ ${cell(f.hint)}` : ''}`);
    }
    out.push('');
  }
  for (const g of groupBySuite(meta, findings)) {
    out.push(`### ${g.name}`, '');
    const { listed, notApplicable } = splitNotApplicable(g.name, g.findings);
    if (notApplicable) out.push(`${ICON.skip} ${cell(notApplicableText(notApplicable))}`, '');
    if (!listed.length) {
      if (!notApplicable) out.push('_no checks reported_', '');
      continue;
    }
    out.push('| | check | target | reason | message | measurements |', '|---|---|---|---|---|---|');
    for (const f of listed) {
      out.push(`| ${ICON[f.status]} ${STATUS_WORD[f.status]} | \`${f.id}\` | ${cell(f.target)} | ${f.reason} | ${cell(f.message)} | ${cell(measurements(f))} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
