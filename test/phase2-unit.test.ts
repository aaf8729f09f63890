// Phase 2 and licence verdicts from fact fixtures (offline): healthy, and each failing path; the CQ
// parser on the declared and the live (SHOW CONTINUOUS QUERIES) forms.
import { describe, expect, test } from 'vitest';
import { cqDifferences, parseContinuousQuery } from '../src/model/cq.ts';
import { loadContinuousQueries, loadRetention } from '../src/model/influx.ts';
import type { Phase2Facts } from '../src/phase2/facts.ts';
import { phase2Verdicts, PHASE2_CHECK_IDS, type Phase2Thresholds } from '../src/phase2/verdicts.ts';
import { connectorLicence, decodeJwt, type LicenceFacts } from '../src/licence/facts.ts';
import { licenceVerdicts } from '../src/licence/verdicts.ts';
import { getCheck } from '../src/catalog/index.ts';

const LOCAL = new URL('../manifests/local', import.meta.url).pathname;
const LDF = new URL('../manifests/ldf', import.meta.url).pathname;
const DECLARED = String.raw`CREATE CONTINUOUS QUERY "rollup_1m" ON "efd" RESAMPLE EVERY 1m FOR 2m BEGIN SELECT mean(*), min(*), max(*) INTO "efd"."downsampled".:MEASUREMENT FROM "efd"."autogen"./^lsst\.sal\./ GROUP BY time(1m), * END`;
const LIVE = String.raw`CREATE CONTINUOUS QUERY rollup_1m ON efd RESAMPLE EVERY 1m FOR 2m BEGIN SELECT mean(*), min(*), max(*) INTO efd.downsampled.:MEASUREMENT FROM efd.autogen./^lsst\.sal\./ GROUP BY time(1m), * END`;
const T: Phase2Thresholds = { slackS: 30, relTolerance: 1e-9, absTolerance: 1e-9, rateBytesPerS: 1.9e6, budgetBytes: 4e12, accepted: true };
const NOW = Date.parse('2026-12-08T02:40:30Z');
const MIN = 60_000;

describe('continuous queries', () => {
  test('the declared and the live forms parse to the same CQ', () => {
    const d = parseContinuousQuery(DECLARED)!;
    const l = parseContinuousQuery(LIVE)!;
    expect(d).toMatchObject({ name: 'rollup_1m', database: 'efd', everyS: 60, forS: 120, groupByS: 60, select: 'mean(*), min(*), max(*)', groupByRest: '*' });
    expect(d.into).toEqual({ database: 'efd', rp: 'downsampled', measurement: ':MEASUREMENT' });
    expect(d.from).toEqual({ database: 'efd', rp: 'autogen', measurement: String.raw`/^lsst\.sal\./`, regex: true });
    expect(cqDifferences(d, l)).toEqual([]);
  });
  test('drift names each difference', () => {
    const other = parseContinuousQuery(LIVE.replace('time(1m)', 'time(5m)').replace('max(*)', 'count(*)'))!;
    expect(cqDifferences(parseContinuousQuery(DECLARED)!, other)).toEqual(['GROUP BY time: declared 60s, live 300s', 'SELECT: declared mean(*), min(*), max(*), live mean(*), min(*), count(*)']);
  });
  test('manifests/local declares phase 2; manifests/ldf does not', () => {
    expect(loadContinuousQueries(LOCAL).map((q) => q.name)).toEqual(['rollup_1m']);
    expect(loadRetention(LOCAL).find((r) => r.policy === 'downsampled')).toMatchObject({ database: 'efd', hours: 87600, isDefault: false, shardDuration: '30d' });
    expect(loadRetention(LOCAL).find((r) => r.policy === 'autogen')).toMatchObject({ hours: 4380, isDefault: true, shardDuration: '7d' });
    expect(loadContinuousQueries(LDF)).toEqual([]);
  });
});

function facts(patch: (f: Phase2Facts) => void = () => {}): Phase2Facts {
  const cq = { ...parseContinuousQuery(DECLARED)!, file: 'influxdb.yaml', line: 17 };
  const rps = [
    { database: 'efd', policy: 'autogen', hours: 4380, isDefault: true, file: 'influxdb.yaml', line: 17 },
    { database: 'efd', policy: 'downsampled', hours: 87600, isDefault: false, file: 'influxdb.yaml', line: 17 },
  ];
  const f: Phase2Facts = {
    manifests: 'manifests/local',
    nowMs: NOW,
    declared: { rps, cqs: [cq] },
    live: {
      rps: { efd: [{ name: 'autogen', hours: 4380, shardHours: 168, isDefault: true }, { name: 'downsampled', hours: 87600, shardHours: 168, isDefault: false }] },
      cqs: [{ database: 'efd', name: 'rollup_1m', text: LIVE, parsed: parseContinuousQuery(LIVE) }],
      rollups: [
        // the run at 02:40:00 covered up to 02:40:00; points since then wait for the run at 02:41:00
        { cq: 'rollup_1m', database: 'efd', source: 'lsst.sal.A.x', target: 'lsst.sal.A.x', rawNewestMs: NOW - 1000, rollupNewestMs: NOW - 30_000 - MIN, firstUncoveredMs: NOW - 29_000 },
        // a sparse event topic that published 2 s before the boundary, after a quiet spell
        { cq: 'rollup_1m', database: 'efd', source: 'lsst.sal.C.logevent_z', target: 'lsst.sal.C.logevent_z', rawNewestMs: NOW - 32_000, rollupNewestMs: NOW - 30_000 - 10 * MIN, firstUncoveredMs: NOW - 32_000 },
        { cq: 'rollup_1m', database: 'efd', source: 'lsst.sal.B.y', target: 'lsst.sal.B.y', rawNewestMs: undefined, rollupNewestMs: undefined },
      ],
      samples: [{ cq: 'rollup_1m', source: 'lsst.sal.A.x', target: 'lsst.sal.A.x', bucketStartMs: NOW - 30_000 - 3 * MIN, bucketS: 60, recomputed: { mean_v: 1.5, min_v: 1, max_v: 2, min_b: false }, stored: { mean_v: 1.5 + 1e-12, min_v: 1, max_v: 2, min_b: false } }],
      tiers: [{ database: 'efd', policy: 'autogen', cutoffMs: NOW - 5000 * 3600_000 }, { database: 'efd', policy: 'downsampled', cutoffMs: NOW - 90000 * 3600_000 }],
      valueCounts: { raw: 90_000, rollup: 700, bucketStartMs: NOW - 3 * MIN },
    },
    durationMs: 1,
  };
  patch(f);
  return f;
}

const statuses = (f: Phase2Facts, t = T) => Object.fromEntries(Object.entries(phase2Verdicts(f, t)).map(([id, os]) => [id, os.map((o) => `${o.status}:${o.reason}`)]));

describe('phase 2 verdicts', () => {
  test('healthy: every check passes (capacity warns: the raw tier alone exceeds 4 TB, accepted)', () => {
    expect(statuses(facts())).toEqual({
      'services.influxdb.cq': ['pass:ok'],
      'services.influxdb.rollup_freshness': ['pass:ok'],
      'services.influxdb.rollup_correctness': ['pass:ok'],
      'services.influxdb.retention_tiers': ['pass:ok', 'pass:ok'],
      'services.influxdb.tier_capacity': ['warn:capacity'],
    });
    expect(statuses(facts(), { ...T, budgetBytes: 40e12 })['services.influxdb.tier_capacity']).toEqual(['pass:ok']);
    expect(statuses(facts(), { ...T, accepted: false })['services.influxdb.tier_capacity']).toEqual(['fail:capacity']);
  });
  test('phase 2 not declared: every check skips saying so, none passes', () => {
    const v = phase2Verdicts(facts((f) => { f.declared.cqs = []; delete f.live; }), T);
    for (const id of PHASE2_CHECK_IDS) {
      expect(v[id].map((o) => o.status)).toEqual(['skip']);
      expect(v[id][0].message).toMatch(/^Phase 2 is not declared/);
    }
  });
  test('a dropped CQ is missing; a changed interval is drift naming it; an undeclared CQ warns', () => {
    let v = phase2Verdicts(facts((f) => (f.live!.cqs = [])), T)['services.influxdb.cq'];
    expect(v.map((o) => `${o.status}:${o.reason}`)).toEqual(['fail:missing']);
    const changed = LIVE.replace('EVERY 1m', 'EVERY 5m').replace('time(1m)', 'time(5m)');
    v = phase2Verdicts(facts((f) => (f.live!.cqs = [{ database: 'efd', name: 'rollup_1m', text: changed, parsed: parseContinuousQuery(changed) }, { database: 'efd', name: 'extra', text: LIVE.replace('rollup_1m', 'extra'), parsed: parseContinuousQuery(LIVE.replace('rollup_1m', 'extra')) }])), T)['services.influxdb.cq'];
    expect(v.map((o) => `${o.status}:${o.reason}`)).toEqual(['fail:drift', 'warn:drift']);
    expect(v[0].message).toContain('RESAMPLE EVERY: declared 60s, live 300s; GROUP BY time: declared 60s, live 300s');
  });
  test('without admin credentials the CQ check skips', () => {
    expect(statuses(facts((f) => delete f.live!.cqs))['services.influxdb.cq']).toEqual(['skip:skipped']);
  });
  test('a roll-up behind by more than one interval + slack, or absent, is stale', () => {
    // its bucket ended 150 s ago and the runs after it did not cover it
    const stalled = (f: Phase2Facts) => (f.live!.rollups[0].firstUncoveredMs = NOW - 30_000 - 3 * MIN + 500);
    expect(statuses(facts(stalled))['services.influxdb.rollup_freshness']).toEqual(['fail:stale']);
    // its bucket ended 90 s ago: not more than one interval + slack
    expect(statuses(facts((f) => (f.live!.rollups[0].firstUncoveredMs = NOW - 89_000 - MIN + 500)))['services.influxdb.rollup_freshness']).toEqual(['pass:ok']);
    const v = phase2Verdicts(facts((f) => { stalled(f); f.live!.rollups[0].rollupNewestMs = undefined; }), T)['services.influxdb.rollup_freshness'];
    expect(v[0].message).toMatch(/stalled for 1 of 2 measurements .*lsst\.sal\.A\.x: no roll-up point in the window, raw point 2026-12-08T02:37:00\.500Z not rolled up 150 s after its bucket ended/);
    expect(statuses(facts((f) => (f.live!.rollups = [])))['services.influxdb.rollup_freshness']).toEqual(['skip:skipped']);
  });
  test('a stored aggregate off the recomputed one beyond the tolerance, or a missing row, is a mismatch', () => {
    let v = phase2Verdicts(facts((f) => (f.live!.samples[0].stored!.max_v = 2.001)), T)['services.influxdb.rollup_correctness'];
    expect(v.map((o) => `${o.status}:${o.reason}`)).toEqual(['fail:mismatch']);
    expect(v[0].message).toContain('max_v stored 2.001, recomputed 2');
    v = phase2Verdicts(facts((f) => (f.live!.samples[0].stored = undefined)), T)['services.influxdb.rollup_correctness'];
    expect(v[0].message).toContain('no roll-up row at');
    expect(statuses(facts((f) => (f.live!.samples[0].stored!.min_b = true)))['services.influxdb.rollup_correctness']).toEqual(['fail:mismatch']);
  });
  test('a shortened or missing tier, and data older than the policy, fail', () => {
    const v = phase2Verdicts(facts((f) => (f.live!.rps.efd[1].hours = 8760)), T)['services.influxdb.retention_tiers'];
    expect(v.map((o) => `${o.status}:${o.reason}`)).toEqual(['pass:ok', 'fail:drift']);
    expect(v[1].message).toBe('Retention policy downsampled on efd keeps 8760h (365 days), the manifests declare 87600h (3650 days) (influxdb.yaml:17).');
    expect(statuses(facts((f) => f.live!.rps.efd.pop()))['services.influxdb.retention_tiers']).toEqual(['pass:ok', 'fail:missing']);
    // the default policy's duration is services.influxdb.retention's finding: not reported twice
    expect(statuses(facts((f) => (f.live!.rps.efd[0].hours = 1000)))['services.influxdb.retention_tiers']).toEqual(['pass:ok', 'pass:ok']);
    expect(statuses(facts((f) => (f.live!.tiers[0].overdueOldestMs = NOW - 6000 * 3600_000)))['services.influxdb.retention_tiers']).toEqual(['fail:policy', 'pass:ok']);
  });
});

/** An unsigned-looking JWT the test makes: header.payload.signature, base64url. */
function jwt(payload: object): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'RS256', typ: 'JWT' })}.${b(payload)}.${Buffer.from('not-a-signature').toString('base64url')}`;
}

const DAY = 86_400_000;
const REPLICATOR = 'io.confluent.connect.replicator.ReplicatorSourceConnector';
const LT = { warnDays: 14, trialDays: 30 };

function licenceFacts(config: Record<string, string>, createdMs?: number): LicenceFacts {
  const created = new Map(createdMs === undefined ? [] : [['replicator', { ms: createdMs, offset: 7 }]]);
  return { configTopic: 'connect-configs', configTopicSource: 'test', scanned: 20, connectors: [connectorLicence('replicator', config, created)], nowMs: NOW, durationMs: 1 };
}
const licence = (f: LicenceFacts) => licenceVerdicts(f, LT).map((o) => `${o.status}:${o.reason}`);

describe('licence clock', () => {
  test('decodeJwt reads exp without verifying', () => {
    expect(decodeJwt(jwt({ exp: 1_900_000_000, sub: 'efd' }))).toEqual({ exp: 1_900_000_000, iat: undefined, sub: 'efd' });
    expect(() => decodeJwt('abc')).toThrow(/3 dot-separated parts/);
  });
  test('JWT licence: 5 days left warns, expired fails, 60 days passes', () => {
    const at = (days: number) => licenceFacts({ 'connector.class': REPLICATOR, 'confluent.license': jwt({ exp: Math.floor((NOW + days * DAY) / 1000) }) });
    expect(licence(at(5))).toEqual(['warn:licence_expiring']);
    expect(licence(at(-1))).toEqual(['fail:licence_expired']);
    expect(licence(at(60))).toEqual(['pass:ok']);
    expect(licenceVerdicts(at(5), LT)[0].message).toMatch(/its licence \(JWT exp, signature not verified\) ends .* in 5\.0 days \(warn below 14\)/);
  });
  test('no licence: the 30-day trial runs from the first config-topic record', () => {
    expect(licence(licenceFacts({ 'connector.class': REPLICATOR }, NOW - 20 * DAY))).toEqual(['warn:licence_expiring']);
    expect(licence(licenceFacts({ 'connector.class': REPLICATOR }, NOW - 31 * DAY))).toEqual(['fail:licence_expired']);
    expect(licence(licenceFacts({ 'connector.class': REPLICATOR }, NOW - 1 * DAY))).toEqual(['pass:ok']);
    expect(licence(licenceFacts({ 'connector.class': REPLICATOR }))).toEqual(['error:missing']);
  });
  test('a MirrorMaker 2 connector needs no licence: skip, with its creation time', () => {
    const v = licenceVerdicts(licenceFacts({ 'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector' }, NOW - DAY), LT);
    expect(v.map((o) => `${o.status}:${o.reason}`)).toEqual(['skip:skipped']);
    expect(v[0].message).toMatch(/is not a Confluent connector, no licence needed; created .* \(first record of connector-replicator in connect-configs, offset 7\)/);
  });
  test('a config-provider reference cannot be read; garbage fails', () => {
    expect(licence(licenceFacts({ 'connector.class': REPLICATOR, 'confluent.license': '${file:/secrets/lic:key}' }))).toEqual(['skip:skipped']);
    expect(licence(licenceFacts({ 'connector.class': REPLICATOR, 'confluent.license': 'not a jwt' }))).toEqual(['fail:schema']);
  });
  test('thresholds are in the catalog', () => {
    expect(getCheck('services.connect.licence')?.thresholds?.warn_days.default).toBe(14);
    expect(getCheck('services.connect.licence')?.thresholds?.trial_days.default).toBe(30);
  });
});

describe("Connect's config topic", () => {
  test('from the profile, else from the KafkaConnect of the manifests', async () => {
    const { configTopicOf } = await import('../src/licence/run.ts');
    const { loadProfile } = await import('../src/config/profile.ts');
    const local = loadProfile(new URL('../profiles/local.yaml', import.meta.url).pathname);
    expect(configTopicOf(local)).toEqual({ topic: 'connect-configs', source: 'profile connect.config_topic' });
    const ldf = loadProfile(new URL('../profiles/ldf.yaml', import.meta.url).pathname);
    const t = configTopicOf(ldf);
    expect(t.topic).toBe('efd-connect-configs');
    expect(t.source).toMatch(/^config\.storage\.topic of KafkaConnect kafka-connect\/efd \(.*connect\.yaml:\d+\)$/);
    expect(configTopicOf({ ...local, connect: { url: local.connect.url } }).topic).toBeUndefined();
  });
});

test('a CQ the parser cannot read is one sentence with file and line, not a silent skip', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'efd-cq-'));
  writeFileSync(join(dir, 'influxdb.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: influxdb-init }\ndata:\n  init.iql: |\n    CREATE CONTINUOUS QUERY "x" ON "efd" BEGIN SELECT mean(*)\n');
  expect(() => loadContinuousQueries(dir)).toThrow(/^influxdb\.yaml:5: cannot read the continuous query "CREATE CONTINUOUS QUERY "x" ON "efd" BEGIN SELECT mean\(\*\)…": write .* on one line$/);
});

test('on manifests/ldf (no overlay) the phase 2 checks skip without asking InfluxDB anything', async () => {
  const { runPhase2 } = await import('../src/phase2/run.ts');
  const { loadProfile } = await import('../src/config/profile.ts');
  const local = loadProfile(new URL('../profiles/local.yaml', import.meta.url).pathname);
  // an address nothing answers on: a query would be an error, not a skip
  const r = await runPhase2({ ...local, manifests: LDF, influxdb: { ...local.influxdb, url: 'http://127.0.0.1:9' } });
  for (const id of PHASE2_CHECK_IDS) expect(r.verdicts[id].map((o) => `${o.status}: ${o.message}`)).toEqual([`skip: Phase 2 is not declared: the .iql init scripts in ${LDF} create no continuous query; nothing to judge.`]);
});
