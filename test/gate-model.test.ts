// The small parsers the gate's rules stand on: CIDR blocks, quantities, InfluxQL retention, MirrorMaker 2
// topic filters and replication policies, KCQL.
import { describe, expect, test } from 'vitest';
import { contains, formatCidr, isCanonical, overlaps, parseCidr } from '../src/model/cidr.ts';
import { cpuMillis, parseQuantity } from '../src/model/quantity.ts';
import { cronError } from '../src/model/cron.ts';
import { selects } from '../src/model/selectors.ts';
import { influxDurationHours, kcqlFor, mm2Replicates, mm2TargetName, parseKcql, retentionPolicies, sinkSubscribes } from '../src/model/pipeline.ts';

describe('cidr', () => {
  test("the plan's Tucson ranges: 140.252.33.0/23 is 140.252.32.0/23 written with a host bit", () => {
    const a = parseCidr('140.252.32.0/23')!;
    const b = parseCidr('140.252.33.0/23')!;
    expect(isCanonical(a)).toBe(true);
    expect(isCanonical(b)).toBe(false);
    expect(formatCidr(b)).toBe('140.252.32.0/23');
    expect(overlaps(a, b)).toBe(true);
    expect(contains(a, parseCidr('140.252.33.7/32')!)).toBe(true);
    expect(overlaps(a, parseCidr('140.252.90.0/23')!)).toBe(false);
  });
  test('invalid entries and IPv6', () => {
    for (const bad of ['140.252.300.0/23', '140.252.32.0/33', '140.252.32.0', 'vpn', '10.0.0.0/']) expect(parseCidr(bad)).toBeUndefined();
    expect(isCanonical(parseCidr('2001:db8::/32')!)).toBe(true);
    expect(isCanonical(parseCidr('2001:db8::1/64')!)).toBe(false);
    expect(contains(parseCidr('2001:db8::/32')!, parseCidr('2001:db8:1::/48')!)).toBe(true);
  });
});

test('quantities', () => {
  expect(cpuMillis('250m')).toBe(250);
  expect(cpuMillis('2')).toBe(2000);
  expect(cpuMillis(0.5)).toBe(500);
  expect(parseQuantity('4Gi')).toBe(4 * 2 ** 30);
  expect(parseQuantity('15G')).toBe(15e9);
  expect(parseQuantity('4T')).toBe(4e12);
  expect(parseQuantity('1e3')).toBe(1000);
  expect(parseQuantity('lots')).toBeUndefined();
});

describe('InfluxQL retention', () => {
  test('durations', () => {
    expect(influxDurationHours('4380h')).toBe(4380);
    expect(influxDurationHours('26w')).toBe(26 * 168);
    expect(influxDurationHours('180d')).toBe(4320);
    expect(influxDurationHours('1d12h')).toBe(36);
    expect(influxDurationHours('INF')).toBe(Infinity);
    expect(influxDurationHours('6 months')).toBeUndefined();
  });
  test('CREATE DATABASE … WITH DURATION, then a later default policy wins', () => {
    const rps = retentionPolicies('CREATE DATABASE "efd" WITH DURATION 4380h REPLICATION 1 SHARD DURATION 7d NAME "autogen"\nCREATE RETENTION POLICY "short" ON "efd" DURATION 30d REPLICATION 1 DEFAULT');
    expect(rps.map((r) => [r.name, r.hours, r.isDefault])).toEqual([['autogen', 4380, false], ['short', 720, true]]);
  });
  test('a bare CREATE DATABASE keeps data forever; ALTER changes the duration', () => {
    expect(retentionPolicies('CREATE DATABASE efd')[0].hours).toBe(Infinity);
    const rps = retentionPolicies('CREATE DATABASE efd; ALTER RETENTION POLICY autogen ON efd DURATION 26w SHARD DURATION 1d');
    expect(rps[0]).toMatchObject({ name: 'autogen', hours: 4368, isDefault: true });
  });
});

describe('MirrorMaker 2 and the sink', () => {
  const mm2 = { topics: '_schemas,lsst\\.sal\\..*', 'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy', 'source.cluster.alias': 'summit' };
  test('topic filter with the default excludes', () => {
    expect(mm2Replicates(mm2, 'lsst.sal.ATDome.logevent_summaryState')).toBe(true);
    expect(mm2Replicates(mm2, '_schemas')).toBe(true);
    expect(mm2Replicates(mm2, 'lsst.sal.x.internal')).toBe(false);
    expect(mm2Replicates(mm2, 'xlsst.sal.ATDome.y')).toBe(false);
    expect(mm2Replicates({ ...mm2, 'topics.exclude': 'lsst\\.sal\\.ATDome\\..*' }, 'lsst.sal.ATDome.y')).toBe(false);
  });
  test('replication policies name the target topic', () => {
    expect(mm2TargetName(mm2, 'lsst.sal.A.b')).toBe('lsst.sal.A.b');
    expect(mm2TargetName({ 'source.cluster.alias': 'summit' }, 'lsst.sal.A.b')).toBe('summit.lsst.sal.A.b');
    expect(mm2TargetName({ 'source.cluster.alias': '', 'replication.policy.separator': '' }, 'lsst.sal.A.b')).toBe('lsst.sal.A.b');
  });
  test('KCQL statements and subscriptions', () => {
    const k = parseKcql('INSERT INTO lsst.sal.A.b SELECT * FROM lsst.sal.A.b WITHTIMESTAMP private_efdStamp TIMESTAMPUNIT=MICROSECONDS; INSERT INTO * SELECT * FROM * WITHTIMESTAMP sys_time()');
    expect(k[0]).toMatchObject({ into: 'lsst.sal.A.b', from: 'lsst.sal.A.b', timestamp: 'private_efdStamp', timestampUnit: 'MICROSECONDS' });
    expect(kcqlFor(k, 'lsst.sal.A.b')).toBe(k[0]);
    expect(kcqlFor(k, 'lsst.sal.C.d')).toBe(k[1]);
    expect(sinkSubscribes({ 'topics.regex': 'lsst\\.sal\\..*' }, 'lsst.sal.C.d')).toBe(true);
    expect(sinkSubscribes({ topics: 'a,b' }, 'b')).toBe(true);
    expect(sinkSubscribes({ topics: 'a,b' }, 'c')).toBe(false);
  });
});

describe('CronJob schedules, as the API server validates them', () => {
  test('valid', () => {
    for (const s of ['*/15 * * * *', '0 3 * * *', '0 0 1 JAN-MAR MON-FRI', '5,35 */2 1-15/3 * ?', '@hourly', '@every 90m', '0 0 * * 0-6']) expect(cronError(s), s).toBeUndefined();
  });
  test('refused, with the reason', () => {
    expect(cronError('*/15 * * *')).toMatch(/4 fields/);
    expect(cronError('60 * * * *')).toMatch(/minute "60" is outside 0-59/);
    expect(cronError('*/0 * * * *')).toMatch(/step "0"/);
    expect(cronError('0 0 * * 7')).toMatch(/outside 0-6/);
    expect(cronError('0 0 5-1 * *')).toMatch(/start is after its end/);
    expect(cronError('CRON_TZ=UTC 0 0 * * *')).toMatch(/timeZone/);
    expect(cronError('@fortnightly')).toMatch(/not one of/);
    expect(cronError('')).toMatch(/empty/);
  });
});

describe('label selectors', () => {
  test('matchLabels and matchExpressions', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(selects({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selects({ matchLabels: { app: 'api' } }, labels)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
  });
});
