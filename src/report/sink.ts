// The one findings sink (testssl.sh's fileout): every check reports through emit().
// Vitest runs suites in worker processes, so findings travel to the runner as JSON lines in a file
// whose path the runner puts in EFD_HEALTH_FINDINGS.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { getCheck } from '../catalog/index.ts';
import { REASONS, STATUSES, type Finding } from './finding.ts';
import { redactDeep } from './redact.ts';

export const FINDINGS_ENV = 'EFD_HEALTH_FINDINGS';
const emitted: Finding[] = [];

/** A measurement of nothing (a percentile over no arrival) comes as NaN and is left out of every writer:
 * charted as 0 it would read as a perfect latency. */
function withoutUnobserved(f: Finding): Finding {
  if (!f.measurements) return f;
  const kept = Object.entries(f.measurements).filter(([, v]) => Number.isFinite(v));
  return kept.length === Object.keys(f.measurements).length ? f : { ...f, measurements: Object.fromEntries(kept) };
}

export function emit(finding: Finding): Finding {
  if (!getCheck(finding.id)) throw new Error(`check id ${finding.id} is not in the catalog (src/catalog)`);
  if (!STATUSES.includes(finding.status)) throw new Error(`bad status ${finding.status} for ${finding.id}`);
  if (!REASONS.includes(finding.reason)) throw new Error(`bad reason ${finding.reason} for ${finding.id}`);
  const clean = redactDeep(withoutUnobserved(finding));
  emitted.push(clean);
  const file = process.env[FINDINGS_ENV];
  if (file) appendFileSync(file, JSON.stringify(clean) + '\n');
  return clean;
}

/** Findings emitted in this process (for tests that call checks directly). */
export function emittedHere(): readonly Finding[] {
  return emitted;
}

export function readFindings(file: string): Finding[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Finding);
}
