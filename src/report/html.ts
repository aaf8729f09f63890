// report.html: one self-contained page (inline CSS and SVG, no JavaScript, nothing fetched) that leads with
// what is wrong: the verdict and counts per suite; then every failure, error and warning with its hint,
// evidence and plots; a trend strip of key figures over the last runs; then each suite in a <details>,
// closed when nothing in it is wrong, with each check's plots right below it.
import type { Finding, Status } from './finding.ts';
import { countsLine, countFindings, groupBySuite, notes, plural, STATUS_WORD, type RunMeta, type SuiteGroup } from './model.ts';
import { splitNotApplicable, type NotApplicable } from './not-applicable.ts';
import { esc, fmt, seriesSvg, sparklineSvg } from './svg.ts';
import type { Figure } from './trend.ts';

const COLORS: Record<Status | RunMeta['status'], string> = {
  pass: '#1f7a3a', warn: '#a86b00', fail: '#b3261e', error: '#7b1fa2', skip: '#666',
};
const ORDER: Status[] = ['fail', 'error', 'warn', 'pass', 'skip'];
const WRONG = new Set<Status>(['fail', 'error', 'warn']);

const CSS = `
body { font-family: system-ui, sans-serif; margin: 20px 24px; color: #222; }
h1 { font-size: 20px; margin: 0 0 6px; } h2 { font-size: 16px; margin: 22px 0 8px; }
.badge { color: #fff; padding: 2px 8px; border-radius: 4px; font-weight: bold; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
table.counts td.n { text-align: right; min-width: 34px; } td.zero { color: #bbb; }
table.verdict { width: 100%; }
td.status { color: #fff; font-weight: bold; white-space: nowrap; }
.meta { color: #555; font-size: 13px; margin: 0 0 8px; }
.hint { color: #444; margin-top: 2px; } .hint b { font-weight: 600; }
.note { background: #fff7e0; border-left: 4px solid #a86b00; padding: 4px 8px; margin: 4px 0; font-size: 13px; }
.problem { border-left: 6px solid; padding: 6px 10px; margin: 6px 0; background: #fcfcfc; font-size: 13px; }
.problem .head { font-weight: bold; } .problem .head code { font-weight: normal; }
pre.evidence { background: #f5f5f5; padding: 4px 6px; font-size: 11px; max-height: 64px; overflow: auto; margin: 4px 0; white-space: pre-wrap; }
/* small plots beside each other, so every problem fits the first screen */
.problem .figs { display: flex; flex-wrap: wrap; } .problem .figs figure { margin: 2px 8px 0 0; }
.problem svg.plot { width: 300px; height: 122px; } .problem figcaption { display: none; }
.trend { display: flex; flex-wrap: wrap; gap: 8px 20px; } .trend figure { margin: 0; }
.trend figcaption { font-size: 12px; } .trend figcaption b { font-size: 14px; }
details.suite { margin: 6px 0; } details.suite > summary { cursor: default; font-weight: bold; font-size: 14px; padding: 4px 0; }
figure { display: inline-block; margin: 4px 12px 4px 0; } figcaption { font-size: 12px; color: #555; }
tr.plots td { background: #fff; }
code { font-size: 12px; }
`;

function measurements(f: Finding): string {
  const m = Object.entries(f.measurements ?? {});
  return m.length ? m.map(([k, v]) => `<code>${esc(k)}=${esc(String(v))}</code>`).join('<br>') : '';
}

function plots(f: Finding): string {
  return (f.series ?? [])
    .map((s) => `<figure>${seriesSvg(s, `${f.id} — ${s.name}`)}<figcaption>${esc(f.id)} on ${esc(f.target)}: ${esc(s.kind)} of ${esc(s.name)} (${esc(s.unit)}), ${s.points.length} points</figcaption></figure>`)
    .join('');
}

function byStatus(findings: readonly Finding[]): Record<Status, number> {
  const c: Record<Status, number> = { pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  for (const f of findings) c[f.status]++;
  return c;
}

function suiteCounts(groups: SuiteGroup[]): string {
  const cell = (n: number) => `<td class="n${n ? '' : ' zero'}">${n}</td>`;
  const rows = groups.map((g) => {
    const c = byStatus(g.findings);
    return `<tr data-suite="${esc(g.name)}"><td><a href="#suite-${esc(g.name)}">${esc(g.name)}</a></td>${ORDER.map((s) => cell(c[s])).join('')}</tr>`;
  });
  return `<table class="counts" id="suite-counts"><thead><tr><th>suite</th>${ORDER.map((s) => `<th style="color:${COLORS[s]}">${s}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function problem(f: Finding): string {
  const evidence = f.evidence && Object.keys(f.evidence).length ? `<pre class="evidence">${esc(JSON.stringify(f.evidence))}</pre>` : '';
  const m = measurements(f);
  return `<div class="problem ${f.status}" data-check="${esc(f.id)}" style="border-color:${COLORS[f.status]}">
<div class="head"><span class="badge" style="background:${COLORS[f.status]}">${STATUS_WORD[f.status]}</span> <code>${esc(f.id)}</code> on ${esc(f.target)} (${esc(f.reason)})</div>
<div>${esc(f.message)}</div>${f.hint ? `<div class="hint"><b>next:</b> ${esc(f.hint)}</div>` : ''}
${evidence}${m ? `<div>${m.replace(/<br>/g, ' ')}</div>` : ''}${f.series?.length ? `<div class="figs">${plots(f)}</div>` : ''}</div>`;
}

function trendStrip(trend: { runs: string[]; figures: Figure[] } | undefined): string {
  if (!trend?.figures.length) return '';
  const figs = trend.figures.map((f) => {
    const last = f.values.at(-1);
    const now = last === undefined ? 'not measured this run' : `<b>${fmt(last)}</b> ${esc(f.unit)}`;
    return `<figure data-figure="${esc(f.key)}">${sparklineSvg(f.values, f.label, f.unit)}<figcaption>${esc(f.label)}: ${now}</figcaption></figure>`;
  });
  return `<h2>Trend over the last ${plural(trend.runs.length, 'run')} (${esc(trend.runs[0])} → this run)</h2>\n<div class="trend" id="trend">${figs.join('')}</div>`;
}

function row(f: Finding): string {
  const p = plots(f);
  return `<tr class="finding ${f.status}" data-check="${esc(f.id)}">
<td class="status" style="background:${COLORS[f.status]}">${STATUS_WORD[f.status]}</td>
<td><code>${esc(f.id)}</code></td><td>${esc(f.target)}</td><td>${esc(f.reason)}</td>
<td>${esc(f.message)}${f.hint ? `<div class="hint">next: ${esc(f.hint)}</div>` : ''}</td>
<td>${measurements(f)}</td></tr>${p ? `\n<tr class="plots"><td colspan="6">${p}</td></tr>` : ''}`;
}

function notApplicableRow(na: NotApplicable): string {
  return `<tr class="finding skip not-applicable">
<td class="status" style="background:${COLORS.skip}">${STATUS_WORD.skip}</td>
<td>${plural(na.checks, 'check')}</td><td>${esc(na.target)}</td><td>not_applicable</td>
<td>does not apply: ${esc(na.why)}</td><td></td></tr>`;
}

function suiteSection(g: SuiteGroup): string {
  const { listed, notApplicable } = splitNotApplicable(g.name, g.findings);
  const rows = listed.map(row);
  if (notApplicable) rows.push(notApplicableRow(notApplicable));
  const wrong = g.findings.some((f) => WRONG.has(f.status));
  return `<details class="suite" id="suite-${esc(g.name)}"${wrong ? ' open' : ''}>
<summary>${esc(g.name)}: ${esc(countsLine(countFindings(g.findings)))}</summary>
<table class="verdict"><thead><tr><th>status</th><th>check</th><th>target</th><th>reason</th><th>message</th><th>measurements</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></details>`;
}

export function renderHtml(meta: RunMeta, findings: readonly Finding[], trend?: { runs: string[]; figures: Figure[] }): string {
  const groups = groupBySuite(meta, findings);
  const wrong = [...findings].filter((f) => WRONG.has(f.status)).sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>efd-health ${esc(meta.env)} from ${esc(meta.vantage)}: ${meta.status.toUpperCase()}</title>
<style>${CSS}</style></head>
<body>
<h1>efd-health <span class="badge" id="run-status" style="background:${COLORS[meta.status]}">${meta.status.toUpperCase()}</span> ${esc(meta.env)} from ${esc(meta.vantage)}</h1>
<p class="meta" id="counts">${esc(countsLine(countFindings(findings)))} · exit code ${meta.exit_code} · profile ${esc(meta.profile)} · started ${esc(meta.started_at)} · finished ${esc(meta.finished_at)}${meta.production ? ' · production' : ''}</p>
${suiteCounts(groups)}
${notes(meta).map((n) => `<div class="note">${esc(n)}</div>`).join('\n')}
<h2 id="problems-title">${wrong.length ? `What is wrong: ${plural(wrong.length, 'finding')}` : 'Nothing is wrong'}</h2>
<div id="problems">
${wrong.map(problem).join('\n')}
</div>
${trendStrip(trend)}
<h2>Suites</h2>
<div id="suites">
${groups.map(suiteSection).join('\n')}
</div>
</body></html>
`;
}
