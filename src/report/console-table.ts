// The console's full verdict table (efd-health run --verbose): one row per finding, grouped by suite, and
// one row for a suite's checks that do not apply.
import type { Finding, Status } from './finding.ts';
import { groupBySuite, plural, STATUS_WORD, type RunMeta } from './model.ts';
import { splitNotApplicable } from './not-applicable.ts';
import { paint, STATUS_PAINT, type Style } from './console.ts';

interface Row {
  status: Status;
  cells: [string, string, string, string, string];
}

function rows(meta: RunMeta, findings: readonly Finding[]): Row[] {
  return groupBySuite(meta, findings).flatMap((g) => {
    const { listed, notApplicable: na } = splitNotApplicable(g.name, g.findings);
    const out: Row[] = listed.map((f) => ({ status: f.status, cells: [STATUS_WORD[f.status], f.id, f.target, f.reason, f.message] }));
    if (na) {
      const check = `${na.suite} (${plural(na.checks, 'check')})`;
      out.push({ status: 'skip', cells: [STATUS_WORD.skip, check, na.target, 'not_applicable', na.why] });
    }
    return out;
  });
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}

/** The table's lines (none when there is no finding); messages are cut to the terminal width. */
export function renderTable(style: Style, meta: RunMeta, findings: readonly Finding[]): string[] {
  const all = rows(meta, findings);
  if (!all.length) return [];
  const head = ['STATUS', 'CHECK', 'TARGET', 'REASON', 'MESSAGE'];
  const widths = head.map((h, i) => Math.max(h.length, ...all.map((r) => r.cells[i].length)));
  const fixed = widths.slice(0, 4).reduce((a, w) => a + w + 2, 0);
  const msgMax = style.width ? Math.max(20, style.width - fixed) : Infinity;
  const line = (c: string[], status?: Status) =>
    [
      status ? paint(style, STATUS_PAINT[status], c[0].padEnd(widths[0])) : c[0].padEnd(widths[0]),
      c[1].padEnd(widths[1]),
      c[2].padEnd(widths[2]),
      c[3].padEnd(widths[3]),
      cut(c[4], msgMax), // the message is last and not padded
    ].join('  ').trimEnd();
  return [paint(style, 'dim', line(head)), ...all.map((r) => line(r.cells, r.status))];
}
