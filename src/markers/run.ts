// One replication probe run: route the marker topic through the manifests, make sure the topic and the
// schema are in place, open the LDF tail (readiness gate), inject N markers at the Summit, follow them to
// LDF Kafka and into InfluxDB until every marker has arrived or passed its deadline, then gather hints
// for the hops that failed and MirrorMaker 2's own latency. It gathers facts; verdict.ts judges them.
import { randomBytes } from 'node:crypto';
import { readCredentials } from '../config/secrets.ts';
import type { Profile } from '../config/types.ts';
import { InputError } from '../errors.ts';
import { loadReplicationModel, routeMarker, type MarkerRoute, type ReplicationModel } from '../model/replication.ts';
import { ProbeError } from '../probes/errors.ts';
import { writeCounters } from '../probes/influx.ts';
import { readMBeans, type MBeanReading } from '../probes/jmx.ts';
import { describeCluster, ensureTopic, listTopics, openTail, topicOffsets, type OffsetFacts, type Tail } from '../probes/kafka.ts';
import { hasSchemaId } from '../probes/registry.ts';
import { replicationHint, sinkHint, type WriteCounterSpan } from './hints.ts';
import { markerPoints, type InfluxTarget } from './influx-watch.ts';
import { injectMarkers, registerMarkerSchema } from './injector.ts';
import { decodeWire, markerType } from './schema.ts';
import { readLivePolicy, type LivePolicy } from './live-policy.ts';
import { copiesAtSource, markersElsewhere, type Elsewhere, type SourceCopies } from './read-back.ts';
import { markerThresholds, type MarkerThresholds } from './thresholds.ts';
import { MarkerTracker, type TrackerReport } from './tracker.ts';

export interface RunOptions {
  runId?: string;
  /** markers to send (default profile.markers.count) */
  count?: number;
  /** ms between two sends */
  spacingMs?: number;
  /** progress lines (debugging, the soak script) */
  log?: (line: string) => void;
  /** called with every record the LDF tail reads (tests) */
  onLdfRecord?: (partition: number, offset: string) => void;
  /** awaited once the tail is at the LDF topic's end, before the first marker is sent (tests break things here) */
  onReady?: () => Promise<void>;
}

/** Why the run stopped before injecting, if it did. */
export type StopPoint = 'route' | 'topic' | 'schema' | 'ldf';

export interface ReplicationRun {
  runId: string;
  thresholds: MarkerThresholds;
  topic: string;
  route?: MarkerRoute;
  routeProblems: string[];
  routeError?: string;
  /** the replication connectors' live configs, and how they differ from the manifests */
  live?: LivePolicy;
  /** the LDF topic the manifests' own policy would give (differs from route.ldfTopic when the live policy does) */
  declaredLdfTopic?: string;
  /** markers of this run found at LDF under other names than route.ldfTopic, when they did not arrive there */
  elsewhere?: Elsewhere;
  summitTopic?: { created: boolean; partitions: number; error?: ProbeError; missingOnProduction?: boolean };
  schema?: { id?: number; error?: ProbeError; ldfKnown?: boolean; ldfWaitMs?: number; ldfError?: ProbeError };
  ldf?: {
    error?: ProbeError;
    topicMissing?: boolean;
    topicWaitMs?: number;
    gateMs?: number;
    startOffsets?: Record<number, string>;
    /** what interrupted the LDF tail, ms since the first marker was sent: why a marker may be unobserved there */
    tailEvents?: Array<{ at_ms: number; partition?: number; what: string }>;
  };
  influx?: { readyError?: ProbeError; lastError?: ProbeError; polls: number; queryMs: number[]; writes?: WriteCounterSpan };
  stoppedAt?: StopPoint;
  injectError?: ProbeError;
  tracker?: MarkerTracker;
  report?: TrackerReport;
  replicationHint?: string;
  sinkHint?: string;
  jmx?: { readings?: MBeanReading[]; error?: ProbeError; readAt?: number };
  /** the Summit topic's offsets before the markers, to read them back there when one arrives twice */
  summitStart?: OffsetFacts[];
  /** copies of each duplicated marker at the Summit (read only when there is a duplicate) */
  sourceCopies?: SourceCopies;
  timings: { total_ms: number; gate_ms?: number; inject_ms?: number; verdict_delay_ms?: number };
}

export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(fn: () => Promise<boolean>, totalMs: number, everyMs: number): Promise<boolean> {
  const end = performance.now() + totalMs;
  for (;;) {
    if (await fn()) return true;
    if (performance.now() + everyMs > end) return false;
    await sleep(everyMs);
  }
}

function asProbeError(e: unknown, target: string): ProbeError {
  return e instanceof ProbeError ? e : new ProbeError('internal', `${target}: ${(e as Error).message ?? e}`, target);
}

/** The marker topic at the Summit: created here (one partition per broker) except on production, where it
 * must already exist. Never throws: a failure is in `error`. */
export async function ensureMarkerTopic(profile: Profile): Promise<NonNullable<ReplicationRun['summitTopic']>> {
  const { topic } = profile.markers;
  const summit = profile.kafka.summit.bootstrap;
  const timeout = profile.timeout_ms;
  try {
    if (profile.production) {
      const names = await listTopics(summit, timeout);
      if (!names.includes(topic)) return { created: false, partitions: 0, missingOnProduction: true };
      return { created: false, partitions: (await ensureTopic(summit, timeout, topic, { partitions: 1, replicationFactor: 1 })).partitions };
    }
    const brokers = (await describeCluster(summit, timeout)).brokers.length;
    return await ensureTopic(summit, timeout, topic, { partitions: Math.max(1, brokers), replicationFactor: Math.min(3, Math.max(1, brokers)) });
  } catch (e) {
    return { created: false, partitions: 0, error: asProbeError(e, summit.join(',')) };
  }
}

export async function runReplicationProbe(profile: Profile, opts: RunOptions = {}): Promise<ReplicationRun> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const th = markerThresholds(profile);
  const topic = profile.markers.topic;
  const run: ReplicationRun = { runId: opts.runId ?? newRunId(), thresholds: th, topic, routeProblems: [], timings: { total_ms: 0 } };
  const done = () => {
    run.timings.total_ms = performance.now() - t0;
    return run;
  };
  const timeout = profile.timeout_ms;

  // 1. the route, from the replication as it runs (Connect), else as the manifests declare it
  let model: ReplicationModel | undefined;
  try {
    model = loadReplicationModel(profile.manifests);
  } catch (e) {
    run.routeError = e instanceof InputError ? e.message : `reading ${profile.manifests}: ${(e as Error).message}`;
  }
  if (model) {
    run.live = await readLivePolicy(profile, model.replications);
    const live = run.live.replications?.length ? { ...model, replications: run.live.replications } : model;
    const r = routeMarker(live, topic);
    run.route = r.route;
    run.routeProblems = r.problems;
    run.declaredLdfTopic = routeMarker(model, topic).route?.ldfTopic;
  }
  const route = run.route;
  if (!route) {
    run.stoppedAt = 'route';
    return done();
  }
  log(`route: ${route.summitTopic} → ${route.ldfTopic} → ${route.measurement}`);

  // 2. the marker topic at the Summit: must exist on production, created elsewhere
  run.summitTopic = await ensureMarkerTopic(profile);
  if (run.summitTopic.error || run.summitTopic.missingOnProduction || !run.summitTopic.partitions) {
    run.stoppedAt = 'topic';
    return done();
  }

  // 3. the schema: registered at the Summit (unreachable here → preflight failure, nothing is injected)
  run.schema = {};
  try {
    run.schema.id = await registerMarkerSchema(profile.registry.summit.url, timeout, topic);
  } catch (e) {
    run.schema.error = asProbeError(e, profile.registry.summit.url);
    run.stoppedAt = 'schema';
    return done();
  }
  const schemaId = run.schema.id;
  log(`schema id ${schemaId}`);

  // 4. in parallel: the LDF registry learns the id; the LDF topic exists and the tail is at its end; InfluxDB answers
  const tracker = new MarkerTracker(run.runId, { replicationSlaMs: th.replicationSlaMs, e2eSlaMs: th.e2eSlaMs, deadlineMs: th.deadlineMs });
  run.tracker = tracker;
  const type = markerType(topic);
  const influxTarget: InfluxTarget = {
    url: profile.influxdb.url,
    db: profile.influxdb.database,
    measurement: route.measurement,
    auth: profile.influxdb.read ? readCredentials(profile.influxdb.read) : undefined,
    timeoutMs: Math.min(timeout, 2000),
  };
  const sinceUs = (performance.timeOrigin + performance.now()) * 1000 - 5 * 60e6; // 5 min of clock slack
  run.influx = { polls: 0, queryMs: [] };
  const ldfBootstrap = profile.kafka.ldf.bootstrap;
  let tail: Tail | undefined;

  const ldfRegistry = (async () => {
    const w0 = performance.now();
    try {
      run.schema!.ldfKnown = await waitFor(() => hasSchemaId(profile.registry.ldf.url, timeout, schemaId), th.ldfSchemaWaitMs, 100);
    } catch (e) {
      run.schema!.ldfKnown = false;
      run.schema!.ldfError = asProbeError(e, profile.registry.ldf.url);
    }
    run.schema!.ldfWaitMs = performance.now() - w0;
  })();

  const ldfReady = (async () => {
    const g0 = performance.now();
    run.ldf = {};
    try {
      const present = await waitFor(async () => (await listTopics(ldfBootstrap, timeout)).includes(route.ldfTopic), th.topicWaitMs, 500);
      run.ldf.topicWaitMs = performance.now() - g0;
      if (!present) {
        run.ldf.topicMissing = true;
        return;
      }
      tail = await openTail(ldfBootstrap, timeout, route.ldfTopic, (r) => {
        opts.onLdfRecord?.(r.partition, r.offset);
        const d = r.value ? decodeWire(type, r.value) : undefined;
        const mine = d && d.schemaId === schemaId;
        tracker.seenAtLdf(mine ? d.record.run_id : undefined, mine ? Number(d.record.marker_id) : undefined, {
          at: r.at,
          partition: r.partition,
          offset: r.offset,
        });
      });
      run.ldf.startOffsets = tail.startOffsets;
      run.ldf.gateMs = performance.now() - g0;
    } catch (e) {
      run.ldf.error = asProbeError(e, ldfBootstrap.join(','));
    }
  })();

  const influxReady = (async () => {
    try {
      await markerPoints(influxTarget, run.runId, sinceUs);
    } catch (e) {
      run.influx!.readyError = asProbeError(e, influxTarget.url);
    }
  })();
  // InfluxDB's write counters before the markers: if the sink fails, they tell "not written" from "not read"
  const adminAuth = profile.influxdb.admin ? readCredentials(profile.influxdb.admin) : undefined;
  const readWriteCounters = async (into: 'before' | 'after') => {
    if (!adminAuth) return;
    const w = (run.influx!.writes ??= {});
    try {
      w[into] = await writeCounters(profile.influxdb.url, Math.min(timeout, 2000), adminAuth);
    } catch (e) {
      w.error = asProbeError(e, influxTarget.url).message;
    }
  };
  const countersBefore = readWriteCounters('before');
  const summitStart = topicOffsets(profile.kafka.summit.bootstrap, timeout, topic).then(
    (o) => void (run.summitStart = o),
    () => {}, // without it a duplicate's origin is said to be unknown
  );

  await Promise.all([ldfRegistry, ldfReady, influxReady, countersBefore, summitStart]);
  run.timings.gate_ms = performance.now() - t0;
  if (run.ldf!.error || run.ldf!.topicMissing) {
    run.stoppedAt = 'ldf';
    await tail?.close();
    if (run.ldf!.topicMissing) run.replicationHint = await replicationHint(profile, route);
    return done();
  }
  log(`ready after ${run.timings.gate_ms.toFixed(0)} ms (LDF registry ${run.schema.ldfKnown ? 'knows' : 'does not know'} id ${schemaId})`);

  await opts.onReady?.();

  // 5. inject, and follow the markers while they are in flight
  const partitions = Array.from({ length: run.summitTopic.partitions }, (_, i) => i);
  const i0 = performance.now();
  let injected = false;
  const injection = injectMarkers({
    bootstrap: profile.kafka.summit.bootstrap,
    timeoutMs: timeout,
    topic,
    partitions,
    schemaId,
    runId: run.runId,
    identity: `efd-health@${profile.vantage}`,
    count: opts.count ?? profile.markers.count,
    spacingMs: opts.spacingMs ?? 25,
    tracker,
  }).then((r) => {
    injected = true;
    run.injectError = r.error;
    run.timings.inject_ms = performance.now() - i0;
  });

  let jmx: Promise<void> | undefined;
  const startJmx = () => {
    const hostPort = profile.connect.jmx;
    if (jmx || !hostPort || route.replication.kind !== 'mirrormaker2') return;
    jmx = (async () => {
      run.jmx = {};
      try {
        run.jmx.readings = await readMBeans(
          hostPort,
          `kafka.connect.mirror:type=MirrorSourceConnector,topic=${route.ldfTopic},*`,
          ['replication-latency-ms', 'replication-latency-ms-avg', 'replication-latency-ms-max', 'record-count'],
          { timeoutMs: th.jmxTimeoutMs },
        );
        run.jmx.readAt = performance.now();
      } catch (e) {
        run.jmx.error = asProbeError(e, hostPort);
      }
    })();
  };

  // poll until settled; the check comes right after each poll, so the verdict follows the last arrival at once
  let influxAuthBroken = false;
  for (;;) {
    const p0 = performance.now();
    if (!jmx && injected && tracker.replicationSettled(p0)) {
      const rep = tracker.report().replication;
      if (rep.arrived + rep.late > 0) startJmx();
    }
    if (!influxAuthBroken) {
      try {
        const points = await markerPoints(influxTarget, run.runId, sinceUs);
        const at = performance.now();
        for (const p of points) tracker.seenInInflux(p.markerId, at, p.timeUs);
        run.influx.lastError = undefined;
        run.influx.queryMs.push(at - p0);
      } catch (e) {
        run.influx.lastError = asProbeError(e, influxTarget.url);
        // credentials or a missing database do not heal within a run
        if (['auth', 'missing'].includes(run.influx.lastError.reason)) influxAuthBroken = true;
      }
      run.influx.polls++;
    }
    if (injected && tracker.settled(performance.now())) break;
    const wait = th.pollIntervalMs - (performance.now() - p0);
    if (wait > 0) await sleep(wait);
  }
  const settledAt = performance.now();
  await injection;

  // a point outside the scanned time range (a sink stamping a wrong time) is still found, late
  const reportNow = tracker.report(th.timeToleranceUs);
  if (reportNow.sink.lost && !run.influx.lastError) {
    try {
      const at = performance.now();
      for (const p of await markerPoints(influxTarget, run.runId)) tracker.seenInInflux(p.markerId, at, p.timeUs);
    } catch {
      // the loop already recorded InfluxDB's state
    }
  }
  const sendStart = tracker.report().firstSentAt ?? i0;
  run.ldf!.tailEvents = tail?.events().map((e) => ({ at_ms: Math.round(e.at - sendStart), partition: e.partition, what: e.what }));
  await tail?.close();
  run.report = tracker.report(th.timeToleranceUs, settledAt);
  if (run.report.lastArrivalAt !== undefined) run.timings.verdict_delay_ms = Math.max(0, settledAt - run.report.lastArrivalAt);
  log(`settled: ${run.report.e2e.arrived + run.report.e2e.late}/${run.report.sent} in InfluxDB`);

  // 6. hints for the hops that did not deliver; MM2's own figure
  const r = run.report;
  const hints: Array<Promise<void>> = [];
  if (r.replication.lost || r.replication.late || run.injectError)
    hints.push(replicationHint(profile, route).then((h) => void (run.replicationHint = h)));
  // not seen under the expected LDF name (lost, or in InfluxDB all the same): where did the replication put them?
  const unseen = [...r.replication.lostIds, ...r.replication.unobservedIds];
  if (unseen.length) hints.push(markersElsewhere(profile, run.runId, route, unseen).then((e) => void (run.elsewhere = e)));
  if (r.sink.lost)
    hints.push(
      readWriteCounters('after')
        .then(() => sinkHint(profile, route, run.influx!.writes))
        .then((h) => void (run.sinkHint = h)),
    );
  if (r.duplicates && run.summitStart)
    hints.push(copiesAtSource(profile, run.runId, run.summitStart).then((c) => void (run.sourceCopies = c)));
  if (r.replication.arrived + r.replication.late > 0) startJmx();
  await Promise.all([...hints, jmx]);
  return done();
}
