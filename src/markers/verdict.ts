// Judges one replication run: one outcome per check of the replication suite. Each hop is judged on its
// own facts, so a fault shows in exactly the check of the hop it broke: a hop whose input never arrived is
// skipped, not failed.
import type { Outcome } from '../suite.ts';
import { carries, describeFilter, describePolicy, whereDeclared } from '../model/replication.ts';
import type { ProbeError } from '../probes/errors.ts';
import type { ReplicationRun } from './run.ts';
import { histogramSeries, latencyMeasurements, summarize, timelineSeries } from './stats.ts';
import type { MarkerState } from './tracker.ts';

export const REPLICATION_CHECK_IDS = [
  'replication.preflight.topic_patterns',
  'replication.preflight.live_policy',
  'replication.preflight.marker_topic',
  'replication.preflight.schema',
  'replication.marker.replication_hop',
  'replication.marker.sink_hop',
  'replication.marker.e2e_latency',
  'replication.marker.duplicates',
  'replication.marker.influx_time',
  'replication.marker.mm2_crosscheck',
] as const;
export type ReplicationCheckId = (typeof REPLICATION_CHECK_IDS)[number];

const UNREACHABLE = new Set(['refused', 'connect', 'timeout', 'dns', 'unreachable']);
const skip = (message: string): Outcome => ({ status: 'skip', reason: 'skipped', message });
const ms = (x: number) => `${Math.round(x)} ms`;
/** latency in a sentence: 0.1 ms is plenty next to a 50 ms poll (measurements keep µs) */
const f1 = (x: number) => (Math.round(x * 10) / 10).toString();
const ids = (xs: number[]) => (xs.length > 8 ? `${xs.slice(0, 8).join(', ')} …` : xs.join(', '));

function notRun(run: ReplicationRun): string | undefined {
  switch (run.stoppedAt) {
    case 'route': return 'not run: the marker topic has no route through the manifests (see replication.preflight.topic_patterns)';
    case 'topic': return 'not run: the marker topic is not usable at the Summit (see replication.preflight.marker_topic)';
    case 'schema': return 'not run: the marker schema could not be registered at the Summit (see replication.preflight.schema)';
    default: return undefined;
  }
}

function topicPatterns(run: ReplicationRun): Outcome {
  if (run.routeError) return { status: 'error', reason: 'schema', message: run.routeError };
  const r = run.route;
  if (!r) {
    const none = run.routeProblems.some((p) => p.startsWith('the manifests declare no'));
    return {
      status: 'fail',
      reason: none ? 'missing' : 'policy',
      message: `marker topic ${run.topic} cannot get from the Summit to InfluxDB: ${run.routeProblems[0]}`,
      hint: run.routeProblems.length > 1 ? run.routeProblems.slice(1).join('; ') : 'put the marker topic in the namespace the replication and the sink both carry (markers.topic in the profile)',
      evidence: { topic: run.topic, problems: run.routeProblems },
    };
  }
  const source = run.live?.replications?.length ? `live on ${run.live.url}` : 'as the manifests declare it';
  return {
    status: 'pass',
    reason: 'ok',
    message:
      `${r.summitTopic} → ${r.replication.name} [${describePolicy(r.replication)}, ${source}] → ${r.ldfTopic} at LDF → ` +
      `${r.sink.name} → measurement ${r.measurement}`,
    evidence: {
      summit_topic: r.summitTopic,
      ldf_topic: r.ldfTopic,
      measurement: r.measurement,
      replication: { name: r.replication.name, kind: r.replication.kind, file: whereDeclared(r.replication), topics: describeFilter(r.replication.filter) },
      sink: { name: r.sink.name, kind: r.sink.kind, file: whereDeclared(r.sink), topics: describeFilter(r.sink.filter), consumer_group: r.sink.consumerGroup, timestamp: r.sink.timestampField },
    },
  };
}

function livePolicy(run: ReplicationRun): Outcome {
  const live = run.live;
  if (!live) return skip('not run: the manifests could not be read (see replication.preflight.topic_patterns)');
  if (live.error)
    return skip(`the replication's live config cannot be read from Connect at ${live.url} (${live.error}); the run routed markers by the manifests' policy`);
  const reps = live.replications ?? [];
  const evidence = {
    connect: live.url,
    live: reps.map((r) => ({ name: r.name, policy: describePolicy(r), topics: describeFilter(r.filter) })),
    drift: live.drift,
  };
  const expected = run.route ? `; markers go to ${run.route.ldfTopic} at LDF` : '';
  if (live.drift.length)
    return {
      status: 'fail',
      reason: 'drift',
      message: `the replication runs otherwise than the manifests declare: ${live.drift.join('; ')}${expected}`,
      hint:
        run.declaredLdfTopic && run.route && run.declaredLdfTopic !== run.route.ldfTopic
          ? `the manifests' policy names the LDF topic ${run.declaredLdfTopic}, the live one ${run.route.ldfTopic}: everything keyed on the LDF name (the sink's topic patterns, dashboards, consumers) follows one or the other; re-sync the connector from the manifests (Argo CD) or change the manifests`
          : 're-sync the connector from the manifests (Argo CD), or change the manifests to what runs',
      evidence,
    };
  if (!reps.length) return skip(`no replication connector runs on Connect at ${live.url}, and the manifests declare none there`);
  return {
    status: 'pass',
    reason: 'ok',
    message: `${reps.map((r) => `${r.name} runs with ${describePolicy(r)}, topics ${describeFilter(r.filter)}`).join('; ')}, as the manifests declare${expected}`,
    evidence,
  };
}

function markerTopic(run: ReplicationRun, production: boolean): Outcome {
  if (run.stoppedAt === 'route') return skip(notRun(run)!);
  const t = run.summitTopic!;
  if (t.error) return { status: 'error', reason: t.error.reason, message: `the Summit broker cannot be used: ${t.error.message}`, hint: 'is the Summit Kafka reachable from this vantage?' };
  if (t.missingOnProduction)
    return {
      status: 'fail',
      reason: 'missing',
      message: `marker topic ${run.topic} does not exist at the Summit, and on a production profile efd-health creates nothing`,
      hint: `create ${run.topic} (one partition per broker) in the Summit's topic manifests, inside the replicated namespace`,
    };
  return {
    status: 'pass',
    reason: 'ok',
    message: t.created
      ? `created marker topic ${run.topic} with ${t.partitions} partition(s) (non-production profile)`
      : `marker topic ${run.topic} exists with ${t.partitions} partition(s)`,
    measurements: { partitions: t.partitions },
    evidence: { created: t.created, production },
  };
}

function schema(run: ReplicationRun): Outcome {
  if (run.stoppedAt === 'route' || run.stoppedAt === 'topic') return skip(notRun(run)!);
  const s = run.schema!;
  if (s.error)
    return {
      status: 'error',
      reason: s.error.reason,
      message: `the marker schema cannot be registered at the Summit registry, so no marker was sent: ${s.error.message}`,
      hint: 'the Summit schema registry must answer before markers can be produced in the EFD Avro format',
    };
  const subject = `${run.topic}-value`;
  if (!s.ldfKnown)
    return {
      status: 'fail',
      reason: s.ldfError ? (UNREACHABLE.has(s.ldfError.reason) ? 'unreachable' : s.ldfError.reason) : 'not_arrived',
      message: s.ldfError
        ? `the LDF registry cannot be asked for schema id ${s.id}: ${s.ldfError.message}`
        : `the LDF registry does not know schema id ${s.id} (${subject}) after ${ms(s.ldfWaitMs ?? 0)}; a sink cannot decode markers with it`,
      hint: 'the registry storage topic (_schemas / kafkasql-journal) must be replicated to LDF like the data topics',
      measurements: { schema_id: s.id!, ldf_wait_ms: Math.round(s.ldfWaitMs ?? 0) },
    };
  return {
    status: 'pass',
    reason: 'ok',
    message: `schema id ${s.id} registered under ${subject} at the Summit; the LDF registry resolved it after ${ms(s.ldfWaitMs ?? 0)}`,
    measurements: { schema_id: s.id!, ldf_wait_ms: Math.round(s.ldfWaitMs ?? 0) },
  };
}

/** Why markers under another LDF name matter: whether the sink still reads that name. */
function renamedWhy(run: ReplicationRun, topic: string): string {
  const route = run.route!;
  const policy = run.live?.replications?.length ? 'the live replication policy' : "the manifests' replication policy (the live config could not be read)";
  const sink = carries(route.sink.filter, topic)
    ? `the sink ${route.sink.name} reads ${topic} too (topics ${describeFilter(route.sink.filter)}), so data may still reach InfluxDB, but under an LDF name nothing declared`
    : `the sink ${route.sink.name} does not read ${topic} (topics ${describeFilter(route.sink.filter)}), so the Summit's data stops at LDF Kafka`;
  return `the replication wrote them under another name than ${policy} gives (${route.ldfTopic}): a changed replication.policy.class, alias or topic.rename.format; ${sink}`;
}

/** Where else the markers were looked for, when they were not found. */
function searchedSentence(run: ReplicationRun): string | undefined {
  const e = run.elsewhere;
  if (!e) return undefined;
  if (e.error) return `other LDF topics could not be searched for them: ${e.error}`;
  return e.searched.length ? `not under ${e.searched.join(', ')} either` : undefined;
}

/** "within 12000 ms", or the shorter wait when the run ended before a marker's deadline. */
function waited(waitedMs: number | undefined, deadlineMs: number): string {
  return waitedMs === undefined || waitedMs >= deadlineMs ? `the ${ms(deadlineMs)} deadline` : `the ${ms(waitedMs)} the run waited (deadline ${ms(deadlineMs)})`;
}

/** Markers InfluxDB has that the LDF tail never read, and what the tail saw meanwhile. */
function unobservedSentence(run: ReplicationRun): string {
  const hop = run.report!.replication;
  const events = run.ldf?.tailEvents ?? [];
  const why = events.length
    ? `the LDF tail lost sight of ${run.route!.ldfTopic}: ${events
        .slice(0, 3)
        .map((e) => `at ${e.at_ms >= 0 ? '+' : ''}${e.at_ms} ms${e.partition === undefined ? '' : ` partition ${e.partition}`} ${e.what}`)
        .join('; ')}`
    : `the LDF tail read no record of them from ${run.route!.ldfTopic} (start offsets ${JSON.stringify(run.ldf?.startOffsets ?? {})})`;
  return `${hop.unobserved} more (markers ${ids(hop.unobservedIds)}) reached InfluxDB without being seen at LDF Kafka, so they were not lost there, only unobserved: ${why}`;
}

function reasonOfLoss(arrivedOrLate: number): 'not_arrived' | 'lost' {
  return arrivedOrLate === 0 ? 'not_arrived' : 'lost';
}

function replicationHop(run: ReplicationRun): Outcome {
  const why = notRun(run);
  if (why) return skip(why);
  const th = run.thresholds;
  const ldfTopic = run.route!.ldfTopic;
  if (run.ldf?.error)
    return {
      status: 'fail',
      reason: run.ldf.error.reason === 'internal' ? 'unreachable' : run.ldf.error.reason,
      message: `markers cannot be seen at LDF Kafka, so none was sent: ${run.ldf.error.message}`,
      hint: 'is the LDF Kafka up and reachable from this vantage?',
    };
  if (run.ldf?.topicMissing)
    return {
      status: 'fail',
      reason: 'not_arrived',
      message: `the replication did not create ${ldfTopic} at LDF within ${ms(th.topicWaitMs)}, so no marker was sent`,
      hint: run.replicationHint ?? 'the replication connectors create remote topics on their topic refresh',
    };
  const r = run.report!;
  if (!r.sent)
    return {
      status: 'error',
      reason: run.injectError?.reason ?? 'connect',
      message: `no marker could be produced at the Summit: ${run.injectError?.message ?? 'unknown error'}`,
    };
  const hop = r.replication;
  const s = summarize(hop.latenciesMs);
  const measurements = {
    markers_sent: r.sent,
    markers_arrived: hop.arrived,
    markers_late: hop.late,
    markers_lost: hop.lost,
    markers_unobserved: hop.unobserved,
    sla_ms: th.replicationSlaMs,
    ...latencyMeasurements('', s),
  };
  const series = [histogramSeries('replication_latency_ms', hop.latenciesMs, th.replicationSlaMs), timelineSeries('replication_latency_ms', hop.timeline)];
  const stats = `p50 ${f1(s.p50_ms)} ms, p99 ${f1(s.p99_ms)} ms, max ${f1(s.max_ms)} ms`;
  const evidence = {
    run_id: run.runId,
    ldf_topic: ldfTopic,
    lost_ids: hop.lostIds,
    late_ids: hop.lateIds,
    unobserved_ids: hop.unobservedIds,
    send_failed: r.sendFailed,
    start_offsets: run.ldf?.startOffsets,
    ...(run.ldf?.tailEvents?.length ? { tail_events: run.ldf.tailEvents } : {}),
  };
  const unseen = hop.unobserved ? `; ${unobservedSentence(run)}` : '';
  const found = run.elsewhere?.found ?? [];
  if ((hop.lost || hop.unobserved) && found.length)
    return {
      status: 'fail',
      reason: 'policy',
      message:
        `${hop.lost + hop.unobserved} of ${r.sent} markers did not reach ${ldfTopic} at LDF Kafka: they arrived under ` +
        `${found.map((f) => `${f.topic} (${f.markers})`).join(', ')} instead${hop.unobserved ? `, and ${hop.unobserved} of them reached InfluxDB through it` : ''}`,
      hint: `${renamedWhy(run, found[0].topic)}${run.replicationHint ? `; ${run.replicationHint}` : ''}`,
      measurements,
      evidence: { ...evidence, found_under: found, searched: run.elsewhere!.searched },
      series,
    };
  if (hop.lost)
    return {
      status: 'fail',
      reason: reasonOfLoss(hop.arrived + hop.late + hop.unobserved),
      message: `${hop.lost} of ${r.sent} markers did not reach ${ldfTopic} at LDF Kafka in ${waited(hop.waitedMs, th.deadlineMs)} (markers ${ids(hop.lostIds)})${unseen}`,
      hint: [run.replicationHint, searchedSentence(run)].filter(Boolean).join('; ') || undefined,
      measurements,
      evidence,
      series,
    };
  if (hop.late)
    return {
      status: 'fail',
      reason: 'late',
      message: `${hop.late} of ${r.sent} markers reached LDF Kafka after the ${ms(th.replicationSlaMs)} SLA (${stats})${unseen}`,
      hint: run.replicationHint,
      measurements,
      evidence,
      series,
    };
  if (hop.unobserved)
    return {
      status: 'warn',
      reason: 'unobserved',
      message: `${hop.arrived} of ${r.sent} markers timed at LDF Kafka${hop.arrived ? ` within the ${ms(th.replicationSlaMs)} SLA (${stats})` : ''}; ${unobservedSentence(run)}`,
      hint: 'the replication delivered them (they are in InfluxDB), so nothing was lost; only their replication latency is unknown',
      measurements,
      evidence,
      series,
    };
  return {
    status: 'pass',
    reason: 'ok',
    message: `${hop.arrived}/${r.sent} markers at LDF Kafka within the ${ms(th.replicationSlaMs)} SLA (${stats})`,
    measurements,
    evidence,
    series,
  };
}

/** Facts of this run that explain a slow or missing sink, prepended to the sink's state. */
function sinkContext(run: ReplicationRun, hint: string | undefined): string | undefined {
  const notes: string[] = [];
  if (run.schema && run.schema.id !== undefined && !run.schema.ldfKnown)
    notes.push(`the LDF registry did not know schema id ${run.schema.id} when the markers were sent, so a sink could not decode them`);
  if (run.summitTopic?.created)
    notes.push('this run created the marker topic: a sink that picks topics up only at start (Telegraf) or on a periodic refresh may not read it yet');
  const all = [...notes, ...(hint ? [hint] : [])];
  return all.length ? all.join('; ') : undefined;
}

function sinkHop(run: ReplicationRun): Outcome {
  const why = notRun(run);
  if (why || run.stoppedAt) return skip(why ?? 'not run: markers could not be followed at LDF Kafka (see replication.marker.replication_hop)');
  const r = run.report!;
  const hop = r.sink;
  if (!hop.expected) return skip('no marker reached LDF Kafka, so the sink had nothing to carry (see replication.marker.replication_hop)');
  const th = run.thresholds;
  const s = summarize(hop.latenciesMs);
  const q = summarize(run.influx!.queryMs);
  const measurements = {
    markers_at_ldf: hop.expected,
    markers_in_influxdb: hop.arrived,
    markers_lost: hop.lost,
    poll_interval_ms: th.pollIntervalMs,
    resolution_ms: th.pollIntervalMs,
    influx_polls: run.influx!.polls,
    influx_query_ms_p50: q.p50_ms,
    ...latencyMeasurements('', s),
  };
  const series = [histogramSeries('sink_latency_ms', hop.latenciesMs), timelineSeries('sink_latency_ms', hop.timeline)];
  const where = `measurement ${run.route!.measurement} in InfluxDB`;
  const evidence = { run_id: run.runId, measurement: run.route!.measurement, lost_ids: hop.lostIds };
  if (hop.lost) {
    const err: ProbeError | undefined = run.influx!.lastError ?? run.influx!.readyError;
    if (err && UNREACHABLE.has(err.reason))
      return {
        status: 'fail',
        reason: err.reason,
        message: `InfluxDB is unreachable (${err.message}); ${hop.lost} of ${hop.expected} markers at LDF Kafka could not be confirmed in ${where}`,
        hint: sinkContext(run, run.sinkHint),
        measurements,
        evidence,
      };
    if (err && (err.reason === 'auth' || err.reason === 'missing' || err.reason === 'http_status'))
      return {
        status: 'fail',
        reason: err.reason === 'missing' ? 'http_status' : err.reason,
        message: `InfluxDB cannot be queried with the read-only user: ${err.message}`,
        hint: sinkContext(run, run.sinkHint) ?? 'check profile influxdb.read and the database name',
        measurements,
        evidence,
      };
    return {
      status: 'fail',
      reason: reasonOfLoss(hop.arrived),
      message: `${hop.lost} of ${hop.expected} markers read at LDF Kafka are not in ${where} in ${waited(hop.waitedMs, th.deadlineMs)} after their produce ack (markers ${ids(hop.lostIds)})`,
      hint: sinkContext(run, run.sinkHint),
      measurements,
      evidence,
      series,
    };
  }
  return {
    status: 'pass',
    reason: 'ok',
    message: `${hop.arrived}/${hop.expected} markers from LDF Kafka in ${where} (p50 ${f1(s.p50_ms)} ms, max ${f1(s.max_ms)} ms; resolution ${th.pollIntervalMs} ms)`,
    measurements,
    evidence,
    series,
  };
}

function e2eLatency(run: ReplicationRun): Outcome {
  const why = notRun(run);
  if (why || run.stoppedAt) return skip(why ?? 'not run (see replication.marker.replication_hop)');
  const r = run.report!;
  const hop = r.e2e;
  if (!hop.latenciesMs.length) return skip('no marker reached InfluxDB, so there is no end-to-end latency (see the hop checks)');
  const th = run.thresholds;
  const e = summarize(hop.latenciesMs);
  const rep = summarize(r.replication.latenciesMs);
  const sink = summarize(r.sink.latenciesMs);
  const measurements = {
    markers_complete: hop.arrived + hop.late,
    markers_late: hop.late,
    sla_ms: th.e2eSlaMs,
    deadline_ms: th.deadlineMs,
    resolution_ms: th.pollIntervalMs,
    ...latencyMeasurements('', e),
    ...latencyMeasurements('replication_', rep),
    ...latencyMeasurements('sink_', sink),
    run_ms: Math.round(run.timings.total_ms),
    gate_ms: Math.round(run.timings.gate_ms ?? 0),
    ...(run.timings.verdict_delay_ms !== undefined ? { verdict_delay_ms: Math.round(run.timings.verdict_delay_ms * 10) / 10 } : {}),
  };
  const series = [histogramSeries('e2e_latency_ms', hop.latenciesMs, th.e2eSlaMs), timelineSeries('e2e_latency_ms', hop.timeline)];
  const stats = `p50 ${f1(e.p50_ms)} ms, p95 ${f1(e.p95_ms)} ms, p99 ${f1(e.p99_ms)} ms, max ${f1(e.max_ms)} ms`;
  if (hop.late)
    return {
      status: 'fail',
      reason: 'late',
      message: `${hop.late} of ${hop.arrived + hop.late} markers took longer than the ${ms(th.e2eSlaMs)} end-to-end SLA (${stats})`,
      hint: sinkContext(
        run,
        rep.count && sink.count
          ? `replication hop p99 ${f1(rep.p99_ms)} ms, sink hop p99 ${f1(sink.p99_ms)} ms: the slower hop is the ${rep.p99_ms >= sink.p99_ms ? 'replication' : 'sink (flush interval, InfluxDB write time)'}`
          : 'the hops were not each timed (see replication.marker.replication_hop), so the slower one is not known',
      ),
      measurements,
      evidence: { run_id: run.runId, late_ids: hop.lateIds },
      series,
    };
  return {
    status: 'pass',
    reason: 'ok',
    message: `Summit → InfluxDB ${stats} over ${hop.arrived} markers (SLA ${ms(th.e2eSlaMs)}, resolution ${th.pollIntervalMs} ms)`,
    measurements,
    evidence: { run_id: run.runId },
    series,
  };
}

function duplicates(run: ReplicationRun): Outcome {
  const why = notRun(run);
  if (why || run.stoppedAt) return skip(why ?? 'not run (see replication.marker.replication_hop)');
  const r = run.report!;
  if (!r.sink.expected) return skip('no marker reached LDF Kafka');
  const measurements = { duplicates: r.duplicates, foreign_records: r.foreign };
  if (r.duplicates > run.thresholds.maxDuplicates)
    return {
      status: 'fail',
      reason: 'duplicate',
      message: `${r.duplicates} duplicate deliver${r.duplicates === 1 ? 'y' : 'ies'} at LDF Kafka (markers ${ids(r.duplicateIds)} read at more than one offset)`,
      hint: duplicateOrigin(run),
      measurements,
      evidence: { run_id: run.runId, duplicate_ids: r.duplicateIds, copies_at_summit: run.sourceCopies?.copies, summit_read_error: run.sourceCopies?.error },
    };
  return { status: 'pass', reason: 'ok', message: `no marker delivered twice at LDF Kafka (${r.foreign} records of other runs ignored)`, measurements };
}

/** Where the duplicates were born, from the copies read back at the Summit; said unknown when not read. */
function duplicateOrigin(run: ReplicationRun): string {
  const r = run.report!;
  const src = run.sourceCopies;
  const note = ' (InfluxDB overwrites identical points; other consumers of the LDF topic may not)';
  if (!src || src.error) return `where the copies were born is not known: the Summit topic could not be read back (${src?.error ?? 'its offsets before the run were not read'})${note}`;
  const atSource = r.duplicateIds.filter((id) => (src.copies[id] ?? 0) > 1);
  const byHop = r.duplicateIds.filter((id) => (src.copies[id] ?? 0) <= 1);
  const parts: string[] = [];
  if (atSource.length)
    parts.push(`produced twice at the Summit: ${atSource.map((id) => `marker ${id} has ${src.copies[id]} copies in ${run.topic} there`).join(', ')}; the replication carried each copy once, so look at the producer (a retry without idempotence)`);
  if (byHop.length)
    parts.push(`redelivered by the replication: ${byHop.map((id) => `marker ${id} has ${src.copies[id] ?? 0} cop${(src.copies[id] ?? 0) === 1 ? 'y' : 'ies'} at the Summit`).join(', ')} but more at LDF (at-least-once: a replication task restarted or retried without idempotence)`);
  return parts.join('; ') + note;
}

function influxTime(run: ReplicationRun): Outcome {
  const why = notRun(run);
  if (why || run.stoppedAt) return skip(why ?? 'not run (see replication.marker.replication_hop)');
  const r = run.report!;
  const inInflux = r.e2e.arrived + r.e2e.late + r.timeMismatches.filter((m) => r.e2e.lostIds.includes(m.id)).length;
  if (!inInflux) return skip('no marker reached InfluxDB (see replication.marker.sink_hop)');
  const field = run.route!.sink.timestampField;
  if (r.timeMismatches.length) {
    const m = r.timeMismatches[0];
    const iso = (us: number) => new Date(us / 1000).toISOString();
    return {
      status: 'fail',
      reason: 'schema',
      message:
        `${r.timeMismatches.length} marker point(s) have a time other than their private_efdStamp: marker ${m.id} is at ` +
        `${iso(m.got_us)} (${m.got_us} µs) but was stamped ${iso(m.expected_us)} (${m.expected_us} µs)`,
      hint: `the sink must take the time from private_efdStamp in µs (Telegraf avro_timestamp = "private_efdStamp", avro_timestamp_format = "unix"; KCQL WITHTIMESTAMP private_efdStamp TIMESTAMPUNIT=MICROSECONDS); the manifests say ${field ? `"${field}"` : 'nothing'}`,
      measurements: { mismatched_points: r.timeMismatches.length, max_error_us: Math.max(...r.timeMismatches.map((x) => Math.abs(x.got_us - x.expected_us))) },
      evidence: { mismatches: r.timeMismatches.slice(0, 5), sink_timestamp_field: field },
    };
  }
  return {
    status: 'pass',
    reason: 'ok',
    message: `every marker point is at its private_efdStamp (±${run.thresholds.timeToleranceUs} µs) in InfluxDB`,
    measurements: { points_checked: inInflux },
  };
}

/** The marker that MirrorMaker 2 committed last on a partition: the highest LDF offset among this run's. */
function lastOnPartition(run: ReplicationRun, partition: number): MarkerState | undefined {
  const t = run.tracker!;
  let best: MarkerState | undefined;
  for (let id = 0; ; id++) {
    const m = t.get(id);
    if (!m) break;
    const s = m.ldf[0];
    if (!s || s.partition !== partition || m.ackAt === undefined) continue;
    if (!best || BigInt(s.offset) > BigInt(best.ldf[0].offset)) best = m;
  }
  return best;
}

function mm2Crosscheck(run: ReplicationRun, jmxConfigured: boolean): Outcome {
  const why = notRun(run);
  if (why || run.stoppedAt) return skip(why ?? 'not run (see replication.marker.replication_hop)');
  if (run.route!.replication.kind !== 'mirrormaker2') return skip(`the replication is ${run.route!.replication.kind}, which has no replication-latency-ms metric`);
  if (!jmxConfigured) return skip('profile connect.jmx is not set: MirrorMaker 2 metrics cannot be read');
  const j = run.jmx;
  if (!j) return skip('no marker reached LDF Kafka to compare with');
  if (j.error)
    return j.error.reason === 'missing'
      ? { status: 'warn', reason: 'missing', message: `MirrorMaker 2 metrics cannot be read from here: ${j.error.message}` }
      : { status: 'error', reason: j.error.reason, message: `MirrorMaker 2 metrics cannot be read: ${j.error.message}`, hint: 'Connect must run with remote JMX (JMX_PORT) reachable at profile connect.jmx' };
  const tol = run.thresholds.jmxToleranceMs;
  const rows = (j.readings ?? [])
    .filter((x) => x.attributes['replication-latency-ms'] !== undefined && x.keys.partition !== undefined)
    .map((x) => {
      const partition = Number(x.keys.partition);
      const m = lastOnPartition(run, partition);
      if (!m) return undefined;
      const measured = m.ldf[0].at - m.ackAt!;
      const ack = m.ackAt! - m.sentAt;
      const mm2 = x.attributes['replication-latency-ms'];
      return { partition, marker: m.id, mm2_ms: mm2, measured_ms: measured, produce_ack_ms: ack, difference_ms: mm2 - (measured + ack) };
    })
    .filter((x): x is NonNullable<typeof x> => !!x);
  if (!rows.length)
    return {
      status: 'warn',
      reason: 'missing',
      message: `no MirrorSourceConnector replication-latency-ms for ${run.route!.ldfTopic} over JMX`,
      evidence: { mbeans: (j.readings ?? []).map((x) => x.name) },
    };
  const worst = rows.reduce((a, b) => (Math.abs(b.difference_ms) > Math.abs(a.difference_ms) ? b : a));
  const round = (x: number) => Math.round(x * 10) / 10;
  const measurements = {
    mm2_replication_latency_ms: worst.mm2_ms,
    measured_replication_latency_ms: round(worst.measured_ms),
    produce_ack_ms: round(worst.produce_ack_ms),
    difference_ms: round(worst.difference_ms),
    tolerance_ms: tol,
  };
  const evidence = { partitions: rows.map((x) => ({ ...x, measured_ms: round(x.measured_ms), produce_ack_ms: round(x.produce_ack_ms), difference_ms: round(x.difference_ms) })) };
  const text = `MM2 replication-latency-ms ${worst.mm2_ms} vs measured ${round(worst.measured_ms)} ms + produce ack ${round(worst.produce_ack_ms)} ms (partition ${worst.partition}, marker ${worst.marker})`;
  if (Math.abs(worst.difference_ms) > tol)
    return {
      status: 'fail',
      reason: 'drift',
      message: `${text}: they differ by ${round(worst.difference_ms)} ms, more than ${tol} ms`,
      hint: "MM2 counts from the record's CreateTime on the runner's clock to the LDF ack on the Connect worker's clock: a clock offset between the two hosts, or a stalled MM2 task, shows here",
      measurements,
      evidence,
    };
  return { status: 'pass', reason: 'ok', message: `${text}: within ${tol} ms`, measurements, evidence };
}

export function judge(run: ReplicationRun, ctx: { production: boolean; jmxConfigured: boolean }): Record<ReplicationCheckId, Outcome> {
  return {
    'replication.preflight.topic_patterns': topicPatterns(run),
    'replication.preflight.live_policy': livePolicy(run),
    'replication.preflight.marker_topic': markerTopic(run, ctx.production),
    'replication.preflight.schema': schema(run),
    'replication.marker.replication_hop': replicationHop(run),
    'replication.marker.sink_hop': sinkHop(run),
    'replication.marker.e2e_latency': e2eLatency(run),
    'replication.marker.duplicates': duplicates(run),
    'replication.marker.influx_time': influxTime(run),
    'replication.marker.mm2_crosscheck': mm2Crosscheck(run, ctx.jmxConfigured),
  };
}
