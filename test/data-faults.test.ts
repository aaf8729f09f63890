// Fault matrix of the data suite on the real local stack. The test profile scopes the data checks to this
// file's own topics (data.topics.coverage.topics), so other tests' leftovers cannot interfere, and each fault
// shows exactly its check failing with its reason. Hold the stack lock around this file:
//   flock /tmp/efd-stack.lock npx vitest run --config test/vitest.config.ts test/data-faults.test.ts
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as stack from '../scripts/stack/index.ts';
import { failingIds, influxAdmin, localProfileRaw, of, removeTopics, runSuite, sleep, testProfile, waitUntil, type SuiteRun, type TestProfile } from './data-support.ts';
import { connectorStatus, putConnectorAction } from '../src/probes/connect.ts';
import { createTopics, deleteAllRecords, listTopicNames, produceEfd, registerSchemas, waitForSchemaIds } from '../src/data/synthetic.ts';
import { topicOffsets } from '../src/probes/kafka.ts';

const raw = localProfileRaw();
const SUMMIT = raw.kafka.summit.bootstrap as string[];
const LDF = raw.kafka.ldf.bootstrap as string[];
const CONNECT = raw.connect.url as string;
const MIRROR = 'replicator-mirror-source';
const CSC = 'lsst.sal.EFDHealthFault';
const SCOPE = { 'data.topics.coverage': { topics: `^${CSC.replace(/\./g, '\\.')}\\.` } };

const T1 = `${CSC}.temperature`; // healthy, then stale, then lagging
const T2 = `${CSC}.pressure`; // records deleted at LDF before the sink read them
const T3 = `${CSC}.humidity`; // created while replication is paused
const ALL = [T1, T2, T3];

/** Scope of the data checks to some of this file's topics (a fault left behind stays true for the window). */
const scope = (...topics: string[]) => ({ topics: `^(${topics.map((t) => t.replace(/\./g, '\\.')).join('|')})$` });

const profiles: TestProfile[] = [];
function profile(thresholds: Parameters<typeof testProfile>[0] = {}): TestProfile {
  const p = testProfile({ ...SCOPE, ...thresholds });
  profiles.push(p);
  return p;
}

function show(run: SuiteRun): string {
  return run.findings.map((f) => `${f.status} ${f.id} ${f.reason}: ${f.message}`).join('\n') + '\n' + run.output.slice(-1500);
}

const ids = new Map<string, number>();
async function ready(topics: string[]) {
  await createTopics(SUMMIT, topics);
  for (const [t, id] of await registerSchemas(raw.registry.summit.url, topics)) ids.set(t, id);
}
const only = (t: string) => new Map([[t, ids.get(t)!]]);

async function points(topic: string): Promise<number> {
  const [r] = await influxAdmin(`SELECT count("private_efdStamp") FROM "${topic}"`, raw.influxdb.database);
  return Number(r.series[0]?.values[0]?.[1] ?? 0);
}
async function ldfHigh(topic: string): Promise<number> {
  if (!(await listTopicNames(LDF)).includes(topic)) return 0;
  return (await topicOffsets(LDF, 5000, topic)).reduce((a, o) => a + o.high, 0);
}

async function cleanup() {
  await stack.start('telegraf').catch(() => {});
  await putConnectorAction(CONNECT, 5000, MIRROR, 'resume').catch(() => {});
  await removeTopics(ALL);
}

beforeAll(async () => {
  await cleanup();
  await ready([T1, T2]);
  await waitForSchemaIds(raw.registry.ldf.url, [...ids.values()]);
}, 180_000);

afterAll(async () => {
  await cleanup();
  for (const p of profiles) p.remove();
}, 180_000);

describe('data suite on the local stack', () => {
  test('healthy: a topic produced at the Summit is everywhere, fresh and complete', async () => {
    await produceEfd(SUMMIT, only(T1), 20);
    await waitUntil(`${T1} in InfluxDB`, async () => (await points(T1)) === 20, 90_000);
    const run = await runSuite('data', profile({ 'data.completeness.window': { settle_s: 1 } }));
    expect(failingIds(run), show(run)).toEqual([]);
    expect(of(run, 'data.topics.coverage')[0].measurements).toMatchObject({ topics_judged: 1, missing_at_ldf: 0, missing_in_influxdb: 0 });
    expect(of(run, 'data.completeness.window')[0].measurements).toMatchObject({ records_summit: 20, points_influxdb: 20 });
    expect(of(run, 'data.sink.lag')[0].evidence?.status).toBe('OK');
    expect(of(run, 'data.capacity.days_left')[0].measurements?.ingest_records_window).toBe(20);
    expect(of(run, 'data.capacity.requirement')[0]).toMatchObject({ status: 'warn', reason: 'capacity' });
  });

  test('a topic whose producer stopped: data.freshness.source fails with stale', async () => {
    await sleep(6000); // T1's last record is now older than the test profile's 5 s
    const run = await runSuite('data', profile({ 'data.freshness.source': { max_age_s: 5 } }));
    expect(failingIds(run), show(run)).toEqual(['data.freshness.source']);
    const [f] = of(run, 'data.freshness.source');
    expect(f).toMatchObject({ status: 'fail', reason: 'stale' });
    expect(f.message).toContain(T1);
  });

  test('the sink stopped while records arrive: data.sink.lag fails with lag (STOP)', async () => {
    await stack.stop('telegraf');
    try {
      const before = await ldfHigh(T1);
      await produceEfd(SUMMIT, only(T1), 10, { startSeq: 100 });
      await waitUntil(`${T1} at LDF`, async () => (await ldfHigh(T1)) === before + 10, 60_000);
      const run = await runSuite('data', profile({ 'data.completeness.window': { settle_s: 1 } }));
      expect(failingIds(run), show(run)).toEqual(['data.sink.lag']);
      const [f] = of(run, 'data.sink.lag');
      expect(f).toMatchObject({ status: 'fail', reason: 'lag' });
      expect(f.evidence?.status).toBe('STOP');
      expect(f.measurements?.lag_records_total).toBe(10);
      expect(f.measurements?.lag_s_max).toBeGreaterThan(0);
      // the window's records the sink has not read yet are pending, not lost
      expect(of(run, 'data.completeness.window')[0].measurements?.topics_pending).toBe(1);
    } finally {
      await stack.start('telegraf');
    }
    await waitUntil(`${T1} caught up`, async () => (await points(T1)) === 30, 90_000);
  });

  test('records deleted at LDF before the sink read them: data.completeness.window fails with incomplete', async () => {
    await stack.stop('telegraf');
    try {
      await produceEfd(SUMMIT, only(T2), 10);
      await waitUntil(`${T2} at LDF`, async () => (await ldfHigh(T2)) === 10, 60_000);
      await deleteAllRecords(LDF, T2);
    } finally {
      await stack.start('telegraf');
    }
    // one more record after the sink is back, so the topic is in InfluxDB and fresh: only the loss remains
    await sleep(1500);
    await produceEfd(SUMMIT, only(T2), 1, { startSeq: 10 });
    await waitUntil(`${T2} newest record in InfluxDB`, async () => (await points(T2)) === 1, 90_000);
    const run = await runSuite('data', profile({ 'data.completeness.window': { settle_s: 0 } }));
    expect(failingIds(run), show(run)).toEqual(['data.completeness.window']);
    const [f] = of(run, 'data.completeness.window');
    expect(f).toMatchObject({ status: 'fail', reason: 'incomplete' });
    expect(f.message).toContain(`${T2} (1/11)`);
    expect(f.measurements?.records_lost).toBe(10);
  });

  test('a topic created while replication is paused: data.topics.coverage fails with missing', async () => {
    await putConnectorAction(CONNECT, 5000, MIRROR, 'pause');
    try {
      await waitUntil('mirror paused', async () => {
        // the connector reports PAUSED before its task stops: wait for the task too
        const st = await connectorStatus(CONNECT, 5000, MIRROR);
        return st.connector.state === 'PAUSED' && st.tasks.every((t) => t.state === 'PAUSED');
      }, 30_000);
      await ready([T3]);
      await produceEfd(SUMMIT, only(T3), 5);
      await sleep(3000); // older than the test profile's 2 s grace
      // T2 keeps the loss of the test before for the whole window: leave it out
      const run = await runSuite('data', profile({ 'data.topics.coverage': { ...scope(T1, T3), grace_s: 2 } }));
      expect(failingIds(run), show(run)).toEqual(['data.topics.coverage']);
      const [f] = of(run, 'data.topics.coverage');
      expect(f).toMatchObject({ status: 'fail', reason: 'missing' });
      expect(f.evidence?.missing_at_ldf).toEqual([T3]);
      expect(f.evidence?.missing_in_influxdb).toEqual([T3]);
    } finally {
      await putConnectorAction(CONNECT, 5000, MIRROR, 'resume');
    }
  });

  test('a budget the observed rate outgrows: both capacity checks fail with capacity', async () => {
    const run = await runSuite(
      'data',
      profile({
        'data.capacity.days_left': { budget_bytes: 1000 },
        'data.capacity.requirement': { accepted: false },
        'data.topics.coverage': { ...scope(T1, T3), grace_s: 600 },
      }),
    );
    expect(failingIds(run), show(run)).toEqual(['data.capacity.days_left', 'data.capacity.requirement']);
    expect(of(run, 'data.capacity.days_left')[0]).toMatchObject({ status: 'fail', reason: 'capacity' });
    expect(of(run, 'data.capacity.days_left')[0].measurements?.days_left).toBe(0);
    expect(of(run, 'data.capacity.requirement')[0].message).toContain('29.96 TB');
  });
});
