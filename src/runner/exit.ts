// Exit codes of design.md, from the findings and what went wrong around them.
import type { Finding } from '../report/finding.ts';
import { isFailing } from '../report/finding.ts';

export const EXIT = { ok: 0, failed: 1, warnings: 2, preflight: 3, input: 4, internal: 5 } as const;

export interface Verdict {
  findings: readonly Finding[];
  /** sentences about suite files that crashed or vitest errors: the run is incomplete */
  internalErrors: readonly string[];
  /** a suite found its input invalid while loading (a manifest it cannot read) */
  inputErrors?: readonly string[];
  strict: boolean;
}

/** An incomplete run (5, then 4) outranks a failed check (1), which outranks warnings under --strict (2). */
export function exitCode(v: Verdict): number {
  if (v.internalErrors.length) return EXIT.internal;
  if (v.inputErrors?.length) return EXIT.input;
  if (v.findings.some((f) => isFailing(f.status))) return EXIT.failed;
  if (v.strict && v.findings.some((f) => f.status === 'warn')) return EXIT.warnings;
  return EXIT.ok;
}

export type RunStatus = 'pass' | 'warn' | 'fail' | 'error';

/** The one word at the top of every report. */
export function runStatus(findings: readonly Finding[], internalErrors: readonly string[]): RunStatus {
  if (internalErrors.length) return 'error';
  if (findings.some((f) => isFailing(f.status))) return 'fail';
  if (findings.some((f) => f.status === 'warn')) return 'warn';
  return 'pass';
}
