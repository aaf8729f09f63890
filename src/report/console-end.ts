// The end of a run on the console: what is wrong first (failures and errors, then warnings, each with
// check, target, reason, message and hint), then suites not run or not applicable, how many checks were
// skipped, the path of report.html, and last the counts line `N passed, N failed[, N warnings][, N skipped]`
// that scripts and tests read. --verbose puts the full verdict table first.
import { renderTable } from './console-table.ts';
import { MARK, paint, STATUS_PAINT, type Style } from './console.ts';
import { isFailing, type Finding } from './finding.ts';
import { countFindings, countsLine, groupBySuite, notes, plural, STATUS_WORD, type RunMeta } from './model.ts';
import { isNotApplicable, notApplicableNote, splitNotApplicable } from './not-applicable.ts';

export interface EndOptions {
  /** the full verdict table too */
  verbose?: boolean;
  /** report.html as shown to the user */
  reportFile?: string;
}

/** A long hint (a Java stack trace) is cut here; the report files keep all of it. */
const HINT_LINES = 3;
const INDENT = ' '.repeat(8); // under the check id, past "✗ FAIL  "

function problem(style: Style, f: Finding): string[] {
  const status = paint(style, STATUS_PAINT[f.status], `${MARK[f.status]} ${STATUS_WORD[f.status].padEnd(5)}`);
  const out = [`${status} ${f.id} ${paint(style, 'dim', `[${f.target}]`)} ${f.reason}: ${f.message}`];
  const hint = (f.hint ?? '').split('\n').filter((l) => l.trim());
  hint.slice(0, HINT_LINES).forEach((l, i) => out.push(`${INDENT}${i === 0 ? 'next: ' : '      '}${l}`));
  if (hint.length > HINT_LINES) out.push(`${INDENT}      … ${hint.length - HINT_LINES} more line(s) in the report`);
  return out;
}

export function renderConsole(style: Style, meta: RunMeta, findings: readonly Finding[], opts: EndOptions = {}): string {
  const groups = groupBySuite(meta, findings);
  const ordered = groups.flatMap((g) => g.findings);
  const out: string[] = ['', paint(style, 'bold', `efd-health ${meta.env} from ${meta.vantage}: ${meta.status.toUpperCase()}`)];
  if (opts.verbose) out.push(...renderTable(style, meta, findings), '');
  for (const f of [...ordered.filter((x) => isFailing(x.status)), ...ordered.filter((x) => x.status === 'warn')]) out.push(...problem(style, f));
  for (const n of notes(meta)) out.push(paint(style, 'yellow', `note: ${n}`));
  for (const g of groups) {
    const na = splitNotApplicable(g.name, g.findings).notApplicable;
    if (na) out.push(paint(style, 'dim', notApplicableNote(na)));
  }
  // the other skips are counted, not listed: their reasons are in the table (--verbose) and the reports
  const counts = countFindings(findings);
  const skipped = findings.filter((f) => f.status === 'skip' && !isNotApplicable(f)).length;
  if (skipped && !opts.verbose) {
    const word = skipped === counts.skipped ? 'check' : 'other check';
    out.push(paint(style, 'dim', `${plural(skipped, word)} skipped, each with its reason in the report (--verbose lists them)`));
  }
  if (opts.reportFile) out.push(`report: ${opts.reportFile}`);
  const last = countsLine(counts);
  out.push(counts.failed ? paint(style, 'red', last) : counts.warnings ? paint(style, 'yellow', last) : paint(style, 'green', last));
  return out.join('\n') + '\n';
}
