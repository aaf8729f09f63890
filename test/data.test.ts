// Unit tests of the data suite's judgement (no stack): Burrow-like lag status, coverage, freshness,
// completeness, capacity and the topic scope.
import { describe, expect, test } from 'vitest';
import { evaluatePartition, isGroupActive, warnsOn, worstStatus, type LagSample } from '../src/data/burrow.ts';
import { evaluateCoverage } from '../src/data/coverage.ts';
import { sinkBehind, staleSources } from '../src/data/freshness.ts';
import { evaluateCompleteness } from '../src/data/completeness.ts';
import { humanBytes, ingestRate, judgeCapacity, projection } from '../src/data/capacity.ts';
import { topicScope } from '../src/data/scope.ts';
import { TELEMETRY_TOPICS } from '../src/catalog/data.ts';

const S = (committed: number, end: number, t = 0): LagSample => ({ t, committed, end });

describe('Burrow-like lag status', () => {
  test('OK when caught up in any sample', () => {
    expect(evaluatePartition([S(10, 12), S(12, 12), S(12, 14)], true)).toBe('OK');
    expect(evaluatePartition([S(10, 12), S(10, 12)], true, 2)).toBe('OK');
  });
  test('STALL: group active, offsets still, lag > 0', () => {
    expect(evaluatePartition([S(10, 15), S(10, 16), S(10, 17)], true)).toBe('STALL');
  });
  test('STOP: no active member, offsets still, lag > 0', () => {
    expect(evaluatePartition([S(10, 15), S(10, 15), S(10, 15)], false)).toBe('STOP');
  });
  test('WARN: offsets move, lag grows between every two samples', () => {
    expect(evaluatePartition([S(10, 20), S(15, 26), S(20, 32)], true)).toBe('WARN');
  });
  test('OK: offsets move with a steady lag behind a live stream (Burrow: not consistently increasing)', () => {
    expect(evaluatePartition([S(10, 15), S(15, 20), S(20, 25)], true)).toBe('OK');
    expect(evaluatePartition([S(10, 15), S(15, 21), S(20, 25)], true)).toBe('OK');
  });
  test('WARN warns only once the oldest unconsumed record is old enough: a live stream wobbles', () => {
    expect(warnsOn('WARN', 1200, 5000)).toBe(false);
    expect(warnsOn('WARN', 5000, 5000)).toBe(true);
    expect(warnsOn('OK', 60_000, 5000)).toBe(false);
  });
  test('OK: catching up', () => {
    expect(evaluatePartition([S(10, 50), S(30, 55), S(50, 60)], true)).toBe('OK');
  });
  test('REWIND: offsets went back', () => {
    expect(evaluatePartition([S(30, 50), S(10, 50)], true)).toBe('REWIND');
  });
  test('worst status and group activity', () => {
    expect(worstStatus(['OK', 'WARN', 'STALL'])).toBe('STALL');
    expect(worstStatus([])).toBe('OK');
    expect(isGroupActive('Stable', 1)).toBe(true);
    expect(isGroupActive('Empty', 0)).toBe(false);
  });
});

describe('coverage', () => {
  test('missing at LDF and in InfluxDB; young topics pending; empty topics not judged', () => {
    const v = evaluateCoverage(
      {
        summit: new Map([
          ['lsst.sal.A.x', 5],
          ['lsst.sal.A.y', 5],
          ['lsst.sal.A.z', 5],
          ['lsst.sal.A.new', 5],
          ['lsst.sal.A.empty', 0],
        ]),
        ldf: new Set(['lsst.sal.A.x', 'lsst.sal.A.z', 'lsst.sal.B.orphan']),
        measurements: new Set(['lsst.sal.A.x', 'lsst.sal.A.y', 'lsst.sal.C.old']),
        young: new Set(['lsst.sal.A.new']),
      },
      () => true,
    );
    expect(v.missingAtLdf).toEqual(['lsst.sal.A.y']);
    expect(v.missingInInflux).toEqual(['lsst.sal.A.z']);
    expect(v.pending).toEqual(['lsst.sal.A.new']);
    expect(v.empty).toBe(1);
    expect(v.judged).toBe(3);
    expect(v.onlyLdf).toEqual(['lsst.sal.B.orphan']);
    expect(v.onlyInflux).toEqual(['lsst.sal.C.old']);
  });
});

describe('freshness', () => {
  const now = 1_000_000;
  test('source: stale live topics, InfluxDB standing in when Kafka holds nothing', () => {
    const v = staleSources(
      ['a', 'b', 'c', 'd'],
      new Map([
        ['a', now - 10_000],
        ['b', now - 100],
      ]),
      new Map([['c', now - 50_000]]),
      now,
      5_000,
    );
    expect(v.stale.map((x) => x.topic)).toEqual(['c', 'a']);
    expect(v.unknown).toEqual(['d']);
    expect(v.judged).toBe(3);
  });
  test('sink: behind only once the newest record had time to arrive', () => {
    const v = sinkBehind(
      new Map([
        ['late', now - 120_000],
        ['inflight', now - 1_000],
        ['ok', now - 500_000],
        ['nomeasurement', now],
      ]),
      new Map([
        ['late', now - 900_000],
        ['inflight', now - 900_000],
        ['ok', now - 500_000],
      ]),
      now,
      60_000,
    );
    expect(v.behind.map((x) => x.topic)).toEqual(['late']);
    expect(v.inFlight).toBe(1);
    expect(v.judged).toBe(3);
  });
});

describe('completeness', () => {
  test('ratio per topic; pending topics are left to the lag check', () => {
    const v = evaluateCompleteness(
      [
        { topic: 'a', records: 100, points: 100, pending: false },
        { topic: 'b', records: 100, points: 90, pending: false },
        { topic: 'c', records: 100, points: 0, pending: true },
        { topic: 'd', records: 0, points: 0, pending: false },
        { topic: 'e', records: 10, points: 11, pending: false },
      ],
      0.999,
    );
    expect(v.incomplete.map((x) => x.topic)).toEqual(['b']);
    expect(v.pending).toBe(1);
    expect(v.judged).toBe(3);
    expect(v.records).toBe(210);
    expect(v.points).toBe(200);
  });
});

describe('capacity', () => {
  test('rate from records × mean size, topics without a sample use the mean', () => {
    const r = ingestRate({ windowS: 10, topics: [{ records: 10, meanBytes: 100 }, { records: 10, meanBytes: 300 }, { records: 10 }] });
    expect(r.bytes).toBe(1000 + 3000 + 2000);
    expect(r.bytesPerS).toBe(600);
  });
  test('finite retention within budget levels off; beyond it fills in days', () => {
    expect(judgeCapacity({ bytesPerS: 1000, retentionHours: 4380, budgetBytes: 4e12, usedBytes: 0, minDaysLeft: 30 }).status).toBe('pass');
    const v = judgeCapacity({ bytesPerS: 1.9e6, retentionHours: 4380, budgetBytes: 4e12, usedBytes: 0, minDaysLeft: 20 });
    expect(v.status).toBe('warn');
    expect(v.daysLeft).toBeCloseTo(4e12 / (1.9e6 * 86400), 5);
    expect(judgeCapacity({ bytesPerS: 1e7, retentionHours: 0, budgetBytes: 4e12, usedBytes: 0, minDaysLeft: 30 }).status).toBe('fail');
    expect(judgeCapacity({ bytesPerS: 0, retentionHours: 0, budgetBytes: 4e12, usedBytes: 0, minDaysLeft: 30 }).status).toBe('pass');
    // infinite retention: warn inside the planning horizon, pass beyond it
    expect(judgeCapacity({ bytesPerS: 2e5, retentionHours: 0, budgetBytes: 4e12, usedBytes: 0, minDaysLeft: 30, warnDaysLeft: 365 }).status).toBe('warn');
    expect(judgeCapacity({ bytesPerS: 1, retentionHours: 0, budgetBytes: 4e12, usedBytes: 0, minDaysLeft: 30, warnDaysLeft: 365 }).status).toBe('pass');
  });
  test('the OCS-REQ-0048 projection is about 30 TB for 6 months', () => {
    const p = projection(1.9e6, 182.5);
    expect(p).toBeCloseTo(2.99592e13, -9);
    expect(humanBytes(p)).toBe('29.96 TB');
    expect(humanBytes(1.9e6, '/s')).toBe('1.90 MB/s');
  });
});

describe('scope', () => {
  const profile = { markers: { topic: 'lsst.sal.EFDHealth.logevent_marker', count: 1 }, load: { topic_prefix: 'lsst.sal.EFDHealthLoad', max_rate_bytes_per_s: 1, max_duration_s: 1 } };
  test('lsst.sal topics minus the suite\'s own marker CSC and load topics, minus exclude', () => {
    const inScope = topicScope(profile, { topics: '^lsst\\.sal\\.', exclude: '\\.ackcmd$' });
    expect(inScope('lsst.sal.ATDome.position')).toBe(true);
    expect(inScope('lsst.sal.EFDHealth.logevent_marker')).toBe(false);
    expect(inScope('lsst.sal.EFDHealthLoad.t0')).toBe(false);
    expect(inScope('lsst.sal.ATDome.ackcmd')).toBe(false);
    expect(inScope('kafkasql-journal')).toBe(false);
  });
  test('a bad regex names the threshold', () => {
    expect(() => topicScope(profile, { topics: '(', exclude: '' })).toThrow(/data\.topics\.coverage\.topics/);
  });
  test('the default live-topic pattern is SAL telemetry', () => {
    const re = new RegExp(TELEMETRY_TOPICS);
    expect(re.test('lsst.sal.MTM1M3.forceActuatorData')).toBe(true);
    expect(re.test('lsst.sal.MTM1M3.logevent_heartbeat')).toBe(false);
    expect(re.test('lsst.sal.MTM1M3.command_start')).toBe(false);
    expect(re.test('lsst.sal.MTM1M3.ackcmd')).toBe(false);
  });
});
