// Data suite: per `lsst.sal.*` topic, is every topic everywhere, fresh and complete, does the sink keep up,
// and how long does the storage last. One file, so the facts (offsets of thousands of topics, InfluxDB's
// measurements) are gathered once and shared by every check.
import { afterAll } from 'vitest';
import { check, nothingToJudge, type Outcome } from '../../src/suite.ts';
import { runContext, threshold } from '../../src/context.ts';
import { DataSession, sum } from '../../src/data/session.ts';
import { topicScope } from '../../src/data/scope.ts';
import { evaluateCoverage } from '../../src/data/coverage.ts';
import { sinkBehind, staleSources } from '../../src/data/freshness.ts';
import { evaluateCompleteness, type WindowCounts } from '../../src/data/completeness.ts';
import { evaluatePartition, isGroupActive, lagOf, warnsOn, worstStatus, type LagSample, type LagStatus } from '../../src/data/burrow.ts';
import { humanBytes, ingestRate, judgeCapacity, projection } from '../../src/data/capacity.ts';
import { usedBytes } from '../../src/data/storage.ts';
import { defaultRetention, loadRetention } from '../../src/model/influx.ts';
import { partitionKey, type GroupState } from '../../src/probes/kafka-batch.ts';
import { errorOutcome } from '../../src/services/outcome.ts';
import { listSome } from '../../src/services/kafka.ts';
import { hoursText } from '../../src/services/influx.ts';

const ctx = runContext();
const { profile } = ctx;
const EVIDENCE_MAX = 50;
const TIMEOUT = 120_000;

let session: DataSession | undefined;
function data(): DataSession {
  session ??= new DataSession(profile, {
    inScope: topicScope(profile, {
      topics: threshold<string>('data.topics.coverage', 'topics'),
      exclude: threshold<string>('data.topics.coverage', 'exclude'),
    }),
    heavyTimeoutMs: Math.max(profile.timeout_ms, threshold<number>('data.completeness.window', 'query_timeout_s') * 1000),
  });
  return session;
}
afterAll(async () => {
  await session?.close();
});

const guarded =
  (run: () => Promise<Outcome | Outcome[]>) =>
  async (): Promise<Outcome | Outcome[]> => {
    try {
      return await run();
    } catch (e) {
      return errorOutcome(e);
    }
  };

const s = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Nothing to judge is a skip saying why; with a production profile, the emptiness that means an outage
 *  (`outage` given) fails instead. */
function emptyScope(why: string, extra: Pick<Outcome, 'measurements' | 'evidence'>, outage?: { reason: Outcome['reason']; hint: string }): Outcome {
  if (outage && profile.production) return { status: 'fail', reason: outage.reason, message: `${why}: on a production EFD this is an outage.`, hint: outage.hint, ...extra };
  return nothingToJudge(why, extra);
}
const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

// ── coverage ──────────────────────────────────────────────────────────────────────────────────
check(
  'data.topics.coverage',
  guarded(async () => {
    const d = data();
    const [summit, ldf, influx] = await Promise.all([d.summit(), d.ldf(), d.influx()]);
    const highSum = new Map(summit.topics.map((t) => [t, sum(summit.high.get(t))]));
    // only topics missing somewhere need their age: read their oldest retained record
    const graceMs = threshold<number>('data.topics.coverage', 'grace_s') * 1000;
    const candidates = summit.topics.filter((t) => (highSum.get(t) ?? 0) > 0 && (!ldf.all.has(t) || !influx.measurements.has(t)));
    const wanted = candidates.flatMap((topic) =>
      [...(summit.low.get(topic) ?? [])]
        .filter(([p, low]) => low < (summit.high.get(topic)?.get(p) ?? 0))
        .map(([partition, low]) => ({ topic, partition, offset: low })),
    );
    const oldest = await d.readAt('summit', wanted);
    const young = new Set<string>();
    for (const w of wanted) {
      const r = oldest.get(partitionKey(w.topic, w.partition))?.[0];
      if (r && d.now - r.timestamp < graceMs) young.add(w.topic);
    }
    const v = evaluateCoverage({ summit: highSum, ldf: ldf.all, measurements: influx.measurements, young }, (t) => d.inScope(t));
    const measurements = {
      topics_summit: summit.topics.length,
      topics_ldf: ldf.topics.length,
      measurements: influx.measurements.size,
      topics_judged: v.judged,
      topics_empty: v.empty,
      topics_pending: v.pending.length,
      missing_at_ldf: v.missingAtLdf.length,
      missing_in_influxdb: v.missingInInflux.length,
    };
    const evidence = {
      missing_at_ldf: v.missingAtLdf.slice(0, EVIDENCE_MAX),
      missing_in_influxdb: v.missingInInflux.slice(0, EVIDENCE_MAX),
      pending: v.pending.slice(0, EVIDENCE_MAX),
      only_at_ldf: v.onlyLdf.slice(0, EVIDENCE_MAX),
      only_in_influxdb: v.onlyInflux.slice(0, EVIDENCE_MAX),
    };
    const missing = new Set([...v.missingAtLdf, ...v.missingInInflux]);
    if (missing.size) {
      const parts = [];
      if (v.missingAtLdf.length) parts.push(`${v.missingAtLdf.length} not at LDF Kafka (${listSome(v.missingAtLdf, 3)})`);
      if (v.missingInInflux.length) parts.push(`${v.missingInInflux.length} without a measurement in InfluxDB (${listSome(v.missingInInflux, 3)})`);
      return {
        status: 'fail',
        reason: 'missing',
        message: `${s(missing.size, 'topic')} of ${v.judged} with records at the Summit are missing: ${parts.join('; ')}.`,
        hint: v.missingAtLdf.length
          ? 'Missing at LDF: look at replicator-mirror-source (services.connect.state) and its `topics` pattern. '
          : 'Missing in InfluxDB: look at the sink (data.sink.lag, its topic pattern) and whether the LDF registry knows the schema ids — the sink drops records it cannot decode.',
        measurements,
        evidence,
      };
    }
    if (!v.judged && !v.pending.length)
      return emptyScope(`No topic in scope holds records at the Summit (${v.empty} empty)`, { measurements, evidence }, {
        reason: 'missing',
        hint: 'No CSC publishes, or the scope (data.topics.coverage.topics) matches no live topic: look at the Summit producers and the profile.',
      });
    if (!v.judged)
      return emptyScope(`All ${s(v.pending.length, 'topic')} with records at the Summit are younger than ${secs(graceMs)} and still on their way`, { measurements, evidence });
    return {
      status: 'pass',
      reason: 'ok',
      message:
        `All ${s(v.judged, 'topic')} with records at the Summit are at LDF and in InfluxDB` +
        (v.pending.length ? `; ${v.pending.length} younger than ${secs(graceMs)} still on their way` : '') +
        (v.empty ? `; ${v.empty} empty` : '') +
        '.',
      measurements,
      evidence,
    };
  }),
  { timeoutMs: TIMEOUT },
);

// ── freshness ─────────────────────────────────────────────────────────────────────────────────
check(
  'data.freshness.source',
  guarded(async () => {
    const d = data();
    const [summit, influx] = await Promise.all([d.summit(), d.influx()]);
    const liveSrc = threshold<string>('data.freshness.source', 'live_topics');
    let live: RegExp;
    try {
      live = new RegExp(liveSrc);
    } catch (e) {
      return { status: 'error', reason: 'internal', message: `threshold data.freshness.source.live_topics is not a valid regex: ${(e as Error).message}` };
    }
    const maxAgeMs = threshold<number>('data.freshness.source', 'max_age_s') * 1000;
    const topics = summit.topics.filter((t) => live.test(t));
    const v = staleSources(topics, summit.newest, influx.newest, d.now, maxAgeMs);
    const measurements = {
      live_topics: topics.length,
      topics_judged: v.judged,
      topics_stale: v.stale.length,
      topics_never_published: v.unknown.length,
      ...(v.stale.length ? { age_s_max: Math.round(v.stale[0].ageMs / 1000) } : {}),
    };
    const evidence = {
      stale: v.stale.slice(0, EVIDENCE_MAX).map((x) => ({ topic: x.topic, age_s: Math.round(x.ageMs / 1000) })),
      never_published: v.unknown.slice(0, EVIDENCE_MAX),
    };
    if (v.stale.length)
      return {
        status: 'fail',
        reason: 'stale',
        message: `${s(v.stale.length, 'live topic')} of ${v.judged} got no record for more than ${secs(maxAgeMs)}: ${listSome(
          v.stale.map((x) => `${x.topic} (${secs(x.ageMs)})`),
          3,
        )}.`,
        hint: 'The producer of these topics stopped (CSC offline, ts_salkafka producer down, or the Summit broker refused it). Narrow live_topics if these topics publish only on change.',
        measurements,
        evidence,
      };
    if (!v.judged)
      return emptyScope(`No live topic (live_topics) in scope has ever published`, { measurements, evidence }, {
        reason: 'stale',
        hint: 'No telemetry reaches the Summit broker: are the CSCs and their Kafka producers running?',
      });
    return { status: 'pass', reason: 'ok', message: `All ${s(v.judged, 'live topic')} got a record within ${secs(maxAgeMs)}.`, measurements, evidence };
  }),
  { timeoutMs: TIMEOUT },
);

check(
  'data.freshness.sink',
  guarded(async () => {
    const d = data();
    const [summit, influx] = await Promise.all([d.summit(), d.influx()]);
    const maxGapMs = threshold<number>('data.freshness.sink', 'max_gap_s') * 1000;
    const v = sinkBehind(summit.newest, influx.newest, d.now, maxGapMs);
    const measurements = {
      topics_judged: v.judged,
      topics_behind: v.behind.length,
      topics_in_flight: v.inFlight,
      ...(v.behind.length ? { gap_s_max: Math.round(v.behind[0].gapMs / 1000) } : {}),
    };
    const evidence = { behind: v.behind.slice(0, EVIDENCE_MAX).map((x) => ({ topic: x.topic, gap_s: Math.round(x.gapMs / 1000), waiting_s: Math.round(x.waitingMs / 1000) })) };
    if (v.behind.length)
      return {
        status: 'fail',
        reason: 'stale',
        message: `InfluxDB is more than ${secs(maxGapMs)} behind the Summit for ${s(v.behind.length, 'topic')} of ${v.judged}: ${listSome(
          v.behind.map((x) => `${x.topic} (${secs(x.gapMs)})`),
          3,
        )}.`,
        hint: 'Records reached the Summit but not InfluxDB: look at replication (services.connect.state) and the sink (data.sink.lag).',
        measurements,
        evidence,
      };
    if (!v.judged) return emptyScope('No topic in scope has records at the Summit and a measurement in InfluxDB', { measurements, evidence });
    return {
      status: 'pass',
      reason: 'ok',
      message: `For all ${s(v.judged, 'topic')}, InfluxDB holds data within ${secs(maxGapMs)} of the Summit's newest record.`,
      measurements,
      evidence,
    };
  }),
  { timeoutMs: TIMEOUT },
);

// ── completeness ──────────────────────────────────────────────────────────────────────────────
check(
  'data.completeness.window',
  guarded(async () => {
    const d = data();
    const windowMs = threshold<number>('data.completeness.window', 'window_s') * 1000;
    const end = d.now - threshold<number>('data.completeness.window', 'settle_s') * 1000;
    const start = end - windowMs;
    const group = threshold<string>('data.sink.lag', 'group');
    const [summit, ldf, influx] = await Promise.all([d.summit(), d.ldf(), d.influx()]);
    const [atStart, atEnd, ldfAtEnd, committed, counts] = await Promise.all([
      d.offsetsAt('summit', start),
      d.offsetsAt('summit', end),
      d.offsetsAt('ldf', end),
      d.committed(group),
      d.influxCounts(start, end),
    ]);
    const rows: WindowCounts[] = [];
    for (const topic of summit.topics) {
      if (!ldf.all.has(topic) || !influx.measurements.has(topic)) continue; // coverage's business
      let records = 0;
      for (const [p, e] of atEnd.get(topic) ?? []) records += Math.max(0, e - (atStart.get(topic)?.get(p) ?? e));
      let pending = false;
      for (const [p, e] of ldfAtEnd.get(topic) ?? []) if ((committed.get(topic)?.get(p) ?? 0) < e) pending = true;
      rows.push({ topic, records, points: counts.get(topic) ?? 0, pending });
    }
    const minRatio = threshold<number>('data.completeness.window', 'min_ratio');
    const v = evaluateCompleteness(rows, minRatio);
    const window = `${new Date(start).toISOString()} – ${new Date(end).toISOString()}`;
    const measurements = {
      window_s: windowMs / 1000,
      topics_judged: v.judged,
      topics_pending: v.pending,
      topics_incomplete: v.incomplete.length,
      records_summit: v.records,
      points_influxdb: v.points,
      ratio: Number(v.ratio.toFixed(6)),
      records_lost: v.records - v.points,
    };
    const evidence = {
      window,
      incomplete: v.incomplete.slice(0, EVIDENCE_MAX).map((x) => ({ topic: x.topic, records: x.records, points: x.points, ratio: Number(x.ratio.toFixed(4)) })),
    };
    if (v.incomplete.length)
      return {
        status: 'fail',
        reason: 'incomplete',
        message: `${s(v.incomplete.length, 'topic')} of ${v.judged} lost records in ${window}: ${listSome(
          v.incomplete.map((x) => `${x.topic} (${x.points}/${x.records})`),
          3,
        )}; overall ${v.points} of ${v.records} records reached InfluxDB.`,
        hint: 'The sink consumed past these records without writing them: records deleted or expired at LDF before the sink read them, undecodable records (unknown schema id), or InfluxDB write errors. A repairer sink from the earliest offsets can recover what LDF still holds.',
        measurements,
        evidence,
      };
    if (!v.records)
      return emptyScope(`No record was produced at the Summit in ${window} on the ${s(v.judged, 'topic')} present everywhere`, { measurements, evidence });
    return {
      status: 'pass',
      reason: 'ok',
      message:
        `${v.points} of ${v.records} records produced at the Summit in the last ${secs(windowMs)} are in InfluxDB (${s(v.judged, 'topic')})` +
        (v.pending ? `; ${v.pending} not yet consumed by the sink` : '') +
        '.',
      measurements,
      evidence,
    };
  }),
  { timeoutMs: TIMEOUT },
);

// ── sink consumer lag ─────────────────────────────────────────────────────────────────────────
check(
  'data.sink.lag',
  guarded(async () => {
    const d = data();
    const group = threshold<string>('data.sink.lag', 'group');
    const n = Math.max(2, Math.floor(threshold<number>('data.sink.lag', 'samples')));
    const interval = threshold<number>('data.sink.lag', 'interval_ms');
    const allowed = threshold<number>('data.sink.lag', 'allowed_lag');
    const maxLagMs = threshold<number>('data.sink.lag', 'max_lag_s') * 1000;
    const ldf = await d.ldf();
    const k = await d.client('ldf');
    const samples = new Map<string, LagSample[]>();
    let state: GroupState = { state: 'Dead', members: 0, assigned: 0 };
    for (let i = 0; i < n; i++) {
      if (i) await new Promise((r) => setTimeout(r, interval));
      const t = Date.now();
      const [committed, ends, st] = await Promise.all([d.committed(group), k.offsets(ldf.topics, 'latest'), k.groupState(group)]);
      state = st;
      for (const [topic, parts] of ends)
        for (const [p, end] of parts) {
          const key = partitionKey(topic, p);
          samples.set(key, [...(samples.get(key) ?? []), { t, committed: committed.get(topic)?.get(p) ?? end, end }]);
        }
    }
    const active = isGroupActive(state.state, state.members);
    const perPartition: Array<{ key: string; status: LagStatus; lag: number; committed: number }> = [];
    for (const [key, ss] of samples) {
      const last = ss[ss.length - 1];
      perPartition.push({ key, status: evaluatePartition(ss, active, allowed), lag: lagOf(last), committed: last.committed });
    }
    const status = worstStatus(perPartition.map((p) => p.status));
    // time lag: age of the oldest unconsumed record of each lagging partition
    const lagging = perPartition.filter((p) => p.lag > 0);
    const heads = await d.readAt(
      'ldf',
      lagging.map((p) => {
        const [topic, partition] = p.key.split('\u0000');
        return { topic, partition: Number(partition), offset: p.committed };
      }),
    );
    const now = Date.now();
    let maxAgeMs = 0;
    for (const p of lagging) {
      const r = heads.get(p.key)?.[0];
      if (r) maxAgeMs = Math.max(maxAgeMs, now - r.timestamp);
    }
    const totalLag = perPartition.reduce((a, p) => a + p.lag, 0);
    const worst = perPartition
      .filter((p) => p.status !== 'OK' || p.lag > 0)
      .sort((a, b) => b.lag - a.lag)
      .slice(0, 10)
      .map((p) => ({ partition: p.key.replace('\u0000', ':'), status: p.status, lag: p.lag }));
    const measurements = {
      partitions: perPartition.length,
      partitions_lagging: lagging.length,
      lag_records_total: totalLag,
      lag_records_max: lagging.reduce((a, p) => Math.max(a, p.lag), 0),
      lag_s_max: Math.round(maxAgeMs / 100) / 10,
      group_members: state.members,
    };
    const evidence = { status, group, group_state: state.state, samples: n, interval_ms: interval, worst };
    const counts = Object.entries(
      perPartition.reduce<Record<string, number>>((a, p) => ((a[p.status] = (a[p.status] ?? 0) + 1), a), {}),
    )
      .map(([k2, v]) => `${v} ${k2}`)
      .join(', ');
    const head = `Sink group ${group} (${state.state}, ${s(state.members, 'member')}) is ${status}: ${totalLag} records behind over ${s(perPartition.length, 'partition')} (${counts || 'none'})`;
    if (!perPartition.length) return emptyScope('No LDF topic is in scope, so the sink has no partition to be judged on', { measurements, evidence });
    if (status === 'STALL' || status === 'STOP' || status === 'REWIND' || maxAgeMs > maxLagMs)
      return {
        status: 'fail',
        reason: 'lag',
        message: `${head}, oldest unconsumed record ${secs(maxAgeMs)} old.`,
        hint:
          status === 'STOP'
            ? 'No sink consumer is connected: is Telegraf (or the InfluxDB sink connector) running?'
            : status === 'STALL'
              ? 'The sink is connected but does not move: look at its log for decode or InfluxDB write errors.'
              : status === 'REWIND'
                ? 'The committed offsets went backwards: someone reset the group or a second sink uses it.'
                : `The sink is more than ${secs(maxLagMs)} behind: it cannot keep up with the ingest rate.`,
        measurements,
        evidence,
      };
    if (warnsOn(status, maxAgeMs, threshold<number>('data.sink.lag', 'warn_min_lag_s') * 1000))
      return {
        status: 'warn',
        reason: 'lag',
        message: `${head}; the sink moves but its lag grew between every sample.`,
        hint: 'The sink is falling behind the ingest rate; watch whether it recovers.',
        measurements,
        evidence,
      };
    // no lag behind a sink that consumes nothing is no evidence that it keeps up
    if (!state.assigned)
      return emptyScope(`Sink group ${group} (${state.state}, ${s(state.members, 'member')}) is assigned no partition, so its lag says nothing`, { measurements, evidence }, {
        reason: 'lag',
        hint: 'No sink consumes the EFD topics: is Telegraf (or the InfluxDB sink connector) running, and does its topic pattern match?',
      });
    return { status: 'pass', reason: 'ok', message: `${head}.`, measurements, evidence };
  }),
  { timeoutMs: TIMEOUT },
);

// ── capacity ──────────────────────────────────────────────────────────────────────────────────
check(
  'data.capacity.days_left',
  guarded(async () => {
    const d = data();
    const windowS = threshold<number>('data.capacity.days_left', 'window_s');
    const budget = threshold<number>('data.capacity.days_left', 'budget_bytes');
    const minDays = threshold<number>('data.capacity.days_left', 'min_days_left');
    const warnDays = threshold<number>('data.capacity.days_left', 'warn_days_left');
    const summit = await d.summit();
    const atStart = await d.offsetsAt('summit', d.now - windowS * 1000);
    const topics = summit.topics.map((t) => {
      let records = 0;
      for (const [p, high] of summit.high.get(t) ?? []) records += Math.max(0, high - (atStart.get(t)?.get(p) ?? high));
      return { records, meanBytes: summit.meanBytes.get(t) };
    });
    const rate = ingestRate({ topics, windowS });
    const decl = defaultRetention(loadRetention(profile.manifests), profile.influxdb.database);
    const retentionHours = decl?.hours ?? 0;
    if (!rate.records)
      return emptyScope(`No record reached the Summit in the last ${secs(windowS * 1000)}, so there is no ingest rate to project`, { measurements: { ingest_records_window: 0, window_s: windowS } });
    const used = await usedBytes(profile).catch(() => undefined);
    const v = judgeCapacity({ bytesPerS: rate.bytesPerS, retentionHours, budgetBytes: budget, usedBytes: used ?? 0, minDaysLeft: minDays, warnDaysLeft: warnDays });
    const retentionText = decl ? `${hoursText(retentionHours)} (${decl.file}:${decl.line})` : 'none declared (infinite)';
    const measurements: Record<string, number> = {
      ingest_bytes_per_s: Math.round(rate.bytesPerS),
      ingest_records_window: rate.records,
      window_s: windowS,
      budget_bytes: budget,
      retention_hours: retentionHours,
      ...(used !== undefined ? { used_bytes: used } : {}),
      ...(v.daysLeft !== undefined ? { days_left: Number(Math.min(v.daysLeft, 1e6).toFixed(1)) } : {}),
      ...(v.steadyBytes !== undefined ? { steady_state_bytes: Math.round(v.steadyBytes) } : {}),
    };
    const basis =
      `Observed ${humanBytes(rate.bytesPerS, '/s')} over the last ${secs(windowS * 1000)} (${rate.records} records × sampled Avro payload size at the Summit; ` +
      `InfluxDB's on-disk size differs by its compression and index)`;
    const usedText = used !== undefined ? `${humanBytes(used)} used (SHOW STATS)` : 'used storage unknown (no admin credentials for SHOW STATS), counted as 0';
    const evidence = { retention: retentionText, used: usedText, basis: 'Σ topics (records in window × mean record size of a tail sample)' };
    if (v.status === 'pass')
      return {
        status: 'pass',
        reason: 'ok',
        message:
          `${basis}; ` +
          (v.daysLeft !== undefined
            ? `the ${humanBytes(budget)} budget lasts ${v.daysLeft > 36500 ? 'over 100 years' : `${v.daysLeft.toFixed(0)} days`} (${usedText}; retention ${retentionText}).`
            : v.steadyBytes !== undefined
              ? `with retention ${hoursText(retentionHours)} the data levels off at ${humanBytes(v.steadyBytes)} of the ${humanBytes(budget)} budget.`
              : `nothing accumulates; ${usedText}.`),
        measurements,
        evidence,
      };
    return {
      status: v.status,
      reason: 'capacity',
      message: `${basis}; the ${humanBytes(budget)} budget is full in ${v.daysLeft!.toFixed(1)} days (${usedText}; retention ${retentionText}).`,
      hint:
        v.steadyBytes !== undefined
          ? `At this rate the retention needs ${humanBytes(v.steadyBytes)}: shorten the retention, downsample, or grow the storage.`
          : 'With no finite retention the budget fills for sure: declare a retention policy, or plan the storage growth.',
      measurements,
      evidence,
    };
  }),
  { timeoutMs: TIMEOUT },
);

check('data.capacity.requirement', async () => {
  const rate = threshold<number>('data.capacity.requirement', 'rate_bytes_per_s');
  const days = threshold<number>('data.capacity.requirement', 'period_days');
  const budget = threshold<number>('data.capacity.requirement', 'budget_bytes');
  const accepted = threshold<boolean>('data.capacity.requirement', 'accepted');
  const need = projection(rate, days);
  const measurements = {
    rate_bytes_per_s: rate,
    period_days: days,
    projected_bytes: Math.round(need),
    budget_bytes: budget,
    projected_over_budget: Number((need / budget).toFixed(2)),
  };
  const statement = `At the OCS-REQ-0048 mean rate of ${humanBytes(rate, '/s')}, ${days} days of data need ${humanBytes(need)} (${rate} B/s × 86400 s × ${days} d); the budget is ${humanBytes(budget)}`;
  if (need <= budget) return { status: 'pass', reason: 'ok', message: `${statement}: it fits.`, measurements };
  return {
    status: accepted ? 'warn' : 'fail',
    reason: 'capacity',
    message: `${statement}, ${(need / budget).toFixed(1)}× short${accepted ? '; the plan accepts this for phase 1, when only a few subsystems operate' : ''}.`,
    hint: 'The plan sizes phase 1 on observed Summit volumes (data.capacity.days_left); phase 2 must bring aggregation or long-term storage.',
    measurements,
  };
});
