// The living Summit (stack component `summit`) and the data suite judging its real records:
//  - healthy: every data check judges non-zero evidence and none passes with nothing to judge;
//  - one CSC stops: data.freshness.source fails naming its telemetry topics, and only it;
//  - the sink skips one topic: data.completeness.window fails for that topic, and only it;
//  - nothing in scope: every data check skips with its reason; a production profile fails the outage instead;
//  - the sink assigned no partition: data.sink.lag skips, or fails on a production profile.
// The data checks are scoped to the living Summit's CSCs, so other tests' topics cannot interfere.
// The faults take the stack lock and are undone in finally.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as stack from '../scripts/stack/index.ts';
import { withStackLock } from '../scripts/stack/lock.ts';
import { loadSummitModel } from '../scripts/stack/summit-model.ts';
import { failingIds, of, runSuite, sleep, testProfile, type SuiteRun, type TestProfile } from './data-support.ts';

const model = loadSummitModel();
const CSCS = [...new Set(model.map((t) => t.csc))];
const esc = (s: string) => s.replace(/\./g, '\\.');
const SCOPE = { topics: `^lsst\\.sal\\.(${CSCS.join('|')})\\.` };
const DATA_IDS = ['data.topics.coverage', 'data.freshness.source', 'data.freshness.sink', 'data.completeness.window', 'data.sink.lag', 'data.capacity.days_left'];

const profiles: TestProfile[] = [];
// completeness over the last 2 minutes: a fault of this file (a dropped topic) stays true for any window that
// holds it, so a second run of the file within the hour would otherwise see the first run's loss
const RECENT = { 'data.completeness.window': { window_s: 120 } };
function profile(thresholds: Parameters<typeof testProfile>[0] = {}, patch?: Parameters<typeof testProfile>[1]): TestProfile {
  const p = testProfile({ 'data.topics.coverage': SCOPE, ...RECENT, ...thresholds }, patch);
  profiles.push(p);
  return p;
}
const show = (run: SuiteRun) => run.findings.map((f) => `${f.status} ${f.id} ${f.reason}: ${f.message}`).join('\n') + '\n' + run.output.slice(-1500);
const vacuousPasses = (run: SuiteRun) => run.findings.filter((f) => f.status === 'pass' && /nothing to judge/i.test(f.message));

beforeAll(async () => {
  await stack.up({ quiet: true });
}, 600_000);
afterAll(() => {
  for (const p of profiles) p.remove();
});

describe('the living Summit', () => {
  test('the stack runs it as a component: declared topics, silent ones included, publishing at a few kB/s', async () => {
    const s = await stack.status();
    expect(s.components.find((c) => c.name === 'summit')?.state).toBe('up');
    expect(CSCS.length).toBeGreaterThanOrEqual(5);
    expect(model.length).toBeGreaterThanOrEqual(24);
    expect(model.some((t) => t.silent)).toBe(true);
    expect(model.some((t) => t.kind === 'telemetry' && t.indexes.length)).toBe(true);
    const recordsPerS = model.filter((t) => !t.silent).reduce((a, t) => a + t.naturalRatePerS, 0);
    expect(recordsPerS).toBeGreaterThan(50);
  });

  test('healthy: every data check judges real records, none passes with nothing to judge', async () => {
    const run = await runSuite('data', profile());
    expect(failingIds(run), show(run)).toEqual([]);
    expect(vacuousPasses(run), show(run)).toEqual([]);
    for (const id of DATA_IDS) expect(of(run, id)[0]?.status, `${id}\n${show(run)}`).toBe('pass');
    expect(of(run, 'data.topics.coverage')[0].measurements?.topics_judged).toBe(model.filter((t) => !t.silent).length);
    expect(of(run, 'data.topics.coverage')[0].measurements?.topics_empty).toBe(model.filter((t) => t.silent).length);
    expect(Number(of(run, 'data.freshness.source')[0].measurements?.topics_judged)).toBeGreaterThan(0);
    expect(Number(of(run, 'data.completeness.window')[0].measurements?.records_summit)).toBeGreaterThan(0);
    expect(Number(of(run, 'data.sink.lag')[0].measurements?.partitions)).toBe(model.length);
    expect(Number(of(run, 'data.capacity.days_left')[0].measurements?.ingest_records_window)).toBeGreaterThan(0);
  });

  test('one CSC stops: data.freshness.source fails naming its telemetry topics, and nothing else fails', async () => {
    const csc = 'MTRotator';
    const live = model.filter((t) => t.csc === csc && !t.silent && t.kind === 'telemetry').map((t) => t.topic);
    expect(live.length).toBeGreaterThan(0);
    const run = await withStackLock(async () => {
      await stack.stopCsc(csc, true);
      try {
        await sleep(8000); // its newest record is now older than the test profile's 5 s
        return await runSuite('data', profile({ 'data.freshness.source': { max_age_s: 5 } }));
      } finally {
        await stack.stopCsc(csc, false);
      }
    });
    expect(failingIds(run), show(run)).toEqual(['data.freshness.source']);
    const [f] = of(run, 'data.freshness.source');
    expect(f).toMatchObject({ status: 'fail', reason: 'stale' });
    expect(f.measurements?.topics_stale).toBe(live.length);
    for (const t of live) expect(JSON.stringify(f.evidence)).toContain(t);
    expect(model.filter((t) => t.csc !== csc).every((t) => !JSON.stringify(f.evidence).includes(`"${t.topic}"`))).toBe(true);
  }, 120_000);

  test('the sink skips one topic: data.completeness.window fails for that topic, and nothing else fails', async () => {
    const topic = 'lsst.sal.MTMount.azimuth';
    const run = await withStackLock(async () => {
      await stack.sinkDrop(topic, true);
      try {
        await sleep(12_000); // ~120 records the sink reads but does not write
        return await runSuite('data', profile({ 'data.completeness.window': { window_s: 60, settle_s: 2 } }));
      } finally {
        await stack.sinkDrop(topic, false);
      }
    });
    expect(failingIds(run), show(run)).toEqual(['data.completeness.window']);
    const [f] = of(run, 'data.completeness.window');
    expect(f).toMatchObject({ status: 'fail', reason: 'incomplete' });
    expect(f.message).toContain(topic);
    expect(f.measurements?.topics_incomplete).toBe(1);
  }, 120_000);

  test('nothing in scope: every data check skips with its reason; a production profile fails the outage', async () => {
    const none = { 'data.topics.coverage': { topics: `^${esc('lsst.sal.NoSuchCSC.')}` } };
    const run = await runSuite('data', profile(none));
    expect(failingIds(run), show(run)).toEqual([]);
    for (const id of DATA_IDS) {
      const [f] = of(run, id);
      expect(f?.status, `${id}\n${show(run)}`).toBe('skip');
      expect(f.message).toMatch(/nothing to judge/);
    }
    const prod = await runSuite('data', profile(none, (p) => (p.production = true)));
    expect(failingIds(prod), show(prod)).toEqual(['data.freshness.source', 'data.topics.coverage']);
    expect(of(prod, 'data.topics.coverage')[0]).toMatchObject({ status: 'fail', reason: 'missing' });
    expect(of(prod, 'data.topics.coverage')[0].message).toMatch(/outage/);
    expect(of(prod, 'data.freshness.source')[0]).toMatchObject({ status: 'fail', reason: 'stale' });
  }, 120_000);

  test('the sink assigned no partition: data.sink.lag skips, and fails on a production profile', async () => {
    // only the silent topics: no record arrives, so a stopped sink leaves no lag to judge, only its absence
    const silent = { 'data.topics.coverage': { topics: `^(${model.filter((t) => t.silent).map((t) => esc(t.topic)).join('|')})$` } };
    const [plain, prod] = await withStackLock(async () => {
      await stack.stop('telegraf');
      try {
        await sleep(2000);
        return [await runSuite('data', profile(silent)), await runSuite('data', profile(silent, (p) => (p.production = true)))];
      } finally {
        await stack.start('telegraf');
      }
    });
    expect(of(plain, 'data.sink.lag')[0], show(plain)).toMatchObject({ status: 'skip', reason: 'skipped' });
    expect(of(plain, 'data.sink.lag')[0].message).toMatch(/assigned no partition/);
    expect(of(prod, 'data.sink.lag')[0], show(prod)).toMatchObject({ status: 'fail', reason: 'lag' });
    expect(of(prod, 'data.sink.lag')[0].message).toMatch(/assigned no partition.*outage/);
  }, 180_000);
});
