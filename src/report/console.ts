// The console writer: a progress line per suite and check as they finish, a verdict table, and the last
// line `N passed, N failed[, N warnings][, N skipped]`. Colour only on a terminal and without NO_COLOR.
import type { Finding, Status } from './finding.ts';
import { countFindings, countsLine, groupBySuite, notes, STATUS_WORD, type RunMeta } from './model.ts';

export interface Style {
  color: boolean;
  /** terminal width, to cut long messages in the table; undefined = never cut */
  width?: number;
}

export function styleFor(stream: NodeJS.WriteStream): Style {
  const env = process.env;
  const color = env.NO_COLOR ? false : env.FORCE_COLOR && env.FORCE_COLOR !== '0' ? true : Boolean(stream.isTTY);
  return { color, width: stream.isTTY ? stream.columns : undefined };
}

const CODES = { red: 31, green: 32, yellow: 33, magenta: 35, dim: 2, bold: 1 } as const;
type Paint = keyof typeof CODES;

function paint(style: Style, how: Paint, s: string): string {
  return style.color ? `\u001b[${CODES[how]}m${s}\u001b[0m` : s;
}

const STATUS_PAINT: Record<Status, Paint> = { pass: 'green', warn: 'yellow', fail: 'red', error: 'magenta', skip: 'dim' };
const MARK: Record<Status, string> = { pass: '✓', warn: '!', fail: '✗', error: '✗', skip: '-' };

export function statusWord(style: Style, s: Status): string {
  return paint(style, STATUS_PAINT[s], STATUS_WORD[s].padEnd(5));
}

export function suiteStartLine(style: Style, suite: string, file: string): string {
  return `${paint(style, 'bold', `▶ ${suite}`)} ${paint(style, 'dim', file)}`;
}

export function progressLine(style: Style, f: Finding): string {
  const ms = f.duration_ms !== undefined ? paint(style, 'dim', ` (${f.duration_ms} ms)`) : '';
  const reason = f.status === 'pass' ? '' : ` ${f.reason}:`;
  return `  ${paint(style, STATUS_PAINT[f.status], MARK[f.status])} ${statusWord(style, f.status)} ${f.id} ${paint(style, 'dim', `[${f.target}]`)}${reason} ${f.message}${ms}`;
}

export function crashLine(style: Style, sentence: string): string {
  return `  ${paint(style, 'magenta', '✗ ERROR')} ${sentence}`;
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}

/** The verdict table, then notes, then the counts line (always the last line). */
export function renderConsole(style: Style, meta: RunMeta, findings: readonly Finding[]): string {
  const rows = groupBySuite(meta, findings).flatMap((g) => g.findings);
  const head = ['STATUS', 'CHECK', 'TARGET', 'REASON', 'MESSAGE'];
  const cells = rows.map((f) => [STATUS_WORD[f.status], f.id, f.target, f.reason, f.message]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  widths[4] = head[4].length; // the message is last and not padded
  const fixed = widths.slice(0, 4).reduce((a, w) => a + w + 2, 0);
  const msgMax = style.width ? Math.max(20, style.width - fixed) : Infinity;
  const line = (c: string[], status?: Status) =>
    [
      status ? paint(style, STATUS_PAINT[status], c[0].padEnd(widths[0])) : c[0].padEnd(widths[0]),
      c[1].padEnd(widths[1]),
      c[2].padEnd(widths[2]),
      c[3].padEnd(widths[3]),
      cut(c[4], msgMax),
    ].join('  ').trimEnd();
  const out: string[] = [];
  out.push('');
  out.push(paint(style, 'bold', `efd-health ${meta.env} from ${meta.vantage}: ${meta.status.toUpperCase()}`));
  if (rows.length) {
    out.push(paint(style, 'dim', line(head)));
    rows.forEach((f, i) => out.push(line(cells[i], f.status)));
  }
  for (const n of notes(meta)) out.push(paint(style, 'yellow', `note: ${n}`));
  const counts = countFindings(findings);
  const last = countsLine(counts);
  out.push(counts.failed ? paint(style, 'red', last) : counts.warnings ? paint(style, 'yellow', last) : paint(style, 'green', last));
  return out.join('\n') + '\n';
}
