// Phase 2 facts → findings, keyed by check id. Pure: no network, no clock (the facts carry `nowMs`).
// Rules and defaults: src/catalog/services.ts (services.influxdb.cq … tier_capacity).
import type { Outcome } from '../suite.ts';
import { nothingToJudge } from '../suite.ts';
import { cqDifferences } from '../model/cq.ts';
import { hoursText } from '../services/influx.ts';
import { humanBytes, projection } from '../data/capacity.ts';
import type { Phase2Facts, Rollup, Sample } from './facts.ts';
import { defaultRetention } from '../model/influx.ts';

export const PHASE2_CHECK_IDS = [
  'services.influxdb.cq',
  'services.influxdb.rollup_freshness',
  'services.influxdb.rollup_correctness',
  'services.influxdb.retention_tiers',
  'services.influxdb.tier_capacity',
] as const;
export type Phase2CheckId = (typeof PHASE2_CHECK_IDS)[number];

export interface Phase2Thresholds {
  slackS: number;
  relTolerance: number;
  absTolerance: number;
  rateBytesPerS: number;
  budgetBytes: number;
  accepted: boolean;
}

const TARGET = 'influxdb';
const iso = (ms: number) => new Date(ms).toISOString();
const list = (xs: string[], n = 5) => (xs.length > n ? `${xs.slice(0, n).join('; ')}; and ${xs.length - n} more` : xs.join('; '));

export function phase2Verdicts(f: Phase2Facts, t: Phase2Thresholds): Record<Phase2CheckId, Outcome[]> {
  if (!f.declared.cqs.length || !f.live) {
    const why: Outcome = {
      target: TARGET,
      status: 'skip',
      reason: 'skipped',
      message: `Phase 2 is not declared: the .iql init scripts in ${f.manifests} create no continuous query; nothing to judge.`,
      evidence: { declared_policies: f.declared.rps.map((r) => `${r.database}.${r.policy}`) },
    };
    return Object.fromEntries(PHASE2_CHECK_IDS.map((id) => [id, [why]])) as Record<Phase2CheckId, Outcome[]>;
  }
  return {
    'services.influxdb.cq': cqVerdicts(f),
    'services.influxdb.rollup_freshness': freshnessVerdicts(f, t),
    'services.influxdb.rollup_correctness': correctnessVerdicts(f, t),
    'services.influxdb.retention_tiers': tierVerdicts(f),
    'services.influxdb.tier_capacity': [capacityVerdict(f, t)],
  };
}

function cqVerdicts(f: Phase2Facts): Outcome[] {
  const live = f.live!.cqs;
  if (!live)
    return [nothingToJudge('No admin credentials in the profile (influxdb.admin): SHOW CONTINUOUS QUERIES is admin-only in InfluxDB 1.8', { target: TARGET })];
  const out: Outcome[] = f.declared.cqs.map((d) => {
    const target = `${TARGET}/${d.database}.${d.name}`;
    const at = `${d.file}:${d.line}`;
    const l = live.find((c) => c.database === d.database && c.name === d.name);
    const evidence = { declared: d.statement, live: l?.text ?? null };
    if (!l)
      return {
        target,
        status: 'fail',
        reason: 'missing',
        message: `Continuous query ${d.name} on ${d.database}, declared in ${at}, does not exist: nothing rolls the raw data up.`,
        hint: `Create it as declared (InfluxDB 1.8 cannot alter a CQ): ${d.statement}`,
        evidence,
      };
    const diffs = l.parsed ? cqDifferences(d, l.parsed) : [`the live text cannot be read as a CQ: ${l.text}`];
    if (diffs.length)
      return {
        target,
        status: 'fail',
        reason: 'drift',
        message: `Continuous query ${d.name} on ${d.database} differs from its declaration (${at}): ${diffs.join('; ')}.`,
        hint: `InfluxDB 1.8 cannot alter a CQ: DROP CONTINUOUS QUERY "${d.name}" ON "${d.database}", then create it as declared.`,
        evidence,
      };
    return { target, status: 'pass', reason: 'ok', message: `Continuous query ${d.name} on ${d.database} exists as declared (${at}).`, evidence };
  });
  const dbs = new Set(f.declared.cqs.map((d) => d.database));
  for (const l of live.filter((c) => dbs.has(c.database) && !f.declared.cqs.some((d) => d.database === c.database && d.name === c.name)))
    out.push({
      target: `${TARGET}/${l.database}.${l.name}`,
      status: 'warn',
      reason: 'drift',
      message: `Continuous query ${l.name} on ${l.database} runs but the manifests (${f.manifests}) do not declare it.`,
      hint: 'Declare it in the .iql init script, or drop it.',
      evidence: { live: l.text },
    });
  return out;
}

function byCq<T extends { cq: string }>(xs: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(x.cq, [...(m.get(x.cq) ?? []), x]);
  return m;
}

/**
 * How long ago the roll-up should have covered its oldest uncovered raw point: that point's bucket ended
 * then, and the CQ's first run after it covers it (0 when the roll-up covers every raw point).
 */
export function rollupLagS(r: Rollup, bucketS: number, nowMs: number): number {
  if (r.firstUncoveredMs === undefined) return 0;
  const bucketEnd = (Math.floor(r.firstUncoveredMs / (bucketS * 1000)) + 1) * bucketS * 1000;
  return Math.max(0, (nowMs - bucketEnd) / 1000);
}

function freshnessVerdicts(f: Phase2Facts, t: Phase2Thresholds): Outcome[] {
  return f.declared.cqs.map((cq) => {
    const target = `${TARGET}/${cq.database}.${cq.name}`;
    const rollups = (byCq(f.live!.rollups).get(cq.name) ?? []).filter((r) => r.rawNewestMs !== undefined);
    if (!rollups.length) return nothingToJudge(`No raw point in the window for any measurement continuous query ${cq.name} reads`, { target });
    const bound = cq.everyS + t.slackS;
    const lags = rollups.map((r) => ({ r, lag: rollupLagS(r, cq.groupByS, f.nowMs) }));
    const stale = lags.filter((x) => x.lag > bound);
    const measurements = { measurements: rollups.length, stale: stale.length, bound_s: bound, max_lag_s: Math.round(Math.max(...lags.map((x) => x.lag)) * 10) / 10 };
    const describe = (x: { r: Rollup; lag: number }) =>
      x.r.firstUncoveredMs === undefined
        ? `${x.r.target}: covered up to ${x.r.rollupNewestMs === undefined ? '(no bucket)' : iso(x.r.rollupNewestMs + cq.groupByS * 1000)}, raw newest ${iso(x.r.rawNewestMs!)}`
        : `${x.r.target}: ${x.r.rollupNewestMs === undefined ? 'no roll-up point in the window' : `newest bucket ${iso(x.r.rollupNewestMs)}`}, raw point ${iso(x.r.firstUncoveredMs)} not rolled up ${x.lag.toFixed(0)} s after its bucket ended`;
    if (stale.length)
      return {
        target,
        status: 'fail',
        reason: 'stale',
        message: `The roll-up of ${cq.name} has stalled for ${stale.length} of ${rollups.length} measurements (a raw point not rolled up ${bound} s = RESAMPLE EVERY ${cq.everyS} s + ${t.slackS} s slack after its bucket ended): ${list(stale.map(describe))}.`,
        hint: `Is continuous query ${cq.name} there and running (services.influxdb.cq; [continuous_queries] enabled in influxdb.conf, its log)?`,
        measurements,
        evidence: { stale: stale.slice(0, 20).map(describe) },
      };
    return {
      target,
      status: 'pass',
      reason: 'ok',
      message: `The roll-up of ${cq.name} covers the raw points of all ${rollups.length} measurements within ${bound} s of their bucket's end (worst ${measurements.max_lag_s} s).`,
      measurements,
      evidence: { sample: lags.slice(0, 3).map(describe) },
    };
  });
}

/** Column by column, the recomputed aggregate against the stored one; the differences as sentences. */
export function sampleDifferences(s: Sample, t: Pick<Phase2Thresholds, 'relTolerance' | 'absTolerance'>): string[] {
  if (!s.stored) return [`no roll-up row at ${iso(s.bucketStartMs)}`];
  const out: string[] = [];
  for (const [col, want] of Object.entries(s.recomputed)) {
    if (want === null) continue;
    const got = s.stored[col];
    if (got === undefined || got === null) out.push(`${col} missing (recomputed ${want})`);
    else if (typeof want === 'number' && typeof got === 'number' ? !(Math.abs(got - want) <= t.absTolerance + t.relTolerance * Math.abs(want)) : got !== want)
      out.push(`${col} stored ${got}, recomputed ${want}`);
  }
  return out;
}

function correctnessVerdicts(f: Phase2Facts, t: Phase2Thresholds): Outcome[] {
  return f.declared.cqs.map((cq) => {
    const target = `${TARGET}/${cq.database}.${cq.name}`;
    const samples = byCq(f.live!.samples).get(cq.name) ?? [];
    if (!samples.length) return nothingToJudge(`No raw point in the sampled bucket for the measurements of ${cq.name}`, { target });
    const tol = `|stored − recomputed| ≤ ${t.absTolerance} + ${t.relTolerance} × |recomputed|`;
    const compared = samples.reduce((n, s) => n + Object.values(s.recomputed).filter((v) => v !== null).length, 0);
    const bad = samples.map((s) => ({ s, diffs: sampleDifferences(s, t) })).filter((x) => x.diffs.length);
    const window = `${iso(samples[0].bucketStartMs)} + ${samples[0].bucketS} s`;
    const measurements = { sampled_measurements: samples.length, compared_values: compared, mismatched_measurements: bad.length };
    const evidence = { window, measurements: samples.map((s) => s.target), tolerance: tol };
    if (bad.length)
      return {
        target,
        status: 'fail',
        reason: 'mismatch',
        message: `The roll-up of ${cq.name} for ${window} disagrees with the raw points for ${bad.length} of ${samples.length} sampled measurements: ${list(bad.map((x) => `${x.s.target}: ${list(x.diffs, 3)}`), 3)}.`,
        hint: 'A changed CQ (services.influxdb.cq), late raw points beyond RESAMPLE FOR, or writes into the roll-up from elsewhere.',
        measurements,
        evidence,
      };
    return {
      target,
      status: 'pass',
      reason: 'ok',
      message: `For ${window}, ${compared} aggregates of ${samples.length} measurements (${samples.map((s) => s.target).join(', ')}) equal those recomputed from the raw points (${tol}).`,
      measurements,
      evidence,
    };
  });
}

function tierVerdicts(f: Phase2Facts): Outcome[] {
  const dbs = new Set(f.declared.cqs.map((d) => d.database));
  return f.declared.rps
    .filter((d) => dbs.has(d.database))
    .map((d) => {
      const target = `${TARGET}/${d.database}.${d.policy}`;
      const live = f.live!.rps[d.database]?.find((p) => p.name === d.policy);
      const at = `${d.file}:${d.line}`;
      const tier = f.live!.tiers.find((x) => x.database === d.database && x.policy === d.policy);
      const measurements = { declared_hours: d.hours, ...(live ? { live_hours: live.hours } : {}) };
      const evidence = { declared: `${d.policy} ${hoursText(d.hours)} (${at})`, live: (f.live!.rps[d.database] ?? []).map((p) => `${p.name} ${hoursText(p.hours)}`) };
      if (!live)
        return { target, status: 'fail', reason: 'missing', message: `Retention policy ${d.policy} on ${d.database}, declared in ${at}, does not exist.`, measurements, evidence };
      // the default (raw) policy's duration is services.influxdb.retention's finding; here only its expiry
      const isDefault = defaultRetention(f.declared.rps, d.database)?.policy === d.policy;
      if (!isDefault && Math.abs(live.hours - d.hours) > 1e-6)
        return {
          target,
          status: 'fail',
          reason: 'drift',
          message: `Retention policy ${d.policy} on ${d.database} keeps ${hoursText(live.hours)}, the manifests declare ${hoursText(d.hours)} (${at}).`,
          hint: `ALTER RETENTION POLICY "${d.policy}" ON "${d.database}" DURATION ${d.hours ? `${d.hours}h` : 'INF'} — or change the manifests.`,
          measurements,
          evidence,
        };
      if (tier?.overdueOldestMs !== undefined)
        return {
          target,
          status: 'fail',
          reason: 'policy',
          message: `Retention policy ${d.policy} on ${d.database} still holds data from ${iso(tier.overdueOldestMs)}, older than its ${hoursText(live.hours)} plus one shard group (${live.shardHours}h) and the enforcement slack.`,
          hint: 'Is the retention service enabled ([retention] enabled, check-interval in influxdb.conf)?',
          measurements,
          evidence: { ...evidence, cutoff: iso(tier.cutoffMs!) },
        };
      const gone = tier?.cutoffMs !== undefined ? `; nothing older than ${iso(tier.cutoffMs)} (duration + shard group + slack) is left` : ' (infinite: nothing expires)';
      const keeps = isDefault ? `keeps ${hoursText(live.hours)} (the default policy: its duration is judged by services.influxdb.retention)` : `keeps ${hoursText(live.hours)} as declared`;
      return { target, status: 'pass', reason: 'ok', message: `Retention policy ${d.policy} on ${d.database} ${keeps}${gone}.`, measurements, evidence };
    });
}

function capacityVerdict(f: Phase2Facts, t: Phase2Thresholds): Outcome {
  const vc = f.live!.valueCounts;
  if (!vc || vc.raw === 0 || vc.rollup === 0)
    return nothingToJudge('No sampled bucket with both raw and rolled-up values, so the roll-up tier\'s size relative to the raw tier is unknown', { target: TARGET });
  const factor = vc.rollup / vc.raw;
  const tiers = new Map<string, { hours: number; factor: number }>();
  for (const cq of f.declared.cqs) {
    const rawRp = cq.from.rp ?? f.live!.rps[cq.database]?.find((p) => p.isDefault)?.name ?? 'autogen';
    const hoursOf = (rp: string) => f.declared.rps.find((r) => r.database === cq.database && r.policy === rp)?.hours ?? 0;
    tiers.set(`${cq.database}.${rawRp}`, { hours: hoursOf(rawRp), factor: 1 });
    if (cq.into.rp) tiers.set(`${cq.into.database ?? cq.database}.${cq.into.rp}`, { hours: hoursOf(cq.into.rp), factor });
  }
  const rows = [...tiers].map(([name, x]) => ({ name, ...x, bytes: x.hours ? projection(t.rateBytesPerS * x.factor, x.hours / 24) : Infinity }));
  const total = rows.reduce((a, r) => a + r.bytes, 0);
  const text = rows.map((r) => `${r.name} ${hoursText(r.hours)} × ${r.factor === 1 ? '1' : r.factor.toPrecision(3)} → ${humanBytes(r.bytes)}`).join(', ');
  const measurements: Record<string, number> = { rollup_factor: factor, total_bytes: total, budget_bytes: t.budgetBytes };
  rows.forEach((r) => (measurements[`bytes_${r.name}`] = r.bytes));
  const evidence = { tiers: rows.map((r) => ({ tier: r.name, hours: r.hours, factor: r.factor, bytes: r.bytes })), sampled_bucket: iso(vc.bucketStartMs), values_raw: vc.raw, values_rollup: vc.rollup };
  const statement = `At the OCS-REQ-0048 rate of ${humanBytes(t.rateBytesPerS, '/s')}, the tiers hold ${text} (the roll-up keeps ${vc.rollup} values for every ${vc.raw} raw ones, measured over one bucket): ${humanBytes(total)} against a budget of ${humanBytes(t.budgetBytes)}`;
  if (total <= t.budgetBytes) return { target: TARGET, status: 'pass', reason: 'ok', message: `${statement}.`, measurements, evidence };
  return {
    target: TARGET,
    status: t.accepted ? 'warn' : 'fail',
    reason: 'capacity',
    message: `${statement}: short by ${humanBytes(total - t.budgetBytes)}${t.accepted ? ' (accepted: threshold `accepted`)' : ''}.`,
    hint: 'The raw tier dominates (see data.capacity.requirement); shorten it, or budget the long-term tier separately.',
    measurements,
    evidence,
  };
}
