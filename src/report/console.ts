// The console while a run goes: a line per suite file and per check as it finishes, colour only on a
// terminal and without NO_COLOR. The end of the run is console-end.ts.
import type { Finding, Status } from './finding.ts';
import { STATUS_WORD } from './model.ts';
import { notApplicableText, type NotApplicable } from './not-applicable.ts';

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
export type Paint = keyof typeof CODES;

export function paint(style: Style, how: Paint, s: string): string {
  return style.color ? `\u001b[${CODES[how]}m${s}\u001b[0m` : s;
}

export const STATUS_PAINT: Record<Status, Paint> = { pass: 'green', warn: 'yellow', fail: 'red', error: 'magenta', skip: 'dim' };
export const MARK: Record<Status, string> = { pass: '✓', warn: '!', fail: '✗', error: '✗', skip: '-' };

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

/** The one progress line for a suite's checks that do not apply, in place of one per check. */
export function notApplicableProgressLine(style: Style, na: NotApplicable): string {
  return `  ${paint(style, 'dim', MARK.skip)} ${statusWord(style, 'skip')} ${na.suite} ${paint(style, 'dim', `[${na.target}]`)} ${notApplicableText(na)}`;
}

export function crashLine(style: Style, sentence: string): string {
  return `  ${paint(style, 'magenta', '✗ ERROR')} ${sentence}`;
}
