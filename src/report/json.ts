// report.json: {"status", "suites":[{"name","checks":[{"id","status","reason","target","message","hint",
// "measurements"}]}]} plus a few top-level facts about the run. Every check is kept, also those of a suite
// that does not apply (reason not_applicable); `notes` says so once per such suite.
import type { Finding } from './finding.ts';
import { countFindings, groupBySuite, notes, type RunMeta } from './model.ts';
import { notApplicableNote, splitNotApplicable } from './not-applicable.ts';

export interface JsonCheck {
  id: string;
  status: Finding['status'];
  reason: Finding['reason'];
  target: string;
  message: string;
  hint: string | null;
  measurements: Record<string, number>;
}

export interface JsonReport {
  status: RunMeta['status'];
  env: string;
  vantage: string;
  started_at: string;
  finished_at: string;
  exit_code: number;
  counts: ReturnType<typeof countFindings>;
  notes: string[];
  suites: Array<{ name: string; checks: JsonCheck[] }>;
}

export function buildJsonReport(meta: RunMeta, findings: readonly Finding[]): JsonReport {
  const groups = groupBySuite(meta, findings);
  const notApplicable = groups.flatMap((g) => splitNotApplicable(g.name, g.findings).notApplicable ?? []);
  return {
    status: meta.status,
    env: meta.env,
    vantage: meta.vantage,
    started_at: meta.started_at,
    finished_at: meta.finished_at,
    exit_code: meta.exit_code,
    counts: countFindings(findings),
    notes: [...notes(meta), ...notApplicable.map(notApplicableNote)],
    suites: groups.map((g) => ({
      name: g.name,
      checks: g.findings.map((f) => ({
        id: f.id,
        status: f.status,
        reason: f.reason,
        target: f.target,
        message: f.message,
        hint: f.hint ?? null,
        measurements: f.measurements ?? {},
      })),
    })),
  };
}

export function renderJson(meta: RunMeta, findings: readonly Finding[]): string {
  return JSON.stringify(buildJsonReport(meta, findings), null, 2) + '\n';
}
