// Fault matrix of the replication suite on the real local stack. Each case breaks one thing, runs the suite's
// probe, and checks that exactly the named check fails with its reason while every other check passes or
// skips (a hop whose input never arrived is skipped). Everything is restored in finally/afterAll.
// Hold the stack lock for the whole file:
//   flock /tmp/efd-stack.lock npx vitest run --config test/vitest.config.ts test/replication-faults.test.ts
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultProfilePath, loadProfile } from '../src/config/profile.ts';
import type { Profile } from '../src/config/types.ts';
import { newRunId, runReplicationProbe, type ReplicationRun } from '../src/markers/run.ts';
import { decodeWire, markerType } from '../src/markers/schema.ts';
import { judge, REPLICATION_CHECK_IDS, type ReplicationCheckId } from '../src/markers/verdict.ts';
import { groupFacts, kafkaClient, openTail, topicOffsets } from '../src/probes/kafka.ts';
import * as stack from '../scripts/stack/index.ts';
import { influxCredentials } from '../scripts/stack/influx.ts';
import { heldByAncestor } from '../scripts/stack/lock.ts';
import { cache, ports } from '../scripts/stack/paths.ts';
import { telegrafConf } from '../scripts/stack/telegraf.ts';
import { closedPort } from './cli-helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');
const base = loadProfile(defaultProfilePath());
const tmp = mkdtempSync(join(tmpdir(), 'efd-repl-faults-'));
const MIRROR = 'replicator-mirror-source';

type Verdicts = ReturnType<typeof judge>;

async function probe(profile: Profile = base, runId?: string, onReady?: () => Promise<void>): Promise<{ run: ReplicationRun; v: Verdicts }> {
  const run = await runReplicationProbe(profile, { runId, onReady });
  return { run, v: judge(run, { production: profile.production, jmxConfigured: !!profile.connect.jmx }) };
}

/** The named check has this status and reason; every other check passes or skips. */
function expectOnly(v: Verdicts, id: ReplicationCheckId, status: string, reason: string, skipped: ReplicationCheckId[] = []): void {
  const line = (k: ReplicationCheckId) => `${k} ${v[k].status} ${v[k].reason}: ${v[k].message}`;
  expect(line(id)).toMatch(new RegExp(`^${id.replace(/\./g, '\\.')} ${status} ${reason}:`));
  for (const k of REPLICATION_CHECK_IDS) {
    if (k === id) continue;
    expect(line(k)).toMatch(new RegExp(`^${k.replace(/\./g, '\\.')} ${skipped.includes(k) ? 'skip' : 'pass'} `));
  }
}

/** a refused connection: src/probes/errors.ts calls it `connect` (`refused` is in the reason list too) */
const REFUSED = '(?:connect|refused)';

const LATER: ReplicationCheckId[] = [
  'replication.marker.sink_hop',
  'replication.marker.e2e_latency',
  'replication.marker.duplicates',
  'replication.marker.influx_time',
  'replication.marker.mm2_crosscheck',
];

/** A Telegraf of our own in place of the stack's, from the stack's conf with one change (the stack has no hook for it). */
async function withOwnTelegraf<T>(edit: (conf: string) => string, fn: () => Promise<T>, password?: string): Promise<T> {
  const conf = edit(telegrafConf(ports()));
  const file = join(tmp, `telegraf-${Date.now()}.conf`);
  const logFile = `${file}.log`; // kept in tmp for a failing case
  writeFileSync(file, conf);
  const creds = influxCredentials();
  await stack.stop('telegraf');
  let child: ChildProcess | undefined;
  try {
    const out = openSync(logFile, 'w');
    child = spawn(join(cache.bin, 'telegraf'), ['--config', file], {
      env: { ...process.env, INFLUXDB_USER: creds.admin.user, INFLUXDB_PASSWORD: password ?? creds.admin.password },
      stdio: ['ignore', out, out],
    });
    return await fn();
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await stack.start('telegraf');
  }
}

async function until(what: string, fn: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  if (!heldByAncestor()) console.warn('replication-faults: run under `flock /tmp/efd-stack.lock …` so no one else touches the stack meanwhile');
  await stack.up({ quiet: true });
  // a first run creates the marker topic and schema and warms Telegraf's schema cache; on a fresh stack that
  // first run may find Telegraf not yet subscribed to the new topic (it picks topics up on reload), so the
  // healthy baseline is the run after it
  let { run, v } = await probe();
  if (run.summitTopic?.created) ({ run, v } = await probe());
  expect(Object.values(v).every((o) => o.status === 'pass'), JSON.stringify(v, null, 1)).toBe(true);
}, 600_000);

afterAll(async () => {
  await stack.resumeConnector(MIRROR).catch(() => {});
  await stack.up({ quiet: true });
  rmSync(tmp, { recursive: true, force: true });
}, 600_000);

describe('replication fault matrix', () => {
  test('healthy stack: every check passes', async () => {
    const { v } = await probe();
    for (const k of REPLICATION_CHECK_IDS) expect(`${k} ${v[k].status}`).toBe(`${k} pass`);
  }, 120_000);

  test('mirror-source connector paused → replication hop fails (not_arrived), hint with the connector state', async () => {
    await stack.pauseConnector(MIRROR);
    try {
      // PAUSED reaches the task within a second or so
      await new Promise((r) => setTimeout(r, 2000));
      const { v } = await probe();
      expectOnly(v, 'replication.marker.replication_hop', 'fail', 'not_arrived', LATER);
      expect(v['replication.marker.replication_hop'].hint).toMatch(/replicator-mirror-source PAUSED/);
    } finally {
      await stack.resumeConnector(MIRROR);
    }
  }, 120_000);

  test('sink (Telegraf) stopped → sink hop fails (not_arrived), hint with its consumer group', async () => {
    await stack.stop('telegraf');
    try {
      const { v } = await probe();
      expectOnly(v, 'replication.marker.sink_hop', 'fail', 'not_arrived', ['replication.marker.e2e_latency', 'replication.marker.influx_time']);
      expect(v['replication.marker.sink_hop'].hint).toMatch(/consumer group telegraf-efd is \w+ with 0 member\(s\) — no member: is Telegraf running\?/);
      expect(v['replication.marker.sink_hop'].hint).toMatch(/InfluxDB \/ping 204/);
    } finally {
      await stack.start('telegraf');
    }
  }, 120_000);

  test('InfluxDB stopped → sink hop fails with InfluxDB unreachable', async () => {
    await stack.stop('influxdb');
    try {
      const { v } = await probe();
      expectOnly(v, 'replication.marker.sink_hop', 'fail', REFUSED, ['replication.marker.e2e_latency', 'replication.marker.influx_time']);
      expect(v['replication.marker.sink_hop'].message).toMatch(/InfluxDB is unreachable/);
      expect(v['replication.marker.sink_hop'].hint).toMatch(/InfluxDB at 127\.0\.0\.1:\d+ is unreachable/);
    } finally {
      await stack.start('influxdb');
    }
  }, 120_000);

  test('Summit registry down → exit 3 before injection; the schema check errors (unreachable)', async () => {
    const before = await topicOffsets(base.kafka.summit.bootstrap, base.timeout_ms, base.markers.topic);
    await stack.stop('registry-summit');
    try {
      const cli = spawnSync(process.execPath, ['bin/efd-health.js', 'run', '--suite', 'replication', '--report-dir', join(tmp, 'cli')], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(cli.status, cli.stdout + cli.stderr).toBe(3);
      expect(cli.stderr + cli.stdout).toMatch(/registry-summit is unreachable/);
      // the suite's own check, should it get that far (e.g. --skip-preflight)
      const { run, v } = await probe();
      expect(run.tracker).toBeUndefined();
      expectOnly(v, 'replication.preflight.schema', 'error', 'unreachable', [
        'replication.marker.replication_hop',
        ...LATER,
      ]);
      const after = await topicOffsets(base.kafka.summit.bootstrap, base.timeout_ms, base.markers.topic);
      expect(after).toEqual(before);
    } finally {
      await stack.start('registry-summit');
    }
  }, 300_000);

  test('sink slowed (Telegraf flush_interval 8 s) → end-to-end latency fails (late)', async () => {
    await withOwnTelegraf((conf) => conf.replace(/flush_interval = "1s"/, 'flush_interval = "8s"'), async () => {
      await until('Telegraf to join telegraf-efd', async () => (await groupFacts(base.kafka.ldf.bootstrap, base.timeout_ms, 'telegraf-efd', base.markers.topic)).members > 0, 60_000);
      // a first run settles right after a flush (its verdict follows the last arrival); the next run's
      // markers then wait for the following flush, 8 s later, past the 5 s end-to-end SLA
      await probe();
      const { v } = await probe();
      expectOnly(v, 'replication.marker.e2e_latency', 'fail', 'late');
      expect(v['replication.marker.e2e_latency'].hint).toMatch(/slower hop is the sink/);
    });
  }, 300_000);

  test('sink stamping its own time (no avro_timestamp) → influx_time fails (schema)', async () => {
    const noTime = (conf: string) => conf.replace(/^\s*avro_timestamp(_format)? = .*$/gm, '');
    await withOwnTelegraf(noTime, async () => {
      await until('Telegraf to join telegraf-efd', async () => (await groupFacts(base.kafka.ldf.bootstrap, base.timeout_ms, 'telegraf-efd', base.markers.topic)).members > 0, 60_000);
      const { v } = await probe();
      expectOnly(v, 'replication.marker.influx_time', 'fail', 'schema');
      expect(v['replication.marker.influx_time'].hint).toMatch(/private_efdStamp/);
    });
  }, 300_000);

  /** Runs a probe while the first marker of the run read on `bootstrap` is produced there a second time. */
  async function probeWithCopy(bootstrap: string[]): Promise<Verdicts> {
    const runId = newRunId();
    const type = markerType(base.markers.topic);
    const producer = kafkaClient(bootstrap, base.timeout_ms).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    let copied = false;
    const tail = await openTail(bootstrap, base.timeout_ms, base.markers.topic, (r) => {
      const d = r.value && decodeWire(type, r.value);
      if (copied || !d || d.record.run_id !== runId) return;
      copied = true;
      void producer.send({ topic: base.markers.topic, messages: [{ partition: r.partition, key: r.key, value: r.value, timestamp: r.timestamp }] });
    });
    try {
      const { v } = await probe(base, runId);
      expect(copied).toBe(true);
      return v;
    } finally {
      await tail.close();
      await producer.disconnect();
    }
  }

  test('a marker delivered twice → duplicates fails (duplicate)', async () => {
    // a second delivery of the same record at the Summit (as a retrying producer or a replayed batch makes):
    // both copies replicate, so the LDF topic carries the marker twice
    const v = await probeWithCopy(base.kafka.summit.bootstrap);
    expectOnly(v, 'replication.marker.duplicates', 'fail', 'duplicate');
    expect(v['replication.marker.duplicates'].measurements?.duplicates).toBe(1);
    // the cause is read back, not assumed: two copies at the Summit
    expect(v['replication.marker.duplicates'].hint).toMatch(/^produced twice at the Summit: marker \d+ has 2 copies in lsst\.sal\.EFDHealth\.logevent_marker there; the replication carried each copy once/);
  }, 120_000);

  test('a marker delivered twice by the hop (one copy at the Summit, two at LDF) → duplicates fails, blaming the replication', async () => {
    // what a replication task that retried without idempotence leaves: a second copy at LDF only
    const v = await probeWithCopy(base.kafka.ldf.bootstrap);
    expectOnly(v, 'replication.marker.duplicates', 'fail', 'duplicate');
    expect(v['replication.marker.duplicates'].hint).toMatch(/^redelivered by the replication: marker \d+ has 1 copy at the Summit but more at LDF \(at-least-once/);
  }, 120_000);

  test('InfluxDB refuses the sink writes (wrong password) → sink hop fails, the hint says consumed but not written, from the InfluxDB counters', async () => {
    await withOwnTelegraf((c) => c, async () => {
      await new Promise((r) => setTimeout(r, 3000)); // the new Telegraf joins its group
      const { v } = await probe();
      expectOnly(v, 'replication.marker.sink_hop', 'fail', 'not_arrived', ['replication.marker.e2e_latency', 'replication.marker.influx_time']);
      const hint = v['replication.marker.sink_hop'].hint!;
      expect(hint).toMatch(/^consumed but not written: the sink is reading, and InfluxDB refused \d+ writes? or points during the run\. Evidence: consumer group telegraf-efd is Stable with 1 member\(s\)/);
      expect(hint).toMatch(/InfluxDB during the run \(SHOW STATS httpd\): writeReq \+\d+, pointsWrittenOK \+\d+, pointsWrittenFail \+\d+, pointsWrittenDropped \+\d+, authFail \+[1-9]\d*/);
      expect(hint).toMatch(/InfluxDB \/ping 204/);
    }, 'not-the-password');
  }, 180_000);

  test('the marker topic deleted and recreated at LDF before the markers → the tail starts over, no marker is lost at LDF, and the evidence says why', async () => {
    const admin = kafkaClient(base.kafka.ldf.bootstrap, base.timeout_ms).admin();
    await admin.connect();
    try {
      const recreate = async () => {
        await admin.deleteTopics({ topics: [base.markers.topic], timeout: 10_000 });
        await until('the LDF marker topic to be recreated', async () => {
          try {
            await admin.createTopics({ topics: [{ topic: base.markers.topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
          } catch {
            // still being deleted, or the replication's producer created it first
          }
          return (await admin.listTopics()).includes(base.markers.topic);
        }, 30_000);
      };
      const { run, v } = await probe(base, undefined, recreate);
      const hop = v['replication.marker.replication_hop'];
      // every marker is in InfluxDB, so none is lost at an earlier hop: arrived, or at worst unobserved
      expect(`${hop.status} ${hop.reason}`).toMatch(/^(pass ok|warn unobserved)$/);
      expect(hop.measurements?.markers_lost).toBe(0);
      expect(v['replication.marker.e2e_latency'].status).toBe('pass');
      const events = (hop.evidence?.tail_events ?? []) as Array<{ what: string }>;
      expect(events.map((e) => e.what).join('\n')).toMatch(/offset \d+ out of range: the topic was recreated or truncated; reading again from offset 0/);
      expect(run.report!.replication.lost).toBe(0);
    } finally {
      await admin.disconnect();
    }
  }, 180_000);

  test('MM2 switched to a prefixing policy → live_policy fails (drift) and markers are followed to the live name; with Connect unreadable they are found there', async () => {
    const url = `${base.connect.url}/connectors/${MIRROR}/config`;
    const declared = (await (await fetch(url)).json()) as Record<string, string>;
    const renamed = `summit.${base.markers.topic}`;
    const put = async (config: Record<string, string>) => {
      const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(config) });
      expect(res.ok, await res.text()).toBe(true);
    };
    // only the marker topic is carried meanwhile: the other topics keep their source offsets and replicate their
    // backlog under their own names once the policy is back, so the box loses no data to this fault
    const markerOnly = base.markers.topic.replace(/\./g, '\\.');
    await put({ ...declared, 'replication.policy.class': 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy', topics: markerOnly });
    try {
      const { listTopics } = await import('../src/probes/kafka.ts');
      await until(`${renamed} at LDF`, async () => (await listTopics(base.kafka.ldf.bootstrap, base.timeout_ms)).includes(renamed), 60_000);
      // the tasks run the new config once Connect has handed it to them and they are RUNNING again
      await until('the mirror task on the prefixing policy', async () => {
        const tasks = (await (await fetch(`${base.connect.url}/connectors/${MIRROR}/tasks`)).json()) as Array<{ config: Record<string, string> }>;
        const status = (await (await fetch(`${base.connect.url}/connectors/${MIRROR}/status`)).json()) as { tasks: Array<{ state: string }> };
        return tasks.length > 0 && tasks.every((t) => /DefaultReplicationPolicy$/.test(t.config['replication.policy.class'] ?? '')) && status.tasks.every((t) => t.state === 'RUNNING');
      }, 60_000);
      const live = await probe();
      expect(live.v['replication.preflight.live_policy']).toMatchObject({ status: 'fail', reason: 'drift' });
      expect(live.v['replication.preflight.live_policy'].message).toMatch(
        new RegExp(`^the replication runs otherwise than the manifests declare: ${MIRROR} runs with DefaultReplicationPolicy: summit\\.<topic>; the manifests declare IdentityReplicationPolicy: same name; ${MIRROR} carries /${markerOnly.replace(/\\/g, '\\\\').replace(/\./g, '\\.')}/`),
      );
      expect(live.v['replication.preflight.live_policy'].message).toMatch(new RegExp(`; markers go to ${renamed.replace(/\./g, '\\.')} at LDF$`));
      expect(live.v['replication.preflight.topic_patterns'].message).toContain(`→ ${renamed} at LDF →`);
      const followed = live.v['replication.marker.replication_hop'];
      expect(`${followed.status}: ${followed.message}`).toMatch(/^pass: 20\/20 markers at LDF Kafka/);
      expect(followed.evidence?.ldf_topic).toBe(renamed);
      // from a vantage that cannot read Connect, the suite expects the manifests' name and finds the markers elsewhere
      const blind = await probe({ ...base, connect: { ...base.connect, url: `http://127.0.0.1:${await closedPort()}` } });
      const hop = blind.v['replication.marker.replication_hop'];
      expect(hop).toMatchObject({ status: 'fail', reason: 'policy' });
      // the sink may or may not have picked the new topic up yet: either way the markers were found under it
      expect(hop.message).toMatch(new RegExp(`^20 of 20 markers did not reach ${base.markers.topic.replace(/\./g, '\\.')} at LDF Kafka: they arrived under ${renamed.replace(/\./g, '\\.')} \\(20\\) instead`));
      expect(hop.hint).toMatch(/^the replication wrote them under another name than the manifests' replication policy \(the live config could not be read\) gives/);
      expect(hop.hint).toMatch(/the sink telegraf-efd\/telegraf\.conf#0 reads summit\.lsst\.sal\.EFDHealth\.logevent_marker too/);
    } finally {
      await put(declared);
      const admin = kafkaClient(base.kafka.ldf.bootstrap, base.timeout_ms).admin();
      await admin.connect();
      const prefixed = (await admin.listTopics()).filter((t) => t.startsWith('summit.'));
      await admin.deleteTopics({ topics: prefixed, timeout: 30_000 }).catch(() => {});
      await admin.disconnect();
    }
  }, 300_000);

  test('the Summit broker frozen (accepts connections, answers nothing) → exit 3 "does not answer", and the run still writes its report', async () => {
    await stack.freeze('kafka-summit');
    try {
      const dir = join(tmp, 'frozen');
      const cli = spawnSync(process.execPath, ['bin/efd-health.js', 'run', '--suite', 'replication', '--report-dir', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(cli.status, cli.stdout + cli.stderr).toBe(3);
      expect(cli.stderr.trimEnd().split('\n').at(-1)).toMatch(
        /^efd-health: preflight: kafka-summit does not answer from vantage local \(127\.0\.0\.1:\d+ accepted the connection but did not answer a Kafka ApiVersions request within 2000 ms\), and the replication suite needs it/,
      );
      const meta = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
      expect(meta).toMatchObject({ exit_code: 3, status: 'error' });
      expect(meta.preflight_error).toMatch(/kafka-summit does not answer/);
    } finally {
      await stack.thaw('kafka-summit');
    }
  }, 120_000);

  test('LDF registry down → the schema check fails (unreachable); Telegraf decodes from its cache', async () => {
    // Telegraf caches schema ids for its lifetime and has decoded markers since its last start (test above)
    await stack.stop('registry-ldf');
    try {
      const { v } = await probe();
      expectOnly(v, 'replication.preflight.schema', 'fail', 'unreachable');
      expect(v['replication.preflight.schema'].message).toMatch(/the LDF registry cannot be asked for schema id \d+/);
    } finally {
      await stack.start('registry-ldf');
    }
  }, 300_000);

  test('MM2 metrics unreachable (wrong connect.jmx) → the cross-check errors (connect)', async () => {
    const { v } = await probe({ ...base, connect: { ...base.connect, jmx: '127.0.0.1:9' } });
    expectOnly(v, 'replication.marker.mm2_crosscheck', 'error', REFUSED);
  }, 120_000);

  test('LDF broker stopped → replication hop fails (connect), nothing is sent', async () => {
    const before = await topicOffsets(base.kafka.summit.bootstrap, base.timeout_ms, base.markers.topic);
    await stack.stop('kafka-ldf');
    try {
      const { run, v } = await probe();
      expectOnly(v, 'replication.marker.replication_hop', 'fail', REFUSED, LATER);
      expect(v['replication.marker.replication_hop'].message).toMatch(/markers cannot be seen at LDF Kafka, so none was sent/);
      expect(run.tracker).toBeDefined();
      const after = await topicOffsets(base.kafka.summit.bootstrap, base.timeout_ms, base.markers.topic);
      expect(after).toEqual(before);
    } finally {
      await stack.start('kafka-ldf');
      await stack.up({ quiet: true });
    }
  }, 300_000);
});

describe('replication bad input (no stack change)', () => {
  test('the replication does not carry the marker topic → topic_patterns fails (policy) when judged by the manifests; drift when Connect runs otherwise', async () => {
    const dir = join(tmp, 'manifests');
    const { mkdirSync, cpSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    cpSync(join(ROOT, 'manifests/local'), dir, { recursive: true });
    const f = join(dir, 'replicator.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('topics: lsst\\.sal\\..*,kafkasql-journal', 'topics: lsst\\.sal\\.MT.*,kafkasql-journal'));
    // Connect unreadable from this vantage: the manifests are all there is to judge by
    const blind = { ...base, manifests: dir, connect: { ...base.connect, url: `http://127.0.0.1:${await closedPort()}` } };
    const { run, v } = await probe(blind);
    expectOnly(v, 'replication.preflight.topic_patterns', 'fail', 'policy', REPLICATION_CHECK_IDS.filter((k) => k !== 'replication.preflight.topic_patterns'));
    expect(v['replication.preflight.topic_patterns'].message).toMatch(/replicator-mirror-source \(replicator\.yaml:\d+\) does not carry/);
    expect(v['replication.preflight.live_policy'].message).toMatch(/the replication's live config cannot be read from Connect at http:\/\/127\.0\.0\.1:\d+ .*; the run routed markers by the manifests' policy/);
    expect(run.summitTopic).toBeUndefined();
    // Connect readable: the markers follow what runs, and the difference from the manifests is the finding
    const seen = await probe({ ...base, manifests: dir });
    expectOnly(seen.v, 'replication.preflight.live_policy', 'fail', 'drift');
    expect(seen.v['replication.preflight.live_policy'].message).toBe(
      'the replication runs otherwise than the manifests declare: replicator-mirror-source carries /lsst\\.sal\\..*/, /kafkasql-journal/ ' +
        '(excluding .*[\\-\\.]internal, .*\\.replica, __.*); the manifests declare /lsst\\.sal\\.MT.*/, /kafkasql-journal/ ' +
        `(excluding .*[\\-\\.]internal, .*\\.replica, __.*); markers go to ${base.markers.topic} at LDF`,
    );
  }, 120_000);

  test('production profile and no marker topic at the Summit → marker_topic fails (missing), nothing is created', async () => {
    const topic = `lsst.sal.EFDHealth.logevent_absent${Date.now()}`;
    const { v } = await probe({ ...base, production: true, markers: { ...base.markers, topic } });
    expectOnly(v, 'replication.preflight.marker_topic', 'fail', 'missing', REPLICATION_CHECK_IDS.filter((k) => !['replication.preflight.topic_patterns', 'replication.preflight.live_policy', 'replication.preflight.marker_topic'].includes(k)));
    const { listTopics } = await import('../src/probes/kafka.ts');
    expect(await listTopics(base.kafka.summit.bootstrap, base.timeout_ms)).not.toContain(topic);
  }, 60_000);
});
