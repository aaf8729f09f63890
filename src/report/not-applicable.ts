// A suite that does not apply to its target (e.g. a manifests folder that is no Argo CD deployment) says so
// once. Each of its checks still records a `skip` with reason `not_applicable` in findings.jsonl,
// report.json and junit.xml, so a machine sees every check skipped; the writers people read (console,
// summary.md, report.html) show those findings as one line per suite.
import type { Finding } from './finding.ts';
import { plural } from './model.ts';

export interface NotApplicable {
  suite: string;
  /** the targets named, comma-separated (usually the env) */
  target: string;
  /** the suite's own sentence; distinct sentences are joined with "; " */
  why: string;
  /** findings, as the counts line counts them */
  checks: number;
}

export function isNotApplicable(f: Finding): boolean {
  return f.status === 'skip' && f.reason === 'not_applicable';
}

const unique = (xs: string[]) => [...new Set(xs)];

/** One suite's findings: those to list one by one, and its not-applicable ones as one line (if any). */
export function splitNotApplicable(suite: string, findings: readonly Finding[]): { listed: Finding[]; notApplicable?: NotApplicable } {
  const na = findings.filter(isNotApplicable);
  const listed = findings.filter((f) => !isNotApplicable(f));
  if (!na.length) return { listed };
  return {
    listed,
    notApplicable: {
      suite,
      target: unique(na.map((f) => f.target)).join(', '),
      why: unique(na.map((f) => f.message)).join('; '),
      checks: na.length,
    },
  };
}

/** The one sentence every writer uses, so they agree. */
export function notApplicableText(na: NotApplicable): string {
  return `does not apply: ${na.why} (${plural(na.checks, 'check')} skipped)`;
}

/** The same as a line of its own, naming the suite. */
export function notApplicableNote(na: NotApplicable): string {
  return `suite ${na.suite} ${notApplicableText(na)}`;
}
