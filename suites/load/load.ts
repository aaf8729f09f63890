// The load suite: one load run at OCS-REQ-0048 rates through the whole pipeline (Summit Kafka → replicator →
// LDF Kafka → sink → InfluxDB), judged on whether the pipeline keeps up, plus the k6 HTTP scenarios.
// Options (ctx.options, from the CLI): rate, duration, shape, warmup, burst-factor, burst-length, ramp-step,
// ramp-factor, k6, allow-production, delete-topics (src/load/plan.ts).
import { fileURLToPath } from 'node:url';
import { threshold, runContext } from '../../src/context.ts';
import { readCredentials } from '../../src/config/secrets.ts';
import { loadIngresses } from '../../src/model/ingress.ts';
import { dropMeasurement, loadMeasurements } from '../../src/load/influx.ts';
import {
  fatalOutcome, judgeCleanup, judgeGenerator, judgeInflux, judgeK6, judgeLagCheck, judgeMarkers, judgeRamp, judgeWarmup,
  unmeasuredOutcome,
} from '../../src/load/judge.ts';
import { findOnPath, influxIngressHost, judgeK6Prereq, k6Hosts, runK6 } from '../../src/load/k6.ts';
import { describePlan, resolveLoadPlan, type LoadPlan } from '../../src/load/plan.ts';
import { runLoad, type LoadRun, type LoadSettings } from '../../src/load/run.ts';
import { check, type Outcome } from '../../src/suite.ts';

const ctx = runContext();
const T = {
  warmup: 'load.pipeline.warmup',
  gen: 'load.generator.rate',
  repl: 'load.pipeline.replication_lag',
  sink: 'load.pipeline.sink_lag',
  influx: 'load.pipeline.influx_points',
  markers: 'load.pipeline.markers',
  ramp: 'load.ramp.max_rate',
  cleanup: 'load.cleanup.removed',
  k6q: 'load.k6.influxql_query',
  k6w: 'load.k6.line_protocol_write',
} as const;
const num = (id: string, name: string) => Number(threshold(id, name));

let plan: LoadPlan | undefined;
let refusal: string | undefined;
try {
  plan = resolveLoadPlan(ctx.profile, ctx.options, num(T.warmup, 'max_s'));
} catch (e) {
  refusal = (e as Error).message;
}

function settings(): LoadSettings {
  return {
    sinkGroup: String(threshold(T.sink, 'sink_group')),
    topicReadyMs: num(T.repl, 'topic_ready_s') * 1000,
    sampleMs: 2000,
    probeEveryMs: num(T.markers, 'every_s') * 1000,
    probeWaitMs: num(T.markers, 'sla_s') * 1000,
    settleMs: num(T.influx, 'settle_s') * 1000,
    drainMs: num(T.influx, 'drain_s') * 1000,
    replicationBounds: { maxS: num(T.repl, 'max_s'), slopeMax: num(T.repl, 'slope_max'), slopeMinLagS: num(T.repl, 'slope_min_lag_s') },
    sinkBounds: { maxS: num(T.sink, 'max_s'), slopeMax: num(T.sink, 'slope_max'), slopeMinLagS: num(T.sink, 'slope_min_lag_s') },
    warmup: { steadyS: num(T.warmup, 'steady_s'), lagS: num(T.warmup, 'lag_s') },
  };
}

// Every check judges the same run; the first one to ask starts it.
let running: Promise<LoadRun> | undefined;
const loadRun = () => (running ??= runLoad(ctx.profile, plan!, settings()));
const s = plan ? settings() : undefined;
const budgetMs = plan && s
  ? (plan.warmupS + plan.durationS + s.topicReadyMs / 1000 + s.settleMs / 1000 + s.drainMs / 1000 + s.probeWaitMs / 1000 + 240) * 1000
  : 60_000;

const refused = (): Outcome => ({ status: 'error', reason: 'policy', message: refusal! });

/** A check of the run; the keep-up checks (`measured`) skip when the warm-up never became steady. */
function judged(fn: (run: LoadRun) => Outcome | Outcome[], measured = true): () => Promise<Outcome | Outcome[]> {
  return async () => {
    if (!plan) return refused();
    const run = await loadRun();
    if (run.fatal) return fatalOutcome(run);
    return (measured && unmeasuredOutcome(run)) || fn(run);
  };
}

check(T.warmup, judged(judgeWarmup, false), { timeoutMs: budgetMs });

check(T.gen, judged((run) => {
  const o = judgeGenerator(run, { tolerance_pct: num(T.gen, 'tolerance_pct'), error_ratio_max: num(T.gen, 'error_ratio_max') });
  return { ...o, evidence: { ...o.evidence, run: describePlan(plan!), run_id: run.runId } };
}), { timeoutMs: budgetMs });

check(T.repl, judged((run) =>
  run.plan.shape === 'ramp'
    ? { status: 'skip', reason: 'skipped', message: 'ramp run: the ramp raises the rate until a lag grows; see load.ramp.max_rate' }
    : judgeLagCheck(run, 'replication', s!.replicationBounds, s!.sinkGroup)), { timeoutMs: budgetMs });

check(T.sink, judged((run) =>
  run.plan.shape === 'ramp'
    ? { status: 'skip', reason: 'skipped', message: 'ramp run: the ramp raises the rate until a lag grows; see load.ramp.max_rate' }
    : judgeLagCheck(run, 'sink', s!.sinkBounds, s!.sinkGroup)), { timeoutMs: budgetMs });

check(T.influx, judged((run) =>
  judgeInflux(run, { ratio_min: num(T.influx, 'ratio_min'), settle_s: num(T.influx, 'settle_s'), drain_s: num(T.influx, 'drain_s') })), { timeoutMs: budgetMs });

check(T.markers, judged((run) =>
  run.plan.shape === 'ramp'
    ? { status: 'skip', reason: 'skipped', message: 'ramp run: the last step breaks the pipeline on purpose, so markers are not judged; see load.ramp.max_rate' }
    : judgeMarkers(run, { sla_s: num(T.markers, 'sla_s') })), { timeoutMs: budgetMs });

check(T.ramp, judged((run) =>
  run.ramp
    ? judgeRamp(run, num(T.ramp, 'required_bytes_per_s'))
    : { status: 'skip', reason: 'skipped', message: `not a ramp run (${run.plan.shape}); --shape ramp finds the highest sustained rate` }), { timeoutMs: budgetMs });

check(T.cleanup, async () => {
  if (!plan) return refused();
  return judgeCleanup(await loadRun());
}, { timeoutMs: budgetMs });

// ---- k6: the HTTP side (InfluxDB ingress), after the Kafka load ----

const k6Script = (name: string) => fileURLToPath(new URL(`./k6/${name}`, import.meta.url));

function k6Env(role: 'read' | 'admin'): Record<string, string> | string {
  const p = ctx.profile;
  let ingresses: Array<{ host: string; backends: Array<{ service: string }> }> = [];
  try {
    ingresses = loadIngresses(p.manifests);
  } catch {
    // no manifests: fall back to the profile's resolve keys
  }
  const host = influxIngressHost(ingresses, [...Object.keys(p.ingress.resolve), ...p.ingress.extra_hosts]);
  if (!host) return 'no InfluxDB host behind the ingress is known (no Ingress routed to an influxdb service, no ingress.resolve key naming influxdb)';
  const creds = role === 'read' ? (p.influxdb.read ?? p.influxdb.admin) : p.influxdb.admin;
  const env: Record<string, string> = {
    EFD_INFLUX_URL: `https://${host}:${p.ingress.https_port}`,
    EFD_INFLUX_DB: p.influxdb.database,
    EFD_K6_HOSTS: JSON.stringify(k6Hosts(p.ingress.resolve, p.ingress.https_port)),
    EFD_K6_DURATION: `${Math.min(plan!.durationS, 120)}s`,
    EFD_K6_WRITE_RATE: String(Math.round(plan!.rateBytesPerS)),
    EFD_K6_MEASUREMENT: `${plan!.prefix}.k6_lineProtocol`,
  };
  if (p.ingress.ca_bundle) env.SSL_CERT_FILE = p.ingress.ca_bundle;
  if (creds) {
    const c = readCredentials(creds);
    env.EFD_INFLUX_USER = c.username;
    env.EFD_INFLUX_PASSWORD = c.password;
  }
  return env;
}

async function k6Check(script: string, role: 'read' | 'admin'): Promise<Outcome> {
  if (!plan) return refused();
  const pre = judgeK6Prereq(plan.k6, findOnPath('k6'), script);
  if (pre) return pre;
  await loadRun().catch(() => undefined); // never two loads at once
  let env: Record<string, string> | string;
  try {
    env = k6Env(role);
  } catch (e) {
    return { status: 'error', reason: 'auth', message: `InfluxDB credentials for k6: ${(e as Error).message}` };
  }
  if (typeof env === 'string') return { status: 'error', reason: 'policy', message: env };
  const r = await runK6(findOnPath('k6')!, k6Script(script), env, (Math.min(plan.durationS, 120) + 90) * 1000);
  return judgeK6(script, r);
}

check(T.k6q, () => k6Check('influxql-query.js', 'read'), { timeoutMs: budgetMs + 240_000 });

check(T.k6w, async () => {
  const out = await k6Check('line-protocol-write.js', 'admin');
  if (out.status === 'skip' || !plan) return out;
  // the scenario's points go to one measurement of the load namespace: drop it and check it is gone
  const p = ctx.profile;
  const admin = p.influxdb.admin ? readCredentials(p.influxdb.admin) : undefined;
  const target = { url: p.influxdb.url, database: p.influxdb.database, timeoutMs: Math.max(p.timeout_ms, 10_000), auth: admin };
  try {
    const m = `${plan.prefix}.k6_lineProtocol`;
    if ((await loadMeasurements(target, plan.prefix)).includes(m)) await dropMeasurement(target, m);
    const left = (await loadMeasurements(target, plan.prefix)).filter((x) => x === m);
    if (left.length && out.status === 'pass')
      return { ...out, status: 'fail', reason: 'incomplete', message: `${out.message}, but measurement ${m} could not be removed` };
  } catch (e) {
    if (out.status === 'pass') return { ...out, status: 'error', reason: 'connect', message: `${out.message}, but its measurement could not be removed: ${(e as Error).message}` };
  }
  return out;
}, { timeoutMs: budgetMs + 240_000 });
