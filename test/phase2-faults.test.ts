// Phase 2 and the licence clock on the real local stack. Setup applies manifests/local's InfluxDB
// declarations with the function `stack up` uses (idempotently); each fault then breaks one thing, the
// services suite runs through the CLI, and exactly the expected check fails with its reason. The
// declared state is restored after each fault and in afterAll. Hold the stack lock around this file:
//   flock /tmp/efd-stack.lock npx vitest run --config test/vitest.config.ts test/phase2-faults.test.ts
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { failingIds, influxAdmin, localProfileRaw, of, runSuite, testProfile, waitUntil, type SuiteRun, type TestProfile } from './data-support.ts';
import { readCredentials } from '../src/config/secrets.ts';
import type { Credentials } from '../src/config/types.ts';
import { adminInfluxql, applyDeclaredInflux } from '../scripts/stack/influx.ts';
import { ports } from '../scripts/stack/paths.ts';
import { loadContinuousQueries } from '../src/model/influx.ts';
import { runPhase2 } from '../src/phase2/run.ts';
import { runLicence } from '../src/licence/run.ts';
import { connectorLicence } from '../src/licence/facts.ts';
import { licenceVerdicts } from '../src/licence/verdicts.ts';
import { loadProfile } from '../src/config/profile.ts';

const apply = () => applyDeclaredInflux(adminInfluxql(ports()));
const CQ = loadContinuousQueries(new URL('../manifests/local', import.meta.url).pathname)[0];
let profile: TestProfile;

function show(run: SuiteRun): string {
  return run.findings.filter((f) => f.status !== 'pass').map((f) => `${f.status} ${f.id} [${f.target}] ${f.reason}: ${f.message}`).join('\n') + '\n' + run.output.slice(-1500);
}

async function services(): Promise<SuiteRun> {
  return runSuite('services', profile, 120_000);
}

/**
 * The failing ids among the checks these faults can touch (InfluxDB's and the licence clock). The box is
 * shared: another test may break Kafka, Connect or a registry meanwhile, and that is not this file's finding.
 */
function failing(run: SuiteRun): string[] {
  return failingIds(run).filter((id) => id.startsWith('services.influxdb.') || id === 'services.connect.licence');
}

beforeAll(async () => {
  profile = testProfile();
  await apply();
  await fresh();
}, 180_000);

/** A CQ dropped across an interval boundary misses that run; the next test starts once it has caught up. */
async function fresh(): Promise<void> {
  const p = loadProfile(profile.file);
  await waitUntil('the roll-up to be fresh again', async () => (await runPhase2(p)).verdicts['services.influxdb.rollup_freshness'].every((o) => o.status === 'pass'), 150_000, 5000);
}

afterEach(async () => {
  await apply();
  await fresh();
}, 180_000);

afterAll(async () => {
  await apply();
  profile?.remove();
}, 60_000);

test('applying the declarations again changes nothing (stack up is idempotent)', async () => {
  expect(await apply()).toEqual([]);
});

test('healthy: the phase 2 checks pass with evidence and add well under 2 s; MM2 needs no licence', async () => {
  const run = await services();
  expect(failing(run), show(run)).toEqual([]);
  for (const id of ['services.influxdb.cq', 'services.influxdb.rollup_freshness', 'services.influxdb.rollup_correctness', 'services.influxdb.retention_tiers'])
    expect(of(run, id).map((f) => f.status), `${id}\n${show(run)}`).toSatisfy((s: string[]) => s.length > 0 && s.every((x) => x === 'pass'));
  expect(of(run, 'services.influxdb.retention_tiers').map((f) => f.target).sort()).toEqual(['influxdb/efd.autogen', 'influxdb/efd.downsampled']);
  const lic = of(run, 'services.connect.licence');
  expect(lic.length).toBeGreaterThan(0);
  for (const f of lic) {
    expect(f.status).toBe('skip');
    expect(f.message).toMatch(/is not a Confluent connector, no licence needed; created \d{4}-.* \(first record of connector-.* in connect-configs, offset \d+\)/);
    expect(f.evidence?.created).toMatch(/^\d{4}-/);
  }
  // what the phase 2 checks cost: their facts are gathered once, inside the first check's duration
  const cost = [...of(run, 'services.influxdb.cq'), ...of(run, 'services.connect.licence').slice(0, 1)].reduce((a, f) => a + (f.duration_ms ?? 0), 0);
  console.log(`phase 2 + licence checks: ${cost} ms`);
  expect(cost).toBeLessThan(2000);
}, 150_000);

describe('fault matrix', () => {
  test('a CQ dropped: services.influxdb.cq fails missing, nothing else', async () => {
    await influxAdmin(`DROP CONTINUOUS QUERY "${CQ.name}" ON "${CQ.database}"`);
    const run = await services();
    expect(failing(run), show(run)).toEqual(['services.influxdb.cq']);
    const f = of(run, 'services.influxdb.cq');
    expect(f.map((x) => x.reason)).toEqual(['missing']);
    expect(f[0].message).toMatch(/^Continuous query rollup_1m on efd, declared in influxdb.yaml:\d+, does not exist/);
  }, 150_000);

  test('a CQ changed to another interval: services.influxdb.cq fails drift naming it', async () => {
    // a 10-minute CQ must not run before it is restored (it would overwrite 1-minute buckets)
    const toBoundary = 600_000 - (Date.now() % 600_000);
    if (toBoundary < 45_000) await new Promise((r) => setTimeout(r, toBoundary + 2000));
    const changed = CQ.statement.replace('RESAMPLE EVERY 1m FOR 2m', 'RESAMPLE EVERY 10m FOR 20m').replace('time(1m)', 'time(10m)');
    await influxAdmin(`DROP CONTINUOUS QUERY "${CQ.name}" ON "${CQ.database}"; ${changed}`);
    const run = await services();
    expect(failing(run), show(run)).toEqual(['services.influxdb.cq']);
    const f = of(run, 'services.influxdb.cq');
    expect(f.map((x) => x.reason)).toEqual(['drift']);
    expect(f[0].message).toContain('RESAMPLE EVERY: declared 60s, live 600s; RESAMPLE FOR: declared 120s, live 1200s; GROUP BY time: declared 60s, live 600s');
  }, 150_000);

  test('the downsampled RP shortened: services.influxdb.retention_tiers fails drift on that tier', async () => {
    await influxAdmin('ALTER RETENTION POLICY "downsampled" ON "efd" DURATION 8760h');
    const run = await services();
    expect(failing(run), show(run)).toEqual(['services.influxdb.retention_tiers']);
    const bad = of(run, 'services.influxdb.retention_tiers').filter((f) => f.status === 'fail');
    expect(bad.map((f) => `${f.target} ${f.reason}`)).toEqual(['influxdb/efd.downsampled drift']);
    expect(bad[0].message).toMatch(/^Retention policy downsampled on efd keeps 8760h \(365 days\), the manifests declare 87600h \(3650 days\)/);
  }, 150_000);

  test('a foreign write into the roll-up (a mean the raw points do not give): services.influxdb.rollup_correctness fails mismatch', async () => {
    const p = loadProfile(profile.file);
    const raw = localProfileRaw();
    const auth = readCredentials(raw.influxdb.admin as Credentials);
    // the check samples the newest bucket no later CQ run recomputes; it moves on at each minute boundary, so
    // the write and the judgement must fall in the same minute (a boundary in between: try again)
    const write = async (target: string, value: unknown, atMs: number) => {
      const line = `${target.replace(/[ ,]/g, '\\$&')} mean_private_seqNum=${value} ${atMs}`;
      const res = await fetch(`${raw.influxdb.url}/write?db=efd&rp=downsampled&precision=ms`, {
        method: 'POST',
        body: line,
        headers: { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` },
      });
      expect(res.status, await res.text()).toBe(204);
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      const sample = (await runPhase2(p)).facts!.live!.samples[0];
      await write(sample.target, -1, sample.bucketStartMs);
      try {
        const after = await runPhase2(p);
        if (after.facts!.live!.samples[0]?.bucketStartMs !== sample.bucketStartMs) continue;
        const v = after.verdicts;
        for (const id of ['services.influxdb.cq', 'services.influxdb.rollup_freshness', 'services.influxdb.retention_tiers'] as const)
          expect(v[id].map((o) => o.status), id).toEqual(v[id].map(() => 'pass'));
        const bad = v['services.influxdb.rollup_correctness'];
        expect(bad.map((o) => `${o.status} ${o.reason}`)).toEqual(['fail mismatch']);
        expect(bad[0].message).toMatch(new RegExp(`^The roll-up of rollup_1m for .* disagrees with the raw points for 1 of \\d+ sampled measurements: ${sample.target.replace(/\./g, '\\.')}: .*mean_private_seqNum stored -1`));
        return;
      } finally {
        // the CQ's own value back, so the roll-up is right again
        await write(sample.target, sample.stored!.mean_private_seqNum, sample.bucketStartMs);
      }
    }
    throw new Error('the sampled bucket moved at every attempt');
  }, 150_000);

  test('the capacity shortfall not accepted (profile threshold accepted: false): services.influxdb.tier_capacity fails capacity', async () => {
    const strict = testProfile({ 'services.influxdb.tier_capacity': { accepted: false } });
    try {
      const run = await runSuite('services', strict, 120_000);
      expect(failing(run), show(run)).toEqual(['services.influxdb.tier_capacity']);
      const f = of(run, 'services.influxdb.tier_capacity');
      expect(f.map((x) => `${x.status} ${x.reason}`)).toEqual(['fail capacity']);
      expect(f[0].message).toMatch(/^At the OCS-REQ-0048 rate of 1\.90 MB\/s, the tiers hold .* against a budget of 4\.00 TB: short by/);
    } finally {
      strict.remove();
    }
  }, 150_000);

  test('a roll-up stalled (its CQ dropped until the roll-up falls behind): services.influxdb.rollup_freshness fails stale', async () => {
    await influxAdmin(`DROP CONTINUOUS QUERY "${CQ.name}" ON "${CQ.database}"`);
    const dropped = Date.now();
    const p = loadProfile(profile.file);
    // the first raw point the last run did not cover is stale 90 s (interval + slack) after its bucket ends:
    // at most 2 min 30 s after the drop
    const stale = await waitUntil('the roll-up to fall behind', async () => (await runPhase2(p)).verdicts['services.influxdb.rollup_freshness'].find((o) => o.status === 'fail'), 240_000, 5000);
    console.log(`stalled ${Math.round((Date.now() - dropped) / 1000)} s after the drop: ${stale.message.slice(0, 300)}`);
    const run = await services();
    // the dropped CQ is the cause (cq: missing); the stall is what freshness sees
    expect(failing(run), show(run)).toEqual(['services.influxdb.cq', 'services.influxdb.rollup_freshness']);
    expect(of(run, 'services.influxdb.cq').map((f) => f.reason)).toEqual(['missing']);
    const f = of(run, 'services.influxdb.rollup_freshness');
    expect(f.map((x) => x.reason)).toEqual(['stale']);
    expect(f[0].message).toMatch(/^The roll-up of rollup_1m has stalled for \d+ of \d+ measurements \(a raw point not rolled up 90 s = RESAMPLE EVERY 60 s \+ 30 s slack after its bucket ended\): .* not rolled up \d+ s after its bucket ended/);
    expect(of(run, 'services.influxdb.rollup_correctness').map((x) => x.status)).toEqual(['pass']);
  }, 400_000);
});

describe('licence clock against the box', () => {
  // Confluent Replicator cannot run here (not installable, and licensed): the box's real connectors and
  // config topic are read, and one Replicator connector whose licence the test makes is judged beside them.
  const DAY = 86_400_000;
  const jwt = (expMs: number) => {
    const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${b({ alg: 'RS256', typ: 'JWT' })}.${b({ sub: 'efd-health test', exp: Math.floor(expMs / 1000) })}.${b({ sig: 'unverified' })}`;
  };
  async function withReplicator(expMs: number) {
    const r = await runLicence(loadProfile(profile.file));
    expect(r.facts?.scanned, 'the config topic was read').toBeGreaterThan(0);
    const facts = r.facts!;
    const replicator = connectorLicence('replicator-confluent', { 'connector.class': 'io.confluent.connect.replicator.ReplicatorSourceConnector', 'confluent.license': jwt(expMs) }, new Map());
    return licenceVerdicts({ ...facts, connectors: [...facts.connectors, replicator] }, { warnDays: 14, trialDays: 30 });
  }
  test('a licence expiring in 5 days warns, on that connector only', async () => {
    const v = await withReplicator(Date.now() + 5 * DAY);
    expect(v.filter((o) => o.status !== 'skip').map((o) => `${o.target} ${o.status} ${o.reason}`)).toEqual(['connect/replicator-confluent warn licence_expiring']);
    expect(v.find((o) => o.status === 'warn')!.message).toMatch(/ends .*, in 5\.0 days \(warn below 14\)/);
  });
  test('an expired licence fails, on that connector only', async () => {
    const v = await withReplicator(Date.now() - 2 * DAY);
    expect(v.filter((o) => o.status !== 'skip').map((o) => `${o.target} ${o.status} ${o.reason}`)).toEqual(['connect/replicator-confluent fail licence_expired']);
    expect(v.find((o) => o.status === 'fail')!.message).toMatch(/runs past the end of its licence .* 2\.0 days ago/);
  });
});
