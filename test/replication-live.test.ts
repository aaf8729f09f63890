// The replication suite on the healthy local stack: every check passes, a run finishes well under 15 s,
// the verdict follows the last arrival within one poll interval, nothing is left behind on the clusters,
// and `efd-health run --suite replication` reports the same through the CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { defaultProfilePath, loadProfile } from '../src/config/profile.ts';
import { runReplicationProbe, type ReplicationRun } from '../src/markers/run.ts';
import { judge, REPLICATION_CHECK_IDS } from '../src/markers/verdict.ts';
import { listGroupIds, listTopics, topicOffsets, withAdmin } from '../src/probes/kafka.ts';
import { withStackLock } from '../scripts/stack/lock.ts';

const ROOT = resolve(import.meta.dirname, '..');
const profile = loadProfile(defaultProfilePath());
const tmp = mkdtempSync(join(tmpdir(), 'efd-repl-live-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// the stack lock keeps other helpers' faults out of a run that must see a healthy stack
const healthyRun = (): Promise<ReplicationRun> => withStackLock(() => runReplicationProbe(profile));

beforeAll(async () => {
  // on a fresh stack the first run creates the marker topic, which Telegraf picks up only on its next
  // reload: that run may be late; the tests judge the runs after it
  const first = await healthyRun();
  if (first.summitTopic?.created) await new Promise((r) => setTimeout(r, 5000));
}, 600_000);

test('healthy stack: every replication check passes, within the time budget', async () => {
  const groupsBefore = await listGroupIds(profile.kafka.ldf.bootstrap, profile.timeout_ms);
  const summitBefore = await topicOffsets(profile.kafka.summit.bootstrap, profile.timeout_ms, profile.markers.topic);
  const run = await healthyRun();
  const v = judge(run, { production: false, jmxConfigured: true });
  for (const [id, o] of Object.entries(v)) expect(`${id} ${o.status} ${o.reason}: ${o.message}`).toMatch(new RegExp(`^${id.replace(/\./g, '\\.')} pass ok`));

  // N markers over every partition of the marker topic
  const summitAfter = await topicOffsets(profile.kafka.summit.bootstrap, profile.timeout_ms, profile.markers.topic);
  const added = summitAfter.reduce((a, p) => a + p.high, 0) - summitBefore.reduce((a, p) => a + p.high, 0);
  expect(added).toBe(profile.markers.count);
  for (const p of summitAfter) expect(p.high).toBeGreaterThan(summitBefore.find((b) => b.partition === p.partition)?.high ?? 0);

  // performance: under 15 s; the verdict within one poll interval of the last arrival
  expect(run.timings.total_ms).toBeLessThan(15_000);
  expect(run.timings.verdict_delay_ms).toBeLessThanOrEqual(run.thresholds.pollIntervalMs);

  // per hop and end to end: p50/p95/p99/max and the plot series
  const e2e = v['replication.marker.e2e_latency'];
  for (const k of ['latency_ms_p50', 'latency_ms_p95', 'latency_ms_p99', 'latency_ms_max', 'replication_latency_ms_p99', 'sink_latency_ms_p99', 'resolution_ms'])
    expect(e2e.measurements, k).toHaveProperty(k);
  expect(e2e.series?.map((s) => s.kind)).toEqual(['histogram', 'timeline']);
  expect(v['replication.marker.replication_hop'].series?.[1].points).toHaveLength(profile.markers.count);

  // no consumer group is left behind (the LDF tail uses none)
  const groupsAfter = await listGroupIds(profile.kafka.ldf.bootstrap, profile.timeout_ms);
  expect(groupsAfter.filter((g) => !groupsBefore.includes(g) && /efd-health/.test(g))).toEqual([]);
  expect(groupsAfter.filter((g) => g.includes(run.runId))).toEqual([]);
  console.log(`healthy run ${Math.round(run.timings.total_ms)} ms; e2e ${JSON.stringify(e2e.measurements)}; mm2 ${JSON.stringify(v['replication.marker.mm2_crosscheck'].measurements)}`);
}, 600_000);

test('markers of another run on the topic are ignored', async () => {
  // two runs at once (a CronJob and a laptop): each judges only its own markers
  const [a, b] = await withStackLock(() => Promise.all([runReplicationProbe(profile), runReplicationProbe(profile)]));
  for (const run of [a, b]) {
    const v = judge(run, { production: false, jmxConfigured: false });
    expect(v['replication.marker.replication_hop'].status).toBe('pass');
    expect(v['replication.marker.duplicates'].status).toBe('pass');
    expect(run.report!.replication.arrived + run.report!.replication.late).toBe(profile.markers.count);
  }
  expect(a.report!.foreign + b.report!.foreign).toBeGreaterThan(0);
}, 600_000);

test('efd-health run --suite replication passes through the CLI and writes the findings', async () => {
  const dir = join(tmp, 'cli');
  const r = await withStackLock(async () =>
    spawnSync(process.execPath, ['bin/efd-health.js', 'run', '--suite', 'replication', '--report-dir', dir], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 }),
  );
  expect(r.status, r.stderr + r.stdout).toBe(0);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  const checks = report.suites.find((s: { name: string }) => s.name === 'replication').checks;
  expect(checks.map((c: { id: string; status: string }) => `${c.id} ${c.status}`).sort()).toEqual(
    REPLICATION_CHECK_IDS.map((id) => `${id} pass`).sort(),
  );
}, 600_000);

test('a new marker topic (non-production) is created, replicated and read by the sink in the same run', async () => {
  const topic = `lsst.sal.EFDHealth.logevent_fresh${Date.now()}`;
  const fresh = { ...profile, markers: { ...profile.markers, topic } };
  try {
    const run = await withStackLock(() => runReplicationProbe(fresh));
    const v = judge(run, { production: false, jmxConfigured: false });
    expect(v['replication.preflight.marker_topic']).toMatchObject({ status: 'pass', evidence: { created: true } });
    expect(v['replication.preflight.marker_topic'].message).toMatch(/created marker topic .* with 1 partition\(s\) \(non-production profile\)/);
    // the LDF topic appears on the replication's topic refresh; no marker may be lost on the way
    expect(v['replication.marker.replication_hop'].status).toBe('pass');
    expect(v['replication.marker.sink_hop'].status).toBe('pass');
    console.log(`fresh topic: LDF topic after ${Math.round(run.ldf?.topicWaitMs ?? 0)} ms; ${v['replication.marker.e2e_latency'].message}`);
  } finally {
    // the suite writes only to the marker topic; a test topic is removed again (Summit first, so it is not re-created)
    await withStackLock(async () => {
      for (const side of [profile.kafka.summit.bootstrap, profile.kafka.ldf.bootstrap])
        if ((await listTopics(side, profile.timeout_ms)).includes(topic)) await withAdmin(side, profile.timeout_ms, (a) => a.deleteTopics({ topics: [topic] }));
    });
  }
}, 600_000);
