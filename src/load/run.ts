// One load run end to end: prepare (schemas, payloads, topics, start offsets), load (generator + keep-up
// sampling + probe records + the ramp controller), measure InfluxDB, and always clean up. Returns facts
// only; suites/load judges them.
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { readCredentials, SecretError } from '../config/secrets.ts';
import type { Profile } from '../config/types.ts';
import { InputError } from '../errors.ts';
import { ProbeError, classifyNetworkError } from '../probes/errors.ts';
import { kafkaClient, withDeadline } from '../probes/kafka.ts';
import type { Reason } from '../report/finding.ts';
import { cleanup, type CleanupResult } from './cleanup.ts';
import { Generator, type GeneratorResult, type IntervalStats } from './generator.ts';
import { countPoints, type InfluxTarget } from './influx.ts';
import { AdminSession, endOffsets, sampleLag, sinkAssignment, type LagSample, type SinkAssignment, type StartPoint } from './lag.ts';
import { newRegistry, preparePayloads, registerSchema, registryEncoder } from './payloads.ts';
import type { LoadPlan } from './plan.ts';
import { ProbeTracker, type ProbeRecord } from './probes.ts';
import { ensureMarkerTopic, runReplicationProbe } from '../markers/run.ts';
import type { TrackerReport } from '../markers/tracker.ts';
import { ProgressLine } from './progress.ts';
import { RampLevel, burst, steady, type Shape } from './schedule.ts';
import { ensureTopics, waitForSchemaIds, waitForTopics } from './topics.ts';
import { loadTrafficModel, probeTopicSpec, scaleModel, DEFAULT_TRAFFIC_DIR } from './traffic.ts';
import { formatRate } from './units.ts';
import type { LagBounds } from './verdict.ts';
import { rampControl, type RampStep } from './ramp.ts';
import { isSteady, warmupOutcome, type WarmupOutcome, type WarmupRule } from './warmup.ts';

export interface LoadSettings {
  /** consumer group of the InfluxDB sink at the LDF */
  sinkGroup: string;
  /** how long the replicator may take to create the load topics at the LDF */
  topicReadyMs: number;
  sampleMs: number;
  probeEveryMs: number;
  /** how long a probe may take to reach InfluxDB before the run stops waiting for it */
  probeWaitMs: number;
  /** the InfluxDB count of the measured window is taken this long after the load ends */
  settleMs: number;
  /** then the run waits at most this long for every point to arrive */
  drainMs: number;
  /** the ramp stops at the first step whose lags break these */
  replicationBounds: LagBounds;
  sinkBounds: LagBounds;
  /** when the warm-up ends (its bound is plan.warmupS) */
  warmup: Omit<WarmupRule, 'maxS'>;
  trafficDir?: string;
}

export interface SampleAt extends LagSample {
  /** seconds since the generator started */
  tS: number;
}


export interface InfluxFacts {
  fromMs: number;
  toMs: number;
  /** records acknowledged per topic with intended time in the window */
  expected: Record<string, number>;
  /** points per topic found `settleMs` after the load ended */
  atEnd?: Record<string, number>;
  /** points per topic after waiting for the drain */
  afterDrain?: Record<string, number>;
  drainedInMs?: number;
  /** set when the drain ended early: this many seconds went by without a new point */
  drainStalledS?: number;
  error?: string;
  errorReason?: Reason;
}

export interface LoadRun {
  runId: string;
  plan: LoadPlan;
  model?: { factor: number; naturalBytesPerS: number; recordsPerS: number; topics: number; meanRecordBytes: number };
  readiness: { createdTopics: string[]; missingAtLdf: string[]; schemasMissingAtLdf: number[]; sink?: SinkAssignment; sinkError?: string };
  gen?: GeneratorResult;
  /** how the warm-up ended; without steady, nothing was measured */
  warmup?: WarmupOutcome;
  samples: SampleAt[];
  probes: ProbeRecord[];
  probePollError?: string;
  /** the replication suite's markers, sent during the measured window (src/markers) */
  markers?: { report?: TrackerReport; e2eSlaMs?: number; stoppedAt?: string; why?: string; sentDuringLoad: boolean };
  influx?: InfluxFacts;
  ramp?: { steps: RampStep[]; sustainedBytesPerS: number; stoppedBecause: string };
  cleanup?: CleanupResult;
  /** the run could not load at all (setup failed): every check reports this */
  fatal?: { reason: Reason; message: string };
}

function influxTarget(profile: Profile, role: 'read' | 'admin'): InfluxTarget {
  const creds = role === 'read' ? (profile.influxdb.read ?? profile.influxdb.admin) : profile.influxdb.admin;
  return {
    url: profile.influxdb.url,
    database: profile.influxdb.database,
    timeoutMs: Math.max(profile.timeout_ms, 10_000),
    auth: creds ? readCredentials(creds) : undefined,
  };
}

const obj = (m: Map<string, number>) => Object.fromEntries(m);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** how long the drain waits without a single new point before it calls the sink stalled */
const DRAIN_STALL_MS = 20_000;

export async function runLoad(profile: Profile, plan: LoadPlan, settings: LoadSettings): Promise<LoadRun> {
  const runId = `load-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 6)}`;
  const run: LoadRun = { runId, plan, readiness: { createdTopics: [], missingAtLdf: [], schemasMissingAtLdf: [] }, samples: [], probes: [] };
  const timeout = profile.timeout_ms;
  const summit = new AdminSession(profile.kafka.summit.bootstrap, timeout);
  const ldf = new AdminSession(profile.kafka.ldf.bootstrap, timeout);
  const dir = settings.trafficDir ?? DEFAULT_TRAFFIC_DIR;
  let allTopics: string[] = [];
  const progress = new ProgressLine(plan.warmupS + plan.durationS);
  let producer: Producer | undefined;
  let influxRead: InfluxTarget | undefined;
  let probes: ProbeTracker | undefined;
  let markerRun: Promise<void> | undefined;
  try {
    const specs = loadTrafficModel(plan.prefix, dir);
    const probeSpec = probeTopicSpec(plan.prefix, dir);
    allTopics = [...specs.map((s) => s.topic), probeSpec.topic];
    influxRead = influxTarget(profile, 'read');
    // 1. schemas and payloads (encoded once, reused)
    progress.note(`load: preparing ${specs.length} EFD-shaped topics under ${plan.prefix} (schemas at ${new URL(profile.registry.summit.url).host})`);
    const sized = await preparePayloads(profile.registry.summit.url, specs, timeout);
    const model = scaleModel(sized, plan.rateBytesPerS);
    const payloadOf = new Map(sized.map((s) => [s.topic, s.payloads]));
    run.model = {
      factor: model.factor,
      naturalBytesPerS: model.naturalBytesPerS,
      recordsPerS: model.recordsPerS,
      topics: model.topics.length,
      meanRecordBytes: model.targetBytesPerS / model.recordsPerS,
    };
    const probeId = await registerSchema(profile.registry.summit.url, `${probeSpec.topic}-value`, probeSpec.schema, timeout);
    const probeEncode = registryEncoder(newRegistry(profile.registry.summit.url), profile.registry.summit.url, probeId, timeout);

    // 2. topics at both clusters, and whether the sink consumes them
    run.readiness.createdTopics = await ensureTopics(summit, allTopics);
    // the markers sent during the load go to their own topic: made ready now, so that its creation cannot
    // make the sink re-subscribe (a Telegraf reload) in the middle of the measured window
    const marker = await ensureMarkerTopic(profile);
    const sinkTopics = marker.partitions ? [...allTopics, profile.markers.topic] : allTopics;
    run.readiness.missingAtLdf = await waitForTopics(ldf, sinkTopics, settings.topicReadyMs);
    // the sink decodes with the LDF registry: a record whose schema id it cannot resolve is lost, not retried
    run.readiness.schemasMissingAtLdf = await waitForSchemaIds(
      profile.registry.ldf.url,
      [...new Set([...sized.map((x) => x.payloads.schemaId), probeId])],
      settings.topicReadyMs,
      timeout,
    );
    // readiness gate: a sink that has not yet subscribed to new topics (Telegraf picks them up on a reload)
    // would show as lag that is about discovery, not throughput
    const sinkDeadline = Date.now() + settings.topicReadyMs;
    for (;;) {
      try {
        run.readiness.sink = await sinkAssignment(ldf, settings.sinkGroup, sinkTopics);
        run.readiness.sinkError = undefined;
      } catch (e) {
        run.readiness.sinkError = (e as Error).message;
      }
      if ((run.readiness.sink && !run.readiness.sink.unassigned.length) || Date.now() > sinkDeadline) break;
      await sleep(1000);
    }
    const start: StartPoint = { summit: await endOffsets(summit, allTopics), ldf: await endOffsets(ldf, allTopics) };

    // 3. load
    producer = kafkaClient(profile.kafka.summit.bootstrap, Math.max(timeout, 30_000), 'efd-health-load').producer({
      allowAutoTopicCreation: false,
      idempotent: false,
    });
    await withDeadline(producer.connect(), timeout, profile.kafka.summit.bootstrap.join(','));
    const ramp = plan.shape === 'ramp' ? new RampLevel(1) : undefined;
    const measuredShape: Shape =
      plan.shape === 'burst' ? burst(plan.burst.factor, plan.burst.startS, plan.burst.lengthS) : ramp ? ramp.shape : steady;
    // the warm-up loads at the base rate; the plan's shape counts from the start of the measured window
    const shape: Shape = (tS) => (gen.warmupEnded ? measuredShape(tS - (gen.warmupEndsAtMs - gen.startedAtMs) / 1000) : 1);
    progress.note(
      `load: ${plan.shape} ${formatRate(plan.rateBytesPerS)} over ${model.topics.length} topics ≈ ${Math.round(model.recordsPerS)} records/s ` +
        `(model ×${model.factor.toFixed(2)} of its natural ${formatRate(model.naturalBytesPerS)}; MB = 10^6 bytes of Avro value)`,
    );
    const gen = new Generator({
      producer,
      durationMs: (plan.warmupS + plan.durationS) * 1000,
      warmupMs: plan.warmupS * 1000,
      shape,
      topics: model.topics.map((t) => ({ topic: t.topic, ratePerS: t.ratePerS, arrival: t.arrival, payloads: payloadOf.get(t.topic)! })),
      onInterval: (s) => progress.update(s, run.samples.at(-1)),
    });
    probes = new ProbeTracker({
      producer,
      spec: probeSpec,
      encode: probeEncode,
      influx: influxRead,
      runId,
      everyMs: settings.probeEveryMs,
      pollMs: 1000,
    });
    const rampState = ramp ? { steps: [] as RampStep[], stepStartMs: 0, stoppedBecause: '' } : undefined;
    const rule: WarmupRule = { ...settings.warmup, maxS: plan.warmupS };
    let measuring = false;
    // the measured window starts: probe records and the replication suite's markers go out from now on
    const startMeasuring = () => {
      measuring = true;
      probes?.start();
      markerRun = sendMarkers(profile, plan, settings, run);
    };
    /** after every sample during the warm-up: end it once steady, give up at its bound */
    const warmupStep = (tS: number) => {
      if (isSteady(run.samples, rule, tS)) {
        gen.endWarmup();
        run.warmup = warmupOutcome(run.samples, rule, true, tS);
        progress.note(`load: steady after a ${Math.round(tS)} s warm-up (both lags ≤ ${rule.lagS} s for ${rule.steadyS} s); measuring ${plan.durationS} s`);
        startMeasuring();
      } else if (tS >= rule.maxS) {
        run.warmup = warmupOutcome(run.samples, rule, false, tS);
        gen.stop();
      }
    };
    let sampling = false;
    const sampler = setInterval(async () => {
      if (sampling || !gen.startedAtMs) return;
      sampling = true;
      try {
        const s = await sampleLag(ldf, settings.sinkGroup, allTopics, start, gen.ledger);
        const tS = (s.atMs - gen.startedAtMs) / 1000;
        run.samples.push({ ...s, tS });
        if (!measuring && !run.warmup) warmupStep(tS);
        if (ramp && rampState) rampControl(ramp, rampState, gen, plan, settings, run.samples, Date.now());
      } finally {
        sampling = false;
      }
    }, settings.sampleMs);
    if (!plan.warmupS) {
      run.warmup = warmupOutcome([], rule, true, 0);
      startMeasuring();
    }
    let genResult: GeneratorResult;
    try {
      genResult = await gen.run();
    } finally {
      clearInterval(sampler);
      progress.end();
    }
    run.gen = genResult;
    if (!run.warmup?.steady) {
      // nothing was measured: say how the warm-up ended, leave the records to the cleanup
      run.warmup ??= warmupOutcome(run.samples, rule, false, (genResult.endMs - genResult.startMs) / 1000);
      return run;
    }
    if (rampState) {
      const ok = rampState.steps.filter((s) => s.ok);
      run.ramp = {
        steps: rampState.steps,
        sustainedBytesPerS: ok.length ? Math.max(...ok.map((s) => s.achievedBytesPerS)) : 0,
        stoppedBecause: rampState.stoppedBecause || 'the run reached --duration',
      };
    }

    // 4. InfluxDB: the measured window, once right after the load (kept pace?) and after a drain (all there?)
    const stoppedAt = Math.min(genResult.endMs, genResult.startMs + (genResult.intervals.at(-1)?.tMs ?? plan.durationS * 1000));
    const fromMs = Math.ceil(genResult.warmupEndMs / 1000) * 1000;
    const toMs = Math.floor(stoppedAt / 1000) * 1000;
    const expected: Record<string, number> = {};
    for (const t of model.topics) expected[t.topic] = gen.ledger.intendedIn(t.topic, fromMs, toMs);
    run.influx = { fromMs, toMs, expected };
    const probeWait = probes.finish(settings.probeWaitMs);
    await sleep(Math.max(0, stoppedAt + settings.settleMs - Date.now()));
    try {
      run.influx.atEnd = obj(await countPoints(influxRead, plan.prefix, fromMs, toMs));
      const drainStart = Date.now();
      let counts = run.influx.atEnd;
      let lastProgress = drainStart;
      const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
      while (Object.entries(expected).some(([t, n]) => (counts[t] ?? 0) < n) && Date.now() - drainStart < settings.drainMs) {
        // a sink that writes nothing at all for DRAIN_STALL_MS is not draining: waiting longer tells nothing more
        if (Date.now() - lastProgress >= DRAIN_STALL_MS) {
          run.influx.drainStalledS = DRAIN_STALL_MS / 1000;
          break;
        }
        await sleep(2000);
        const next = obj(await countPoints(influxRead, plan.prefix, fromMs, toMs));
        if (total(next) > total(counts)) lastProgress = Date.now();
        counts = next;
      }
      run.influx.afterDrain = counts;
      run.influx.drainedInMs = Date.now() - drainStart;
    } catch (e) {
      const pe = e instanceof ProbeError ? e : classifyNetworkError(e, new URL(profile.influxdb.url).host);
      run.influx.error = pe.message;
      run.influx.errorReason = pe.reason;
    }
    await probeWait;
    await markerRun;
    run.probes = probes.probes;
    run.probePollError = probes.lastPollError;
    // a last lag sample after the drain, for the timeline
    const last = await sampleLag(ldf, settings.sinkGroup, allTopics, start, gen.ledger);
    run.samples.push({ ...last, tS: (last.atMs - genResult.startMs) / 1000 });
  } catch (e) {
    run.fatal = fatalOf(e, profile);
  } finally {
    progress.end();
    probes?.stop();
    await markerRun?.catch(() => {}); // markers still in flight finish before the records go
    await producer?.disconnect().catch(() => {});
    try {
      progress.note(`load: cleaning up ${plan.prefix}.* (${plan.deleteTopics ? 'topics' : 'records'} at both clusters, measurements, subjects)`);
      run.cleanup = await cleanup({
        prefix: plan.prefix,
        topics: allTopics,
        summit,
        ldf,
        influx: influxTarget(profile, 'admin'),
        registryUrl: profile.registry.summit.url,
        timeoutMs: timeout,
        deleteTopics: plan.deleteTopics,
      });
    } catch (e) {
      run.cleanup = { remaining: [], removed: [], kept: [], errors: [(e as Error).message] };
    }
    await summit.close();
    await ldf.close();
    progress.close();
  }
  return run;
}

/** Sends markers (src/markers) spread over the measured window and keeps their report. */
async function sendMarkers(profile: Profile, plan: LoadPlan, settings: LoadSettings, run: LoadRun): Promise<void> {
  const measuredMs = plan.durationS * 1000;
  const spacingMs = settings.probeEveryMs;
  const count = Math.max(2, Math.min(profile.markers?.count ?? 20, Math.floor((measuredMs - 2000) / spacingMs)));
  try {
    const m = await runReplicationProbe(profile, { count, spacingMs });
    run.markers = {
      report: m.report,
      e2eSlaMs: m.thresholds.e2eSlaMs,
      stoppedAt: m.stoppedAt,
      why: m.stoppedAt ? (m.routeError ?? m.summitTopic?.error?.message ?? m.schema?.error?.message ?? m.ldf?.error?.message ?? m.injectError?.message ?? m.stoppedAt) : undefined,
      sentDuringLoad: true,
    };
  } catch (e) {
    run.markers = { why: (e as Error).message, sentDuringLoad: false };
  }
}

/** Why the run could not load: a probe's reason, an input problem, or our own bug. */
function fatalOf(e: unknown, profile: Profile): { reason: Reason; message: string } {
  if (e instanceof ProbeError) return { reason: e.reason, message: e.message };
  if (e instanceof InputError) return { reason: 'policy', message: e.message };
  if (e instanceof SecretError) return { reason: 'auth', message: e.message };
  const err = e as { name?: string; code?: string; message?: string };
  if (err?.name?.startsWith('KafkaJS') || err?.code) {
    const pe = classifyNetworkError(e, profile.kafka.summit.bootstrap.join(','));
    return { reason: pe.reason, message: `${pe.message}${err.message && !pe.message.includes(err.message) ? ` (${err.message})` : ''}` };
  }
  return { reason: 'internal', message: err?.message ?? String(e) };
}

export type { IntervalStats };
