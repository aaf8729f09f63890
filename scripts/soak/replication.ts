// Soak (not CI): N consecutive replication runs against a healthy stack (default: the local profile).
// Reports false failures (any check not pass/skip) and the spread of the per-run latency figures.
//   npx tsx scripts/soak/replication.ts [--runs 20] [--profile FILE] [--json] [--verbose]
import { defaultProfilePath, loadProfile } from '../../src/config/profile.ts';
import { runReplicationProbe } from '../../src/markers/run.ts';
import { summarize } from '../../src/markers/stats.ts';
import { judge } from '../../src/markers/verdict.ts';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(opt('--runs') ?? 20);
const profile = loadProfile(opt('--profile') ?? defaultProfilePath());
const verbose = args.includes('--verbose');

interface RunFigures {
  run: number;
  run_ms: number;
  gate_ms: number;
  failures: string[];
  replication_p50: number;
  replication_max: number;
  sink_p50: number;
  sink_max: number;
  e2e_p50: number;
  e2e_p99: number;
  e2e_max: number;
  verdict_delay_ms: number;
  mm2_difference_ms?: number;
}

const figures: RunFigures[] = [];
for (let i = 1; i <= runs; i++) {
  const run = await runReplicationProbe(profile, { log: verbose ? (l) => console.error(`  ${l}`) : undefined });
  const v = judge(run, { production: profile.production, jmxConfigured: !!profile.connect.jmx });
  const failures = Object.entries(v)
    .filter(([, o]) => o.status !== 'pass' && o.status !== 'skip')
    .map(([id, o]) => `${id} ${o.status} ${o.reason}: ${o.message}`);
  const r = run.report;
  const rep = summarize(r?.replication.latenciesMs ?? []);
  const sink = summarize(r?.sink.latenciesMs ?? []);
  const e2e = summarize(r?.e2e.latenciesMs ?? []);
  const f: RunFigures = {
    run: i,
    run_ms: Math.round(run.timings.total_ms),
    gate_ms: Math.round(run.timings.gate_ms ?? 0),
    failures,
    replication_p50: rep.p50_ms,
    replication_max: rep.max_ms,
    sink_p50: sink.p50_ms,
    sink_max: sink.max_ms,
    e2e_p50: e2e.p50_ms,
    e2e_p99: e2e.p99_ms,
    e2e_max: e2e.max_ms,
    verdict_delay_ms: Math.round((run.timings.verdict_delay_ms ?? NaN) * 10) / 10,
    mm2_difference_ms: v['replication.marker.mm2_crosscheck'].measurements?.difference_ms,
  };
  figures.push(f);
  console.error(
    `run ${String(i).padStart(2)}: ${failures.length ? `FAIL (${failures.length})` : 'ok'}  run ${f.run_ms} ms  ` +
      `replication p50 ${f.replication_p50} max ${f.replication_max}  sink p50 ${f.sink_p50} max ${f.sink_max}  ` +
      `e2e p50 ${f.e2e_p50} p99 ${f.e2e_p99} max ${f.e2e_max} ms  verdict +${f.verdict_delay_ms} ms  mm2 Δ ${f.mm2_difference_ms ?? '–'} ms`,
  );
  for (const x of failures) console.error(`    ${x}`);
}

/** min, median, max across runs (plain order statistics: a handful of values, some may be negative) */
const spread = (key: keyof RunFigures) => {
  const xs = figures.map((f) => f[key]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!xs.length) return { min: NaN, p50: NaN, max: NaN };
  return { min: xs[0], p50: xs[Math.floor((xs.length - 1) / 2)], max: xs[xs.length - 1] };
};
const summary = {
  runs,
  false_failures: figures.filter((f) => f.failures.length).length,
  run_ms: spread('run_ms'),
  replication_p50_ms: spread('replication_p50'),
  replication_max_ms: spread('replication_max'),
  sink_p50_ms: spread('sink_p50'),
  sink_max_ms: spread('sink_max'),
  e2e_p50_ms: spread('e2e_p50'),
  e2e_p99_ms: spread('e2e_p99'),
  e2e_max_ms: spread('e2e_max'),
  verdict_delay_ms: spread('verdict_delay_ms'),
  mm2_difference_ms: spread('mm2_difference_ms'),
};
if (args.includes('--json')) console.log(JSON.stringify({ summary, runs: figures }, null, 2));
else {
  console.log(`${summary.runs} runs, ${summary.false_failures} false failures`);
  for (const [k, v] of Object.entries(summary)) if (typeof v === 'object') console.log(`${k.padEnd(20)} min ${v.min}  p50 ${v.p50}  max ${v.max}`);
}
process.exitCode = summary.false_failures ? 1 : 0;
