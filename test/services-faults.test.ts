// Fault matrix of the services suite on the real local stack: each fault breaks one thing, the suite runs
// through the CLI with a test profile, and exactly the expected check fails with its reason. Everything is
// restored in finally/afterAll. Hold the stack lock around this file:
//   flock /tmp/efd-stack.lock npx vitest run --config test/vitest.config.ts test/services-faults.test.ts
import { cpSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { failingIds, influxAdmin, localProfileRaw, of, removeTopics, runSuite, testProfile, waitUntil, type SuiteRun, type TestProfile } from './data-support.ts';
import { connectorConfig, connectorStatus, putConnectorAction, putConnectorConfig } from '../src/probes/connect.ts';
import { rest } from '../src/probes/rest.ts';
import { createTopics, deleteSubjects, listTopicNames, registerSchemas } from '../src/data/synthetic.ts';
import { loadRetention, defaultRetention } from '../src/model/influx.ts';
import { parseRetentionRows, influxDurationHours } from '../src/services/influx.ts';

const raw = localProfileRaw();
const CONNECT = raw.connect.url as string;
const SUMMIT = raw.kafka.summit.bootstrap as string[];
const LDF = raw.kafka.ldf.bootstrap as string[];
const REG_SUMMIT = raw.registry.summit.url as string;
const REG_LDF = raw.registry.ldf.url as string;
const HEARTBEAT = 'replicator-heartbeat';
const MIRROR = 'replicator-mirror-source';
const T = 5_000;

const profiles: TestProfile[] = [];
function profile(...a: Parameters<typeof testProfile>): TestProfile {
  const p = testProfile(...a);
  profiles.push(p);
  return p;
}

/** A temp copy of the stack's manifests with `edit` applied to its KafkaConnector documents. */
function manifestsCopy(edit: (docs: any[]) => any[], extraFiles: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'efd-health-manifests-'));
  cpSync(raw.manifests, dir, { recursive: true });
  const file = join(dir, 'replicator.yaml');
  const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
  writeFileSync(file, edit(docs).map((d) => stringify(d)).join('---\n'));
  for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(dir, name), text);
  profiles.push({ file: '', dir, remove: () => rmSync(dir, { recursive: true, force: true }) });
  return dir;
}

function show(run: SuiteRun): string {
  return run.findings.map((f) => `${f.status} ${f.id} [${f.target}] ${f.reason}: ${f.message}`).join('\n') + '\n' + run.output.slice(-2000);
}

async function waitRunning(name: string) {
  await waitUntil(`${name} RUNNING`, async () => {
    const s = await connectorStatus(CONNECT, T, name);
    return s.connector.state === 'RUNNING' && s.tasks.every((t) => t.state === 'RUNNING');
  }, 60_000);
}

let heartbeatConfig: Record<string, string>;

beforeAll(async () => {
  heartbeatConfig = await connectorConfig(CONNECT, T, HEARTBEAT);
  delete heartbeatConfig.name;
});

afterAll(async () => {
  // whatever a failed test left behind: the heartbeat config, a paused mirror, the summit compatibility
  await putConnectorConfig(CONNECT, T, HEARTBEAT, heartbeatConfig).catch(() => {});
  await putConnectorAction(CONNECT, T, MIRROR, 'resume').catch(() => {});
  await rest(`${REG_SUMMIT}/config`, { timeoutMs: T, method: 'PUT', body: { compatibility: 'BACKWARD' } }).catch(() => {});
  for (const p of profiles) p.remove();
});

describe('services suite on the local stack', () => {
  test('healthy stack: nothing fails', async () => {
    const run = await runSuite('services', profile());
    expect(failingIds(run), show(run)).toEqual([]);
    expect(of(run, 'services.connect.state').length).toBeGreaterThanOrEqual(3);
  });

  test('a connector task FAILED: services.connect.state fails with state, the trace in the hint', async () => {
    // deployed as declared, but the declared config makes the task fail (a bad manifest synced by Argo CD):
    // the manifests copy carries the same bad key, so only the state check can see it
    const bad = { ...heartbeatConfig, 'producer.override.compression.type': 'bogus' };
    const manifests = manifestsCopy((docs) =>
      docs.map((d) => (d.metadata.name === HEARTBEAT ? { ...d, spec: { ...d.spec, config: { ...d.spec.config, 'producer.override.compression.type': 'bogus' } } } : d)),
    );
    try {
      expect((await putConnectorConfig(CONNECT, T, HEARTBEAT, bad)).status).toBe(200);
      await waitUntil('heartbeat task FAILED', async () => (await connectorStatus(CONNECT, T, HEARTBEAT)).tasks[0]?.state === 'FAILED', 60_000);
      const run = await runSuite('services', profile({}, (p) => (p.manifests = manifests)));
      expect(failingIds(run), show(run)).toEqual(['services.connect.state']);
      const [f] = of(run, 'services.connect.state', HEARTBEAT);
      expect(f).toMatchObject({ status: 'fail', reason: 'state' });
      expect(f.message).toMatch(/task 0 FAILED/);
      expect(f.hint).toMatch(/ConfigException: Invalid value bogus for configuration compression.type/);
      expect(of(run, 'services.connect.state', MIRROR)[0].status).toBe('pass');
    } finally {
      await putConnectorConfig(CONNECT, T, HEARTBEAT, heartbeatConfig);
      await waitRunning(HEARTBEAT);
    }
  });

  test('a connector config changed by hand: services.connect.drift names every key, secrets masked', async () => {
    const changed = { ...heartbeatConfig, 'emit.heartbeats.interval.seconds': '2', 'efd-health.fault.token': 'not-for-reports-42' };
    try {
      expect((await putConnectorConfig(CONNECT, T, HEARTBEAT, changed)).status).toBe(200);
      await waitRunning(HEARTBEAT);
      const run = await runSuite('services', profile());
      expect(failingIds(run), show(run)).toEqual(['services.connect.drift']);
      const [f] = of(run, 'services.connect.drift', HEARTBEAT);
      expect(f).toMatchObject({ status: 'fail', reason: 'drift' });
      expect(f.message).toContain('changed emit.heartbeats.interval.seconds: 1 → 2');
      expect(f.message).toContain('extra efd-health.fault.token (live ***)');
      expect(JSON.stringify(run.findings)).not.toContain('not-for-reports-42');
      expect(of(run, 'services.connect.drift', MIRROR)[0].status).toBe('pass');
    } finally {
      await putConnectorConfig(CONNECT, T, HEARTBEAT, heartbeatConfig);
      await waitRunning(HEARTBEAT);
    }
  });

  test('declared connector absent (fail) and live connector undeclared (warn): services.connect.declared', async () => {
    const manifests = manifestsCopy((docs) => [
      ...docs.filter((d) => d.metadata.name !== 'replicator-checkpoint'),
      { ...docs[0], metadata: { ...docs[0].metadata, name: 'replicator-ghost' } },
    ]);
    const run = await runSuite('services', profile({}, (p) => (p.manifests = manifests)));
    expect(failingIds(run), show(run)).toEqual(['services.connect.declared']);
    const fs = of(run, 'services.connect.declared');
    expect(fs.find((f) => f.status === 'fail')).toMatchObject({ reason: 'missing' });
    expect(fs.find((f) => f.status === 'fail')!.message).toContain('replicator-ghost');
    expect(fs.find((f) => f.status === 'warn')).toMatchObject({ reason: 'drift' });
    expect(fs.find((f) => f.status === 'warn')!.message).toContain('replicator-checkpoint');
  });

  test('a schema registered at the Summit while replication is paused: services.registry.parity fails with parity', async () => {
    const topic = 'lsst.sal.EFDHealthFault.logevent_parity';
    try {
      const r = await putConnectorAction(CONNECT, T, MIRROR, 'pause');
      expect(r.status).toBeLessThan(300);
      await waitUntil('mirror paused', async () => {
        // the connector reports PAUSED before its task stops: wait for the task too
        const st = await connectorStatus(CONNECT, T, MIRROR);
        return st.connector.state === 'PAUSED' && st.tasks.every((t) => t.state === 'PAUSED');
      }, 30_000);
      await registerSchemas(REG_SUMMIT, [topic], { extra: `run ${Date.now()}` });
      const run = await runSuite('services', profile());
      const [f] = of(run, 'services.registry.parity');
      expect(f, show(run)).toMatchObject({ status: 'fail', reason: 'parity' });
      expect(f.message).toContain(`${topic}-value`);
      // pausing the mirror is itself visible: the connector is not RUNNING; nothing else fails
      expect(failingIds(run), show(run)).toEqual(['services.connect.state', 'services.registry.parity']);
      expect(of(run, 'services.connect.state').filter((x) => x.status === 'fail').map((x) => x.target)).toEqual([MIRROR]);
    } finally {
      await putConnectorAction(CONNECT, T, MIRROR, 'resume');
      await waitRunning(MIRROR);
      await deleteSubjects(REG_SUMMIT, [`${topic}-value`]);
      await waitUntil('subject gone at LDF', async () => {
        const a = await rest<string[]>(`${REG_LDF}/subjects`, { timeoutMs: T });
        return Array.isArray(a.body) && !a.body.includes(`${topic}-value`);
      }, 60_000);
    }
  });

  test('compatibility level changed at the Summit: services.registry.compatibility fails with policy', async () => {
    try {
      const r = await rest(`${REG_SUMMIT}/config`, { timeoutMs: T, method: 'PUT', body: { compatibility: 'NONE' }, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } });
      expect(r.status).toBe(200);
      const run = await runSuite('services', profile());
      expect(failingIds(run), show(run)).toEqual(['services.registry.compatibility']);
      const f = of(run, 'services.registry.compatibility', 'registry-summit')[0];
      expect(f).toMatchObject({ status: 'fail', reason: 'policy' });
      expect(f.message).toContain('global level is NONE');
    } finally {
      await rest(`${REG_SUMMIT}/config`, { timeoutMs: T, method: 'PUT', body: { compatibility: 'BACKWARD' }, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } });
      await waitUntil('LDF back to BACKWARD', async () => {
        const a = await rest<{ compatibilityLevel: string }>(`${REG_LDF}/config`, { timeoutMs: T });
        return a.body.compatibilityLevel === 'BACKWARD';
      }, 60_000);
    }
  });

  test('retention changed in InfluxDB: services.influxdb.retention fails with drift', async () => {
    const rows = (await influxAdmin(`SHOW RETENTION POLICIES ON "${raw.influxdb.database}"`))[0].series[0];
    const live = parseRetentionRows(rows.columns, rows.values).find((p) => p.isDefault)!;
    // the manifests' declaration; if the stack's manifests declare none yet, a copy declares what runs now
    let manifests: string = raw.manifests;
    if (!defaultRetention(loadRetention(raw.manifests), raw.influxdb.database)) {
      manifests = manifestsCopy((d) => d, {
        'influxdb-init.yaml': stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'influxdb-init' },
          data: { 'init.iql': `CREATE DATABASE ${raw.influxdb.database} WITH DURATION ${live.hours === 0 ? 'INF' : `${live.hours}h`} NAME ${live.name}` },
        }),
      });
    }
    const altered = live.hours === 1000 ? '1200h' : '1000h';
    try {
      await influxAdmin(`ALTER RETENTION POLICY "${live.name}" ON "${raw.influxdb.database}" DURATION ${altered}`);
      const run = await runSuite('services', profile({}, (p) => (p.manifests = manifests)));
      expect(failingIds(run), show(run)).toEqual(['services.influxdb.retention']);
      const [f] = of(run, 'services.influxdb.retention');
      expect(f).toMatchObject({ status: 'fail', reason: 'drift' });
      expect(f.measurements?.live_hours).toBe(influxDurationHours(altered));
    } finally {
      await influxAdmin(`ALTER RETENTION POLICY "${live.name}" ON "${raw.influxdb.database}" DURATION ${live.hours === 0 ? 'INF' : `${live.hours}h`}`);
    }
  });

  test('an event topic with three partitions: services.kafka.event_partitions fails with policy on both sides', async () => {
    const topic = 'lsst.sal.EFDHealthFault.logevent_threePartitions';
    try {
      await createTopics(SUMMIT, [topic], 3);
      await waitUntil('replicated to LDF', async () => (await listTopicNames(LDF)).includes(topic), 60_000);
      const run = await runSuite('services', profile());
      expect(failingIds(run), show(run)).toEqual(['services.kafka.event_partitions']);
      for (const side of ['kafka-summit', 'kafka-ldf']) {
        const [f] = of(run, 'services.kafka.event_partitions', side);
        expect(f).toMatchObject({ status: 'fail', reason: 'policy' });
        expect(f.message).toContain(`${topic} (3)`);
      }
    } finally {
      await removeTopics([topic], { subjects: false });
    }
  });

  test('unreachable services and wrong expectations in the profile: each reachability check says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'efd-health-secret-'));
    writeFileSync(join(dir, 'wrong-password'), 'not-the-password');
    profiles.push({ file: '', dir, remove: () => rmSync(dir, { recursive: true, force: true }) });
    const p = profile({ 'services.influxdb.version': { min_version: '9.0' } }, (x) => {
      x.kafka.summit.bootstrap = ['127.0.0.1:1'];
      x.kafka.ldf.brokers = 3;
      x.registry.ldf.url = 'http://127.0.0.1:1/apis/ccompat/v7';
      x.connect.url = 'http://127.0.0.1:1';
      x.influxdb.read.password = { file: join(dir, 'wrong-password') };
    });
    const run = await runSuite('services', p);
    const get = (id: string, target?: string) => of(run, id, target)[0];
    expect(get('services.kafka.reachable', 'kafka-summit'), show(run)).toMatchObject({ status: 'fail' });
    expect(['refused', 'connect', 'timeout']).toContain(get('services.kafka.reachable', 'kafka-summit').reason);
    expect(get('services.kafka.reachable', 'kafka-ldf').status).toBe('pass');
    expect(get('services.kafka.brokers', 'kafka-summit')).toMatchObject({ status: 'skip' });
    expect(get('services.kafka.brokers', 'kafka-ldf')).toMatchObject({ status: 'fail', reason: 'state' });
    expect(get('services.kafka.brokers', 'kafka-ldf').message).toContain('3 expected');
    expect(get('services.registry.reachable', 'registry-ldf')).toMatchObject({ status: 'fail' });
    expect(['refused', 'connect']).toContain(get('services.registry.reachable', 'registry-ldf').reason);
    expect(get('services.registry.reachable', 'registry-summit').status).toBe('pass');
    expect(get('services.registry.parity')).toMatchObject({ status: 'skip' });
    expect(get('services.connect.reachable')).toMatchObject({ status: 'fail' });
    expect(['refused', 'connect']).toContain(get('services.connect.reachable').reason);
    expect(get('services.connect.state')).toMatchObject({ status: 'skip' });
    expect(get('services.influxdb.version')).toMatchObject({ status: 'fail', reason: 'policy' });
    expect(get('services.influxdb.auth')).toMatchObject({ status: 'fail', reason: 'auth' });
    expect(get('services.influxdb.auth').message).toContain('read-only user was refused');
    expect(run.code).toBe(1);
  });

  test('a database that does not exist: services.influxdb.database fails with missing', async () => {
    const run = await runSuite('services', profile({}, (x) => (x.influxdb.database = 'efd_absent')));
    const [f] = of(run, 'services.influxdb.database');
    expect(f, show(run)).toMatchObject({ status: 'fail', reason: 'missing' });
    expect(f.message).toContain('efd_absent');
  });
});
