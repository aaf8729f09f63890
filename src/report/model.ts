// What every writer reads: the run's metadata (run.json) and its findings (findings.jsonl), grouped the
// same way for all of them so no two writers can disagree.
import type { Finding, Status } from './finding.ts';

export interface RunMeta {
  env: string;
  vantage: string;
  /** the profile file, as shown to the user */
  profile: string;
  production: boolean;
  started_at: string;
  finished_at: string;
  /** suites that ran, in order */
  suites: string[];
  /** suites chosen but not run, with why (e.g. no suite files yet) */
  skipped_suites: Array<{ name: string; note: string }>;
  /** sentences about suite files that crashed or vitest errors */
  internal_errors: string[];
  /** sentences about input a suite found invalid while loading (exit 4) */
  input_errors?: string[];
  /** why the run stopped before any check (exit 3): the component that did not answer */
  preflight_error?: string;
  /** writers that failed (InfluxDB refused the findings …): the run's verdict stands, its record is partial */
  writer_errors?: string[];
  strict: boolean;
  options: Record<string, string | boolean>;
  status: 'pass' | 'warn' | 'fail' | 'error';
  exit_code: number;
}

export interface Counts {
  passed: number;
  /** fail and error */
  failed: number;
  warnings: number;
  skipped: number;
}

export function countFindings(findings: readonly Finding[]): Counts {
  const c: Counts = { passed: 0, failed: 0, warnings: 0, skipped: 0 };
  for (const f of findings) {
    if (f.status === 'pass') c.passed++;
    else if (f.status === 'warn') c.warnings++;
    else if (f.status === 'skip') c.skipped++;
    else c.failed++;
  }
  return c;
}

/** `N passed, N failed` then `, N warnings` and `, N skipped` when non-zero. */
export function countsLine(c: Counts): string {
  let line = `${c.passed} passed, ${c.failed} failed`;
  if (c.warnings) line += `, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}`;
  if (c.skipped) line += `, ${c.skipped} skipped`;
  return line;
}

/** `1 check`, `3 checks` */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface SuiteGroup {
  name: string;
  findings: Finding[];
}

/** Findings by suite: suites in the order they ran, then any others in order of appearance. */
export function groupBySuite(meta: RunMeta, findings: readonly Finding[]): SuiteGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const s of meta.suites) groups.set(s, []);
  for (const f of findings) {
    if (!groups.has(f.suite)) groups.set(f.suite, []);
    groups.get(f.suite)!.push(f);
  }
  return [...groups].map(([name, fs]) => ({ name, findings: fs }));
}

export const STATUS_WORD: Record<Status, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERROR', skip: 'SKIP' };

/** Lines worth stating next to the verdict: suites not run and internal errors. */
export function notes(meta: RunMeta): string[] {
  return [
    ...meta.skipped_suites.map((s) => `suite ${s.name} not run: ${s.note}`),
    ...(meta.preflight_error ? [meta.preflight_error] : []),
    ...(meta.input_errors ?? []),
    ...meta.internal_errors,
    ...(meta.writer_errors ?? []),
  ];
}
