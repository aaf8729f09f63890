// The load suite on the real local stack, through the CLI (`efd-health run --suite load`):
//  - a run at 1.9 MB/s, first on the stack as the tests find it (cold in CI): its warm-up ends once the
//    pipeline is steady (load.pipeline.warmup), then its 30 s measured window passes and it removes what it wrote;
//  - with the sink stopped, the warm-up never gets steady: load.pipeline.warmup fails at its bound and the
//    keep-up checks skip, since nothing was measured;
//  - with the sink stopped and no warm-up, load.pipeline.sink_lag fails with "pipeline did not keep up" and the lag;
//  - a production profile without --allow-production exits 4 before anything is sent.
// EFD_LOAD_TEST_RATE overrides the rate. The live runs take the stack lock (scripts/stack/lock.ts), and the
// sink is restarted in finally.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { withStackLock } from '../scripts/stack/lock.ts';
import { defaultProfilePath, loadProfile, REPO_ROOT } from '../src/config/profile.ts';
import { readCredentials } from '../src/config/secrets.ts';
import { loadMeasurements } from '../src/load/influx.ts';
import { loadTrafficModel } from '../src/load/traffic.ts';
import { parseRate } from '../src/load/units.ts';
import { topicOffsets, listTopics } from '../src/probes/kafka.ts';
import { subjects } from '../src/probes/registry.ts';
import { cliRun, type RunResult } from './cli-helpers.ts';

const profile = loadProfile(defaultProfilePath());
const prefix = profile.load.topic_prefix;
const tmp = mkdtempSync(join(tmpdir(), 'efd-load-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Run = RunResult;

const efdHealth = (args: string[], timeoutMs: number): Promise<Run> => cliRun(args, join(tmp, `run-${Date.now()}`), timeoutMs);

const byId = (r: Run, id: string) => r.findings.find((f) => f.id === id);
const show = (r: Run) => r.findings.map((f) => `${f.status} ${f.id} ${f.reason}: ${f.message}`).join('\n') + '\n' + r.output.slice(-3000);

async function stack() {
  return import('../scripts/stack/index.ts');
}

/** A run of the CLI while the sink is stopped (under the stack lock; the sink is started again in finally). */
async function withSinkStopped(args: string[]): Promise<Run> {
  const s = await stack();
  return withStackLock(async () => {
    await s.stop('telegraf');
    try {
      return await efdHealth(args, 480_000);
    } finally {
      await s.start('telegraf', { quiet: true });
    }
  });
}

/** Nothing of the load namespace is left: no records at either cluster, no measurements, no subjects. */
async function assertNothingLeft() {
  const topics = loadTrafficModel(prefix).map((t) => t.topic);
  for (const cluster of [profile.kafka.summit, profile.kafka.ldf]) {
    const present = new Set(await listTopics(cluster.bootstrap, profile.timeout_ms));
    for (const t of topics.filter((x) => present.has(x))) {
      const offs = await topicOffsets(cluster.bootstrap, profile.timeout_ms, t);
      expect(offs.reduce((n, o) => n + o.high - o.low, 0), `${cluster.bootstrap} ${t}`).toBe(0);
    }
  }
  const admin = readCredentials(profile.influxdb.admin!);
  const target = { url: profile.influxdb.url, database: profile.influxdb.database, timeoutMs: 10_000, auth: admin };
  expect(await loadMeasurements(target, prefix)).toEqual([]);
  const left = (await subjects(profile.registry.summit.url, profile.timeout_ms)).filter((s) => s.startsWith(prefix + '.'));
  const cleanup = byId(lastHealthy!, 'load.cleanup.removed');
  // subjects are removed when the registry allows deletes; otherwise the cleanup says they were kept
  if (left.length) expect(JSON.stringify(cleanup?.evidence)).toMatch(/refuses deletes/);
}

let lastHealthy: Run | undefined;
const RATE = process.env.EFD_LOAD_TEST_RATE ?? '1.9MB/s';

describe('load suite on the local stack', () => {
  // first, on whatever state the stack is in (cold in CI): the run warms itself up until steady, then judges
  test(`a run at ${RATE} warms up until steady, then passes its 30 s measured window and cleans up`, async () => {
    const r = await withStackLock(() => efdHealth(['--suite', 'load', '--rate', RATE, '--duration', '30s'], 600_000));
    lastHealthy = r;
    expect(r.code, show(r)).toBe(0);
    for (const id of ['load.pipeline.warmup', 'load.generator.rate', 'load.pipeline.replication_lag', 'load.pipeline.sink_lag', 'load.pipeline.influx_points', 'load.pipeline.markers', 'load.cleanup.removed'])
      expect(`${id} ${byId(r, id)?.status}`, show(r)).toBe(`${id} pass`);
    const warm = byId(r, 'load.pipeline.warmup')!;
    expect(warm.message).toMatch(/^steady after .* \(both lags ≤ 5 s for 20 s; bound 4 min/);
    expect(warm.measurements!.warmup_s).toBeGreaterThanOrEqual(20);
    expect(byId(r, 'load.ramp.max_rate')?.status).toBe('skip');
    expect(byId(r, 'load.k6.influxql_query')?.message).toMatch(/not requested/);
    const gen = byId(r, 'load.generator.rate')!;
    const mb = parseRate(RATE) / 1e6;
    expect(gen.measurements!.mb_per_s).toBeGreaterThan(mb * 0.98);
    expect(gen.measurements!.mb_per_s).toBeLessThan(mb * 1.02);
    expect(gen.measurements!.measured_s).toBeGreaterThanOrEqual(29);
    expect(gen.message).toMatch(/MB\/s \(.* MiB\/s\)/);
    expect(gen.measurements).toHaveProperty('ack_latency_ms_p99');
    expect(gen.measurements).toHaveProperty('send_delay_ms_p99');
    await assertNothingLeft();
  }, 660_000);

  test(`a run at ${RATE} with the sink stopped never gets steady: load.pipeline.warmup fails at its bound, nothing is measured`, async () => {
    const r = await withSinkStopped(['--suite', 'load', '--rate', RATE, '--duration', '30s', '--warmup', '30s']);
    expect(r.code, show(r)).toBe(1);
    const failing = r.findings.filter((f) => f.status === 'fail' || f.status === 'error').map((f) => f.id);
    expect(failing, show(r)).toEqual(['load.pipeline.warmup']);
    const warm = byId(r, 'load.pipeline.warmup')!;
    expect(warm.reason).toBe('keep_up');
    expect(warm.message).toMatch(/pipeline did not keep up: not steady \(both lags ≤ 5 s for 20 s\) within the 30 s warm-up .* sink lag \d+(\.\d+)? s/);
    for (const id of ['load.generator.rate', 'load.pipeline.sink_lag', 'load.pipeline.influx_points', 'load.pipeline.markers'])
      expect(byId(r, id)?.message, id).toMatch(/nothing was measured: the warm-up did not become steady/);
    expect(byId(r, 'load.cleanup.removed')?.status, show(r)).toBe('pass');
  }, 600_000);

  test(`a 30 s run at ${RATE} without warm-up and with the sink stopped fails: "pipeline did not keep up" and the lag figure`, async () => {
    const r = await withSinkStopped(['--suite', 'load', '--rate', RATE, '--duration', '30s', '--warmup', '0']);
    expect(r.code, show(r)).toBe(1);
    expect(byId(r, 'load.pipeline.warmup')?.status, show(r)).toBe('skip');
    const sink = byId(r, 'load.pipeline.sink_lag')!;
    expect(sink.status, show(r)).toBe('fail');
    expect(sink.reason).toBe('keep_up');
    expect(sink.message).toContain('pipeline did not keep up');
    expect(sink.message).toMatch(/sink lag .*(reached|grew) .*\d+\.\d s/);
    expect(sink.measurements!.sink_lag_s_max).toBeGreaterThan(10);
    // the replication hop still kept up: the failure is pinned on the sink
    expect(byId(r, 'load.pipeline.replication_lag')?.status, show(r)).toBe('pass');
    expect(byId(r, 'load.pipeline.influx_points')?.message).toContain('pipeline did not keep up');
    // with nothing written at all, the drain gives up early and says why
    expect(byId(r, 'load.pipeline.influx_points')?.message).toMatch(/still missing after waiting \d+(\.\d)? s, the last 20 s without a single new point/);
    expect(byId(r, 'load.cleanup.removed')?.status, show(r)).toBe('pass');
  }, 600_000);

  test('a production profile without --allow-production exits 4 before anything is sent', async () => {
    const raw = parse(readFileSync(defaultProfilePath(), 'utf8'));
    const base = resolve(REPO_ROOT, 'profiles');
    // same endpoints as the local profile, with paths made absolute for the temp copy
    raw.manifests = resolve(base, raw.manifests);
    raw.ingress.ca_bundle = resolve(base, raw.ingress.ca_bundle);
    for (const role of ['read', 'admin']) for (const k of ['username', 'password']) raw.influxdb[role][k].file = resolve(base, raw.influxdb[role][k].file);
    for (const k of ['username', 'password']) raw.report.influxdb.credentials[k].file = resolve(base, raw.report.influxdb.credentials[k].file);
    raw.production = true;
    raw.env = 'prodlike';
    const file = join(tmp, 'prodlike.yaml');
    writeFileSync(file, stringify(raw));
    const summitBefore = await topicOffsets(profile.kafka.summit.bootstrap, profile.timeout_ms, `${prefix}.forceActuatorData`).catch(() => []);
    const r = await efdHealth(['--suite', 'load', '--profile', file, '--rate', '1.9MB/s', '--duration', '30s'], 60_000);
    expect(r.code, r.output).toBe(4);
    expect(r.output).toMatch(/production.*--allow-production/);
    expect(r.output).not.toMatch(/\n\s+at /); // one sentence, no stack trace
    const summitAfter = await topicOffsets(profile.kafka.summit.bootstrap, profile.timeout_ms, `${prefix}.forceActuatorData`).catch(() => []);
    expect(summitAfter).toEqual(summitBefore);
    // and a rate over the profile's cap is refused the same way
    const capped = await efdHealth(['--suite', 'load', '--rate', '60MB/s'], 60_000);
    expect(capped.code, capped.output).toBe(4);
    expect(capped.output).toMatch(/exceeds load\.max_rate_bytes_per_s/);
  }, 180_000);
});
