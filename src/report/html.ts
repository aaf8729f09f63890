// report.html: one self-contained page (inline CSS and SVG, no JavaScript, nothing fetched): the verdict,
// a table of every finding with colours (a suite's checks that do not apply are one row), and a plot for
// each series a finding carries.
import type { Finding, Status } from './finding.ts';
import { countFindings, countsLine, groupBySuite, notes, plural, STATUS_WORD, type RunMeta, type SuiteGroup } from './model.ts';
import { splitNotApplicable, type NotApplicable } from './not-applicable.ts';
import { esc, seriesSvg } from './svg.ts';

const COLORS: Record<Status | RunMeta['status'], string> = {
  pass: '#1f7a3a', warn: '#a86b00', fail: '#b3261e', error: '#7b1fa2', skip: '#666',
};

const CSS = `
body { font-family: system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
.badge { color: #fff; padding: 2px 8px; border-radius: 4px; font-weight: bold; }
table.verdict { border-collapse: collapse; width: 100%; font-size: 13px; }
table.verdict th, table.verdict td { border: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
table.verdict th { background: #f3f3f3; }
td.status { color: #fff; font-weight: bold; white-space: nowrap; }
tr.suite td { background: #fafafa; font-weight: bold; }
.meta { color: #555; font-size: 13px; }
.hint { color: #555; font-style: italic; }
.note { background: #fff7e0; border-left: 4px solid #a86b00; padding: 4px 8px; margin: 4px 0; }
figure { display: inline-block; margin: 8px 16px 8px 0; } figcaption { font-size: 12px; color: #555; }
code { font-size: 12px; }
`;

function measurements(f: Finding): string {
  const m = Object.entries(f.measurements ?? {});
  return m.length ? m.map(([k, v]) => `<code>${esc(k)}=${esc(String(v))}</code>`).join('<br>') : '';
}

function row(f: Finding, anchor: string | undefined): string {
  const plots = anchor ? ` <a href="#${anchor}">plot</a>` : '';
  return `<tr class="finding ${f.status}">
<td class="status" style="background:${COLORS[f.status]}">${STATUS_WORD[f.status]}</td>
<td><code>${esc(f.id)}</code></td><td>${esc(f.target)}</td><td>${esc(f.reason)}</td>
<td>${esc(f.message)}${f.hint ? `<div class="hint">next: ${esc(f.hint)}</div>` : ''}${plots}</td>
<td>${measurements(f)}</td></tr>`;
}

function notApplicableRow(na: NotApplicable): string {
  return `<tr class="finding skip not-applicable">
<td class="status" style="background:${COLORS.skip}">${STATUS_WORD.skip}</td>
<td>${plural(na.checks, 'check')}</td><td>${esc(na.target)}</td><td>not_applicable</td>
<td>does not apply: ${esc(na.why)}</td><td></td></tr>`;
}

function suiteRows(g: SuiteGroup, anchors: Map<Finding, string>): string {
  const { listed, notApplicable } = splitNotApplicable(g.name, g.findings);
  const rows = listed.map((f) => row(f, anchors.get(f)));
  if (notApplicable) rows.push(notApplicableRow(notApplicable));
  return [`<tr class="suite"><td colspan="6">${esc(g.name)}</td></tr>`, ...rows].join('\n');
}

export function renderHtml(meta: RunMeta, findings: readonly Finding[]): string {
  const counts = countFindings(findings);
  const withPlots = findings.filter((f) => f.series?.length);
  const anchors = new Map(withPlots.map((f, i) => [f, `plot-${i + 1}`]));
  const table = groupBySuite(meta, findings)
    .map((g) => suiteRows(g, anchors))
    .join('\n');
  const figures = withPlots.flatMap((f) =>
    (f.series ?? []).map(
      (s, j) =>
        `<figure${j === 0 ? ` id="${anchors.get(f)}"` : ''}>${seriesSvg(s, `${f.id} — ${s.name}`)}<figcaption>${esc(f.id)} on ${esc(f.target)}: ${esc(s.kind)} of ${esc(s.name)} (${esc(s.unit)}), ${s.points.length} points</figcaption></figure>`,
    ),
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>efd-health ${esc(meta.env)} from ${esc(meta.vantage)}: ${meta.status.toUpperCase()}</title>
<style>${CSS}</style></head>
<body>
<h1>efd-health <span class="badge" id="run-status" style="background:${COLORS[meta.status]}">${meta.status.toUpperCase()}</span> ${esc(meta.env)} from ${esc(meta.vantage)}</h1>
<p class="meta">${esc(countsLine(counts))} · profile ${esc(meta.profile)} · started ${esc(meta.started_at)} · finished ${esc(meta.finished_at)} · exit code ${meta.exit_code}${meta.production ? ' · production' : ''}</p>
${notes(meta).map((n) => `<div class="note">${esc(n)}</div>`).join('\n')}
<h2>Verdict</h2>
<table class="verdict" id="verdict">
<thead><tr><th>status</th><th>check</th><th>target</th><th>reason</th><th>message</th><th>measurements</th></tr></thead>
<tbody>
${table}
</tbody></table>
${figures.length ? `<h2>Plots</h2>\n<div class="plots">\n${figures.join('\n')}\n</div>` : ''}
</body></html>
`;
}
