// The trend strip of report.html: a few key figures of this run and of the runs before it, read from the
// sibling run folders (findings.jsonl + run.json) of the same env and vantage, oldest first.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Finding } from './finding.ts';
import type { RunMeta } from './model.ts';

export interface Figure {
  key: string;
  label: string;
  unit: string;
  /** this run last; undefined where a run did not measure it */
  values: Array<number | undefined>;
}

const FIGURES: Array<{ key: string; label: string; unit: string; of: (fs: readonly Finding[]) => number | undefined }> = [
  { key: 'e2e_p99', label: 'marker e2e p99', unit: 'ms', of: (fs) => extreme(fs, 'replication.marker.e2e_latency', 'latency_ms_p99', Math.max) },
  { key: 'sink_lag', label: 'sink lag', unit: 's', of: (fs) => extreme(fs, 'data.sink.lag', 'lag_s_max', Math.max) },
  { key: 'tls_days', label: 'TLS days left', unit: 'days', of: (fs) => extreme(fs, 'ingress.tls.expiry', 'days_left', Math.min) },
  { key: 'gate_violations', label: 'gate violations', unit: 'findings', of: gateViolations },
];

function extreme(fs: readonly Finding[], id: string, name: string, pick: (...v: number[]) => number): number | undefined {
  const vs = fs.filter((f) => f.id === id).map((f) => f.measurements?.[name]).filter((v): v is number => Number.isFinite(v));
  return vs.length ? pick(...vs) : undefined;
}

/** Failing manifests findings; undefined when the suite judged nothing (not run, or does not apply). */
function gateViolations(fs: readonly Finding[]): number | undefined {
  const judged = fs.filter((f) => f.suite === 'manifests' && f.status !== 'skip');
  return judged.length ? judged.filter((f) => f.status === 'fail' || f.status === 'error').length : undefined;
}

function readRun(dir: string): { meta: RunMeta; findings: Finding[] } | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunMeta;
    const findings = readFileSync(join(dir, 'findings.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Finding);
    return { meta, findings };
  } catch {
    return undefined;
  }
}

/** Up to `n` runs ending with this one: earlier run folders beside `runDir` of the same env and vantage
 * that started before it. Figures no run measured are left out. */
export function readTrend(runDir: string, meta: RunMeta, findings: readonly Finding[], n = 10): { runs: string[]; figures: Figure[] } {
  const parent = dirname(runDir);
  const earlier: Array<{ name: string; meta: RunMeta; findings: Finding[] }> = [];
  if (existsSync(parent)) {
    for (const name of readdirSync(parent).sort()) {
      const dir = join(parent, name);
      if (name === basename(runDir) || name === 'latest') continue;
      const run = readRun(dir);
      if (run && run.meta.env === meta.env && run.meta.vantage === meta.vantage && run.meta.started_at < meta.started_at) earlier.push({ name, ...run });
    }
  }
  earlier.sort((a, b) => a.meta.started_at.localeCompare(b.meta.started_at));
  const runs = [...earlier.slice(-(n - 1)).map((r) => ({ at: r.meta.started_at, findings: r.findings })), { at: meta.started_at, findings }];
  const figures = FIGURES.map((f) => ({ key: f.key, label: f.label, unit: f.unit, values: runs.map((r) => f.of(r.findings)) })).filter((f) => f.values.some((v) => v !== undefined));
  return { runs: runs.map((r) => r.at), figures };
}
