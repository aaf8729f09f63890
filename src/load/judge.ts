// Turns a load run's facts into outcomes for suites/load (pure: thresholds are passed in). Every failure of
// a keep-up check says "pipeline did not keep up" and the figure that shows it.
import type { Series } from '../report/finding.ts';
import type { Outcome } from '../suite.ts';
import type { K6Result } from './k6.ts';
import { failedThresholds } from './k6.ts';
import type { LoadRun, SampleAt } from './run.ts';
import { formatDuration, formatRate } from './units.ts';
import { describeLag, judgeLag, type LagBounds } from './verdict.ts';

export const KEEP_UP = 'pipeline did not keep up';

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export function fatalOutcome(run: LoadRun): Outcome {
  return {
    status: 'error',
    reason: run.fatal!.reason,
    message: `the load run could not start: ${run.fatal!.message}`,
    hint: 'the Summit broker and registry must be reachable and writable for the load namespace',
  };
}

export function judgeGenerator(run: LoadRun, t: { tolerance_pct: number; error_ratio_max: number }): Outcome {
  const g = run.gen!;
  const measured = g.intervals.filter((i) => !i.warmup);
  const secs = measured.reduce((s, i) => s + i.seconds, 0);
  const base = g.measured.intendedBytesPerS;
  const intended = secs > 0 ? measured.reduce((s, i) => s + i.level * base * i.seconds, 0) / secs : base;
  const achieved = secs > 0 ? measured.reduce((s, i) => s + i.ackedBytes, 0) / secs : 0;
  const deviationPct = intended > 0 ? (100 * (achieved - intended)) / intended : 0;
  const sent = g.totals.sentRecords;
  const errorRatio = sent ? g.totals.errors / sent : 0;
  const measurements: Record<string, number> = {
    bytes_per_s: round(achieved, 0),
    mb_per_s: round(achieved / 1e6, 3),
    mib_per_s: round(achieved / 1024 ** 2, 3),
    intended_bytes_per_s: round(intended, 0),
    deviation_pct: round(deviationPct),
    records_per_s: round(measured.reduce((s, i) => s + i.ackedRecords, 0) / Math.max(secs, 0.001), 1),
    records_sent: sent,
    records_failed: g.totals.errors,
    records_dropped: g.totals.dropped,
    ack_latency_ms_p50: g.ackLatency.p50_ms,
    ack_latency_ms_p99: g.ackLatency.p99_ms,
    ack_latency_ms_p999: g.ackLatency.p999_ms,
    ack_latency_ms_max: g.ackLatency.max_ms,
    send_delay_ms_p99: g.sendDelay.p99_ms,
    send_delay_ms_max: g.sendDelay.max_ms,
    intended_to_ack_ms_p99: g.intendedToAck.p99_ms,
    cpu_percent_of_one_core: round(g.cpu.percentOfOneCore, 1),
    measured_s: round(secs, 1),
  };
  if (run.model) {
    measurements.model_factor = round(run.model.factor, 3);
    measurements.mean_record_bytes = round(run.model.meanRecordBytes, 0);
  }
  const series: Series[] = [
    { name: 'acked_bytes_per_s', kind: 'timeline', unit: 'B/s', points: g.intervals.map((i) => [i.tMs, round(i.ackedBytes / i.seconds, 0)]) },
    { name: 'ack_latency_ms_p99', kind: 'timeline', unit: 'ms', points: g.intervals.map((i) => [i.tMs, i.ackP99Ms]) },
  ];
  const evidence = {
    plan: run.plan.shape,
    units: 'MB = 10^6 bytes, MiB = 2^20 bytes, of Avro value (Confluent framing included)',
    topics: run.model?.topics,
    natural_rate: run.model ? formatRate(run.model.naturalBytesPerS) : undefined,
    last_error: g.lastError,
  };
  const what = `${formatRate(achieved)} against the intended ${formatRate(intended)}`;
  if (errorRatio > t.error_ratio_max)
    return {
      status: 'fail',
      reason: 'lost',
      message: `the Summit broker did not acknowledge ${g.totals.errors} of ${sent} load records (${round(100 * errorRatio)} %)${g.lastError ? `: ${g.lastError}` : ''}`,
      hint: 'look at the Summit broker (disk, request size, acks=all with too few in-sync replicas)',
      measurements, series, evidence,
    };
  if (Math.abs(deviationPct) > t.tolerance_pct)
    return {
      status: 'fail',
      reason: 'capacity',
      message: `the generator sent ${what} (${round(deviationPct, 1)} %, tolerance ±${t.tolerance_pct} %), so the keep-up checks judged a different load`,
      hint: `send delay p99 ${g.sendDelay.p99_ms} ms, ack p99 ${g.ackLatency.p99_ms} ms: a slow Summit broker or a busy runner (CPU ${round(g.cpu.percentOfOneCore, 0)} % of one core)`,
      measurements, series, evidence,
    };
  return {
    status: 'pass',
    reason: 'ok',
    message: `sent ${what} over ${formatDuration(secs)} (warm-up excluded), ack p99 ${g.ackLatency.p99_ms} ms, send delay p99 ${g.sendDelay.p99_ms} ms`,
    measurements, series, evidence,
  };
}

function measuredSamples(run: LoadRun): SampleAt[] {
  const from = run.gen ? (run.gen.warmupEndMs - run.gen.startMs) / 1000 : run.plan.warmupS;
  const end = run.gen ? (run.gen.intervals.at(-1)?.tMs ?? (run.plan.warmupS + run.plan.durationS) * 1000) / 1000 : run.plan.warmupS + run.plan.durationS;
  return run.samples.filter((s) => s.tS >= from && s.tS <= end + 0.5);
}

/** The warm-up: steady within its bound, or the reason nothing was measured. */
export function judgeWarmup(run: LoadRun): Outcome {
  const w = run.warmup;
  if (!w) return { status: 'error', reason: 'internal', message: 'the load run has no warm-up outcome' };
  const { rule } = w;
  if (!rule.maxS) return { status: 'skip', reason: 'skipped', message: '--warmup 0: the run measured from its first second, without a warm-up' };
  const warmSamples = run.samples.filter((s) => s.tS <= w.endedAtS && !s.error);
  const measurements = {
    warmup_s: round(w.endedAtS, 1),
    warmup_bound_s: rule.maxS,
    replication_lag_s_max: round(w.maxReplicationLagS),
    sink_lag_s_max: round(w.maxSinkLagS),
    samples: warmSamples.length,
  };
  const series: Series[] = [
    { name: 'warmup_sink_lag_s', kind: 'timeline', unit: 's', points: warmSamples.map((s) => [Math.round(s.tS * 1000), round(s.sinkLagS)]) },
    { name: 'warmup_replication_lag_s', kind: 'timeline', unit: 's', points: warmSamples.map((s) => [Math.round(s.tS * 1000), round(s.replicationLagS)]) },
  ];
  const condition = `both lags ≤ ${rule.lagS} s for ${rule.steadyS} s`;
  if (!w.steady) {
    const last = w.last;
    const now = last ? (last.error ? `the last sample failed: ${last.error}` : `at the end sink lag ${round(last.sinkLagS, 1)} s, replication lag ${round(last.replicationLagS, 1)} s`) : 'no lag sample succeeded';
    return {
      status: 'fail',
      reason: 'keep_up',
      message: `${KEEP_UP}: not steady (${condition}) within the ${formatDuration(rule.maxS)} warm-up at ${formatRate(run.plan.rateBytesPerS)}; ${now} (max sink ${measurements.sink_lag_s_max} s, replication ${measurements.replication_lag_s_max} s), so nothing was measured`,
      hint: 'a pipeline that cannot catch up even once warm is short of capacity: see where the CPU goes (npm run bench:pipeline), the sink (data.sink.lag) and the replicator; --warmup raises the bound',
      measurements, series,
    };
  }
  return {
    status: 'pass',
    reason: 'ok',
    message: `steady after ${formatDuration(Math.round(w.endedAtS))} at ${formatRate(run.plan.rateBytesPerS)} (${condition}; bound ${formatDuration(rule.maxS)}; max sink lag ${measurements.sink_lag_s_max} s during the warm-up)`,
    measurements, series,
  };
}

/** Every keep-up check of a run whose warm-up never became steady: nothing was measured, load.pipeline.warmup says why. */
export function unmeasuredOutcome(run: LoadRun): Outcome | undefined {
  if (run.warmup?.steady !== false) return undefined;
  return { status: 'skip', reason: 'skipped', message: `nothing was measured: the warm-up did not become steady within ${formatDuration(run.plan.warmupS)} (see load.pipeline.warmup)` };
}

/** Samples the trend is judged on: all of the measured window, or what follows the burst. */
function trendSamples(run: LoadRun, pts: SampleAt[]): SampleAt[] {
  if (run.plan.shape !== 'burst') return pts;
  const after = pts.filter((s) => s.tS >= run.plan.burst.startS + run.plan.burst.lengthS);
  return after.length >= 3 ? after : pts;
}

export function judgeLagCheck(run: LoadRun, which: 'replication' | 'sink', b: LagBounds, sinkGroup: string): Outcome {
  const key = which === 'replication' ? 'replicationLagS' : 'sinkLagS';
  const label = which === 'replication' ? 'replication lag' : `sink lag (group ${sinkGroup})`;
  const all = measuredSamples(run);
  const ok = all.filter((s) => !s.error);
  const series: Series[] = [
    { name: `${which}_lag_s`, kind: 'timeline', unit: 's', points: run.samples.filter((s) => !s.error).map((s) => [Math.round(s.tS * 1000), round(s[key], 2)]) },
  ];
  if (!ok.length) {
    const bad = all.find((s) => s.error) ?? run.samples.find((s) => s.error);
    return {
      status: 'error',
      reason: bad?.errorReason ?? 'timeout',
      message: `${label} could not be measured during the load${bad?.error ? `: ${bad.error}` : ' (no sample in the measured window)'}`,
      series,
    };
  }
  const pts = ok.map((s) => ({ tS: s.tS, lagS: s[key] }));
  const trend = trendSamples(run, ok).map((s) => ({ tS: s.tS, lagS: s[key] }));
  const v = judgeLag(pts, b, trend);
  const backlogKey = which === 'replication' ? 'replicationBacklog' : 'sinkBacklog';
  const measurements = {
    [`${which}_lag_s_max`]: round(v.maxLagS),
    [`${which}_lag_s_last`]: round(v.lastLagS),
    [`${which}_lag_slope_s_per_s`]: round(v.slope, 4),
    [`${which}_backlog_records_max`]: Math.max(...ok.map((s) => s[backlogKey])),
    samples: ok.length,
    failed_samples: all.length - ok.length,
  };
  const hints: string[] = [];
  const r = run.readiness;
  if (which === 'replication' && r.missingAtLdf.length)
    hints.push(`${r.missingAtLdf.length} load topics never appeared at the LDF (MirrorMaker 2 topics regex, refresh.topics.interval.seconds)`);
  if (which === 'sink' && r.sink) {
    if (r.sink.members === 0) hints.push(`group ${sinkGroup} has no members: is the sink running?`);
    else if (r.sink.unassigned.length)
      hints.push(`group ${sinkGroup} was not assigned ${r.sink.unassigned.length} of the load topics (e.g. ${r.sink.unassigned[0]}): Telegraf resolves topic_regexps only at start, restart it after the load topics exist`);
  }
  if (which === 'sink' && r.sinkError) hints.push(`could not describe group ${sinkGroup}: ${r.sinkError}`);
  const worst = which === 'sink' ? ok.reduce((a, s) => (s.sinkLagS > a.sinkLagS ? s : a), ok[0]).worstTopic : undefined;
  if (worst) hints.push(`slowest topic: ${worst}`);
  const rate = run.gen ? formatRate(run.gen.measured.bytesPerS) : '';
  if (!v.ok)
    return {
      status: 'fail',
      reason: 'keep_up',
      message: `${KEEP_UP} at ${rate}: ${describeLag(label, v, b)}`,
      hint: hints.join('; ') || (which === 'replication' ? 'look at MirrorMaker 2 (connector and task state, replication-latency-ms)' : 'look at the sink (InfluxDB write errors, flush interval, max_undelivered_messages)'),
      measurements, series,
    };
  return { status: 'pass', reason: 'ok', message: `kept up at ${rate}: ${describeLag(label, v, b)}`, hint: hints.join('; ') || undefined, measurements, series };
}

/** How long the drain waited, and why it stopped when that was before drain_s. */
function waited(drainS: number, stalledS?: number): string {
  return stalledS ? `after waiting ${drainS} s, the last ${stalledS} s without a single new point` : `after waiting ${drainS} s`;
}

export function judgeInflux(run: LoadRun, t: { ratio_min: number; settle_s: number; drain_s: number }): Outcome {
  const f = run.influx;
  if (!f) return { status: 'error', reason: 'internal', message: 'no InfluxDB count was taken' };
  if (f.error) return { status: 'error', reason: f.errorReason ?? 'internal', message: `the load measurements could not be counted: ${f.error}` };
  const expected = Object.values(f.expected).reduce((a, b) => a + b, 0);
  const sum = (m?: Record<string, number>) => Object.entries(f.expected).reduce((a, [k]) => a + Math.min(m?.[k] ?? 0, f.expected[k]), 0);
  const atEnd = sum(f.atEnd);
  const after = sum(f.afterDrain);
  const windowS = (f.toMs - f.fromMs) / 1000;
  const ratioEnd = expected ? atEnd / expected : 0;
  const ratioAfter = expected ? after / expected : 0;
  const short = Object.entries(f.expected)
    .map(([topic, n]) => ({ topic, missing: n - (f.afterDrain?.[topic] ?? 0) }))
    .filter((x) => x.missing > 0)
    .sort((a, b) => b.missing - a.missing)
    .slice(0, 5);
  const measurements = {
    records_sent: expected,
    points_at_end: atEnd,
    points_after_drain: after,
    ratio_at_end: round(ratioEnd, 4),
    ratio_after_drain: round(ratioAfter, 4),
    points_per_s: round(atEnd / Math.max(windowS, 1), 1),
    records_per_s: round(expected / Math.max(windowS, 1), 1),
    window_s: windowS,
    drain_s: round((f.drainedInMs ?? 0) / 1000, 1),
  };
  const evidence = { short_topics: short };
  if (!expected) return { status: 'error', reason: 'internal', message: 'no load record was acknowledged in the measured window, so there was nothing to count', measurements };
  if (run.plan.shape !== 'ramp' && ratioEnd < t.ratio_min)
    return {
      status: 'fail',
      reason: 'keep_up',
      message:
        `${KEEP_UP}: ${t.settle_s} s after the load InfluxDB held ${atEnd} of ${expected} points of the measured window ` +
        `(${round(100 * ratioEnd, 1)} %, ${measurements.points_per_s} points/s for ${measurements.records_per_s} records/s)` +
        (after >= expected ? `; all arrived ${measurements.drain_s} s later` : `; ${expected - after} still missing ${waited(measurements.drain_s, f.drainStalledS)}`),
      hint: 'the sink writes slower than the load arrives: InfluxDB write errors or latency, sink batch size and flush interval',
      measurements, evidence,
    };
  if (ratioAfter < 0.999)
    return {
      status: 'fail',
      reason: 'lost',
      message: `${expected - after} of ${expected} load records never reached InfluxDB (${waited(measurements.drain_s, f.drainStalledS)})`,
      hint: run.readiness.schemasMissingAtLdf.length
        ? `the LDF registry never knew schema ids ${run.readiness.schemasMissingAtLdf.join(', ')}: a sink cannot decode those records (is the registry's storage replicated?)`
        : short.length ? `most missing in ${short[0].topic}; look at sink errors (schema lookups, field type conflicts)` : undefined,
      measurements, evidence,
    };
  return {
    status: 'pass',
    reason: 'ok',
    message: `InfluxDB held ${round(100 * ratioEnd, 1)} % of the ${expected} points of the measured window ${t.settle_s} s after the load (${measurements.points_per_s} points/s for ${measurements.records_per_s} records/s)`,
    measurements,
  };
}

/**
 * Markers sent during the load: the replication suite's markers (src/markers) on their own e2e SLA; when they
 * could not be sent, the load run's own EFD-shaped probe records on `sla_s`.
 */
export function judgeMarkers(run: LoadRun, t: { sla_s: number }): Outcome {
  const m = run.markers;
  const r = m?.report;
  if (!r || r.sent === 0) {
    const own = judgeProbes(run, t);
    const why = m?.why ? `the replication markers could not be sent (${m.why}); ` : '';
    return { ...own, message: `${why}${own.message}`, evidence: { ...own.evidence, markers: m?.why ?? 'not run' } };
  }
  const slaS = (m!.e2eSlaMs ?? t.sla_s * 1000) / 1000;
  const lat = [...r.e2e.latenciesMs].sort((a, b) => a - b).map((x) => x / 1000);
  const q = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : NaN);
  const measurements = {
    markers_sent: r.sent,
    markers_arrived: r.e2e.arrived,
    markers_late: r.e2e.late,
    markers_lost: r.e2e.lost,
    latency_s_p50: round(q(0.5)),
    latency_s_p99: round(q(0.99)),
    latency_s_max: round(lat.at(-1) ?? NaN),
    sla_s: slaS,
    replication_latency_s_max: round(r.replication.latenciesMs.length ? Math.max(...r.replication.latenciesMs) / 1000 : NaN),
  };
  const series: Series[] = [{ name: 'marker_e2e_latency_ms', kind: 'timeline', unit: 'ms', points: r.e2e.timeline }];
  const own = run.probes.filter((p) => p.seenMs !== undefined && p.ackMs !== undefined).map((p) => (p.seenMs! - p.ackMs!) / 1000);
  const evidence = {
    note: 'replication-suite markers (src/markers) sent during the measured window; produce ack → InfluxDB on the runner clock',
    own_probe_records: own.length ? `${own.length} arrived, max ${round(Math.max(...own), 1)} s` : 'none arrived',
    lost_ids: r.e2e.lostIds.slice(0, 10),
  };
  if (r.e2e.lost)
    return {
      status: 'fail',
      reason: 'not_arrived',
      message: `${KEEP_UP}: ${r.e2e.lost} of ${r.sent} markers sent during the load never reached InfluxDB${lat.length ? ` (the others took up to ${round(lat.at(-1)!, 1)} s)` : ''}`,
      hint: r.replication.lost ? 'markers were lost before the LDF: look at the replicator' : 'markers reached the LDF but not InfluxDB in time: look at the sink',
      measurements, series, evidence,
    };
  if (r.e2e.late)
    return {
      status: 'fail',
      reason: 'late',
      message: `${KEEP_UP}: ${r.e2e.late} of ${r.sent} markers sent during the load took longer than the ${slaS} s SLA (max ${round(lat.at(-1)!, 1)} s)`,
      measurements, series, evidence,
    };
  return {
    status: 'pass',
    reason: 'ok',
    message: `${r.sent} markers sent during the load reached InfluxDB within the ${slaS} s SLA (p50 ${measurements.latency_s_p50} s, max ${measurements.latency_s_max} s)`,
    measurements, series, evidence,
  };
}

export function judgeProbes(run: LoadRun, t: { sla_s: number }): Outcome {
  const sent = run.probes.filter((p) => p.ackMs !== undefined);
  const failedSends = run.probes.filter((p) => p.error);
  if (!sent.length)
    return {
      status: 'error',
      reason: failedSends.length ? 'connect' : 'internal',
      message: failedSends.length ? `no probe record could be sent: ${failedSends[0].error}` : 'no probe record was sent during the load (run too short?)',
    };
  const lat = sent.filter((p) => p.seenMs !== undefined).map((p) => (p.seenMs! - p.ackMs!) / 1000).sort((a, b) => a - b);
  const late = lat.filter((x) => x > t.sla_s);
  const missing = sent.length - lat.length;
  const q = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : NaN);
  const measurements = {
    probes_sent: sent.length,
    probes_arrived: lat.length,
    probes_late: late.length,
    probes_missing: missing,
    latency_s_p50: round(q(0.5)),
    latency_s_p99: round(q(0.99)),
    latency_s_max: round(lat.at(-1) ?? NaN),
  };
  const series: Series[] = [{ name: 'probe_latency_s', kind: 'timeline', unit: 's', points: sent.filter((p) => p.seenMs).map((p) => [p.ackMs! - (run.gen?.startMs ?? 0), round((p.seenMs! - p.ackMs!) / 1000)]) }];
  const note = 'EFD-shaped probe records of the load namespace, produce ack to first InfluxDB query, 1 s poll';
  if (missing)
    return {
      status: 'fail',
      reason: 'not_arrived',
      message: `${KEEP_UP}: ${missing} of ${sent.length} probe records sent during the load never reached InfluxDB${run.probePollError ? ` (last poll error: ${run.probePollError})` : ''}`,
      measurements, series, evidence: { note },
    };
  if (late.length)
    return {
      status: 'fail',
      reason: 'late',
      message: `${KEEP_UP}: ${late.length} of ${sent.length} probe records took longer than the ${t.sla_s} s SLA (max ${round(lat.at(-1)!, 1)} s)`,
      measurements, series, evidence: { note },
    };
  return {
    status: 'pass',
    reason: 'ok',
    message: `${sent.length} probe records sent during the load reached InfluxDB in at most ${round(lat.at(-1)!, 1)} s (p50 ${measurements.latency_s_p50} s, SLA ${t.sla_s} s)`,
    measurements, series, evidence: { note },
  };
}

export function judgeRamp(run: LoadRun, requiredBytesPerS: number): Outcome {
  const r = run.ramp!;
  const measurements = {
    sustained_bytes_per_s: round(r.sustainedBytesPerS, 0),
    sustained_mb_per_s: round(r.sustainedBytesPerS / 1e6, 3),
    sustained_mib_per_s: round(r.sustainedBytesPerS / 1024 ** 2, 3),
    required_bytes_per_s: requiredBytesPerS,
    steps: r.steps.length,
  };
  const series: Series[] = [{ name: 'ramp_step_bytes_per_s', kind: 'timeline', unit: 'B/s', points: r.steps.map((s, i) => [i, round(s.achievedBytesPerS, 0)]) }];
  const evidence = { steps: r.steps.map((s) => `${formatRate(s.bytesPerS)}: ${s.why}`), stopped: r.stoppedBecause };
  if (r.sustainedBytesPerS < requiredBytesPerS)
    return {
      status: 'fail',
      reason: 'capacity',
      message: `${KEEP_UP} at the required ${formatRate(requiredBytesPerS)}: the highest rate sustained was ${formatRate(r.sustainedBytesPerS)} (stopped at ${r.stoppedBecause})`,
      measurements, series, evidence,
    };
  return {
    status: 'pass',
    reason: 'ok',
    message: `the pipeline sustained ${formatRate(r.sustainedBytesPerS)} (${round(r.sustainedBytesPerS / requiredBytesPerS, 1)}× the requirement); stopped because ${r.stoppedBecause}`,
    measurements, series, evidence,
  };
}

export function judgeCleanup(run: LoadRun): Outcome {
  const c = run.cleanup;
  if (!c) return { status: 'error', reason: 'internal', message: 'the cleanup did not run' };
  const evidence = { removed: c.removed.length, kept: c.kept, remaining: c.remaining.slice(0, 20), errors: c.errors.slice(0, 5) };
  if (c.remaining.length)
    return {
      status: 'fail',
      reason: 'incomplete',
      message: `the load run left ${c.remaining.length} things behind, e.g. ${c.remaining[0]}`,
      hint: `remove them by hand; everything is under ${run.plan.prefix}.`,
      evidence,
    };
  if (c.errors.length)
    return { status: 'error', reason: /refused|ECONNREFUSED/.test(c.errors[0]) ? 'connect' : 'timeout', message: `the cleanup could not finish: ${c.errors[0]}`, evidence };
  return {
    status: 'pass',
    reason: 'ok',
    message: `removed what the run wrote (${c.removed.length} items) and checked it is gone${c.kept.length ? `; kept: ${c.kept.join('; ')}` : ''}`,
    evidence,
  };
}

export function judgeK6(name: string, r: K6Result): Outcome {
  const m = r.summary?.metrics ?? {};
  const v = (metric: string, stat: string) => m[metric]?.values?.[stat];
  const measurements: Record<string, number> = {};
  const put = (k: string, x: number | undefined, d = 2) => {
    if (typeof x === 'number' && Number.isFinite(x)) measurements[k] = round(x, d);
  };
  put('http_req_duration_ms_p95', v('http_req_duration', 'p(95)'));
  put('http_req_duration_ms_p99', v('http_req_duration', 'p(99)'));
  put('http_req_failed_ratio', v('http_req_failed', 'rate'), 4);
  put('iterations', v('iterations', 'count'), 0);
  put('dropped_iterations', v('dropped_iterations', 'count'), 0);
  put('body_bytes_per_s', v('efd_lp_body_bytes', 'rate'), 0);
  const failed = failedThresholds(r.summary);
  if (r.exitCode === 0 && !failed.length) return { status: 'pass', reason: 'ok', message: `${name}: every threshold held`, measurements };
  if (r.exitCode === 99 || failed.length)
    return {
      status: 'fail',
      reason: failed.some((f) => f.startsWith('http_req_failed') || f.startsWith('checks')) ? 'http_status' : 'capacity',
      message: `${name}: thresholds failed: ${failed.join(', ') || 'see k6 output'}`,
      measurements,
      evidence: { stdout: r.stdoutTail.slice(-500) },
    };
  return {
    status: 'error',
    reason: r.timedOut ? 'timeout' : 'internal',
    message: `${name}: k6 ${r.timedOut ? 'did not finish in time' : `exited with ${r.exitCode}`}: ${r.stderrTail.split('\n').filter(Boolean).at(-1) ?? ''}`,
    measurements,
  };
}
