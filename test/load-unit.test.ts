// Unit tests of the load suite's pure parts: rate and duration parsing, the plan's safety rules, the
// open-model scheduler, the traffic model and its scaling, stamping payloads, lag judging, the ledger.
// No stack needed (EFD_SKIP_STACK=1 is fine).
import { describe, expect, test } from 'vitest';
import { loadProfile, defaultProfilePath } from '../src/config/profile.ts';
import type { Profile } from '../src/config/types.ts';
import { InputError } from '../src/errors.ts';
import { Ledger } from '../src/load/ledger.ts';
import { TAI_MINUS_UTC_S } from '../src/avro/sal.ts';
import { buildPayloads, stampRecord } from '../src/load/payloads.ts';
import { resolveLoadPlan } from '../src/load/plan.ts';
import { ProgressLine } from '../src/load/progress.ts';
import { IntendedQueue, RampLevel, Scheduler, burst } from '../src/load/schedule.ts';
import { loadTrafficModel, probeTopicSpec, sampleRecord, scaleModel, rng, naturalBytesPerS, type SizedTopic } from '../src/load/traffic.ts';
import { formatRate, parseDuration, parseRate } from '../src/load/units.ts';
import { judgeLag, slope, describeLag } from '../src/load/verdict.ts';
import { failedThresholds, influxIngressHost, judgeK6Prereq, k6Hosts } from '../src/load/k6.ts';
import { prefixRegex } from '../src/load/influx.ts';
import { isSteady, warmupOutcome } from '../src/load/warmup.ts';
import { judgeWarmup, unmeasuredOutcome } from '../src/load/judge.ts';
import type { LoadRun } from '../src/load/run.ts';

const local = (): Profile => loadProfile(defaultProfilePath());

describe('rates and durations', () => {
  test.each([
    ['1.9MB/s', 1.9e6],
    ['1.9 MB/s', 1.9e6],
    ['500kB/s', 5e5],
    ['500KB/s', 5e5],
    ['2MiB/s', 2 * 1024 * 1024],
    ['1GiB/s', 1024 ** 3],
    ['1900000', 1.9e6],
    ['19MB/s', 1.9e7],
    ['.5MB/s', 5e5],
  ])('parseRate(%s)', (text, bytes) => {
    expect(parseRate(text)).toBeCloseTo(bytes, 6);
  });

  test.each(['', 'fast', '1.9', '1.9 MB/min', '-1MB/s', '0MB/s', '1,9MB/s', 'MB/s'].filter((x) => x !== '1.9'))('parseRate rejects %j', (text) => {
    expect(() => parseRate(text)).toThrow(/byte rate/);
  });

  test('a bare number is bytes per second', () => {
    expect(parseRate('1.9')).toBe(1.9);
  });

  test.each([
    ['30s', 30],
    ['10m', 600],
    ['1h30m', 5400],
    ['90', 90],
    ['1.5m', 90],
    ['500ms', 0.5],
  ])('parseDuration(%s)', (text, s) => {
    expect(parseDuration(text)).toBeCloseTo(s, 9);
  });

  test.each(['', '10 minutes', 'm', '10x', '5m3'])('parseDuration rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/duration/);
  });

  test('MB and MiB side by side', () => {
    expect(formatRate(1.9e6)).toBe('1.90 MB/s (1.81 MiB/s)');
    expect(formatRate(19e6)).toBe('19.0 MB/s (18.1 MiB/s)');
  });
});

describe('plan: safety before anything is sent', () => {
  test('defaults: steady 1.9 MB/s measured for 60 s after a warm-up bounded by the given default', () => {
    const p = resolveLoadPlan(local(), {}, 240);
    expect(p).toMatchObject({ shape: 'steady', rateBytesPerS: 1.9e6, durationS: 60, warmupS: 240, k6: false, prefix: 'lsst.sal.EFDHealthLoad' });
    expect(resolveLoadPlan(local(), { warmup: '0' }).warmupS).toBe(0);
    // the default bound never exceeds the profile's duration cap; an explicit one above it is refused
    const capped = { ...local(), load: { topic_prefix: 'lsst.sal.EFDHealthLoad', max_rate_bytes_per_s: 5e6, max_duration_s: 120 } };
    expect(resolveLoadPlan(capped, {}, 240).warmupS).toBe(120);
    expect(() => resolveLoadPlan(capped, { warmup: '3m' })).toThrow(/--warmup 3 min exceeds load.max_duration_s/);
  });

  test('reads the CLI options', () => {
    const p = resolveLoadPlan(local(), { rate: '500kB/s', duration: '10m', shape: 'burst', k6: true, 'burst-factor': '3', 'burst-length': '60s' });
    expect(p).toMatchObject({ shape: 'burst', rateBytesPerS: 5e5, durationS: 600, k6: true, burst: { factor: 3, lengthS: 60 } });
    // the burst starts a third of the way into the measured window, which counts from the warm-up's end
    expect(p.burst.startS).toBe(180);
  });

  test('a production profile without --allow-production is refused with exit 4', () => {
    const prod = { ...local(), production: true };
    let err: unknown;
    try {
      resolveLoadPlan(prod, { rate: '1.9MB/s' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(4);
    expect((err as Error).message).toMatch(/production.*--allow-production/);
    expect(resolveLoadPlan(prod, { 'allow-production': true }).allowProduction).toBe(true);
  });

  test('rate and duration caps from profile.load', () => {
    const p = { ...local(), load: { topic_prefix: 'lsst.sal.EFDHealthLoad', max_rate_bytes_per_s: 5e6, max_duration_s: 120 } };
    expect(() => resolveLoadPlan(p, { rate: '6MB/s' })).toThrow(/exceeds load\.max_rate_bytes_per_s/);
    expect(() => resolveLoadPlan(p, { rate: '2MB/s', shape: 'burst', 'burst-factor': '5' })).toThrow(/burst peak/);
    expect(() => resolveLoadPlan(p, { duration: '3m' })).toThrow(/exceeds load\.max_duration_s/);
    expect(() => resolveLoadPlan(p, { rate: '5MB/s', duration: '2m' })).not.toThrow();
  });

  test.each([
    [{ rate: 'fast' }, /--rate/],
    [{ duration: 'soon' }, /--duration/],
    [{ shape: 'zigzag' }, /--shape/],
    [{ duration: '5s' }, /at least 10 s/],
    [{ warmup: 'a while' }, /--warmup/],
    [{ duration: '30s', shape: 'burst', 'burst-length': '40s' }, /--burst-length/],
    [{ rate: true }, /--rate needs a value/],
    [{ shape: 'ramp', 'ramp-factor': '1' }, /--ramp-factor/],
  ])('bad option %j is an InputError naming the flag', (opts, msg) => {
    expect(() => resolveLoadPlan(local(), opts as Record<string, string | boolean>)).toThrow(InputError);
    expect(() => resolveLoadPlan(local(), opts as Record<string, string | boolean>)).toThrow(msg);
  });
});

describe('open-model scheduler', () => {
  test('a periodic topic gets rate × time records with evenly spaced intended times', () => {
    const s = new Scheduler([{ ratePerS: 50, arrival: 'periodic' }], { startMs: 0, endMs: 10_000 });
    s.advance(10_000);
    const q = s.queues[0];
    expect(q.length).toBeGreaterThanOrEqual(499);
    expect(q.length).toBeLessThanOrEqual(500);
    const times = q.take(1000);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    for (const g of gaps) expect(g).toBeCloseTo(20, 6);
  });

  test('intended times depend only on the clock: a late sender finds old records queued (no coordinated omission)', () => {
    const s = new Scheduler([{ ratePerS: 100, arrival: 'periodic' }], { startMs: 0, endMs: 60_000 });
    s.advance(100);
    s.queues[0].take(1_000); // sent on time
    // the sender stalls for 2 s: records keep being scheduled at their intended times
    s.advance(2_100);
    expect(s.queued()).toBeGreaterThanOrEqual(199);
    expect(s.oldestQueued()!).toBeLessThanOrEqual(110);
  });

  test('poisson events average their rate', () => {
    const s = new Scheduler([{ ratePerS: 5, arrival: 'poisson' }], { startMs: 0, endMs: 2_000_000, seed: 3 });
    s.advance(2_000_000);
    expect(s.scheduled[0]).toBeGreaterThan(9_500);
    expect(s.scheduled[0]).toBeLessThan(10_500);
  });

  test('nothing is scheduled at or after the end', () => {
    const s = new Scheduler([{ ratePerS: 1000, arrival: 'periodic' }], { startMs: 0, endMs: 1000 });
    s.advance(5000);
    const times = s.queues[0].take(10_000);
    expect(Math.max(...times)).toBeLessThan(1000);
    expect(times.length).toBeLessThanOrEqual(1000);
  });

  test('burst shape multiplies the rate inside the burst only', () => {
    const shape = burst(5, 10, 5);
    expect([shape(0), shape(9.9), shape(10), shape(14.9), shape(15)]).toEqual([1, 1, 5, 5, 1]);
    const s = new Scheduler([{ ratePerS: 10, arrival: 'periodic' }], { startMs: 0, endMs: 20_000, shape });
    s.advance(20_000);
    // 15 s at 10/s + 5 s at 50/s
    expect(s.scheduled[0]).toBeGreaterThan(395);
    expect(s.scheduled[0]).toBeLessThan(402);
  });

  test('the ramp level is read as records are scheduled', () => {
    const ramp = new RampLevel(1);
    const s = new Scheduler([{ ratePerS: 10, arrival: 'periodic' }], { startMs: 0, endMs: 100_000, shape: ramp.shape });
    s.advance(10_000);
    const before = s.scheduled[0];
    ramp.level = 2;
    s.advance(20_000);
    expect(s.scheduled[0] - before).toBeGreaterThan(195);
  });

  test('a full queue drops new records and counts them (like dropped_iterations)', () => {
    const q = new IntendedQueue(3);
    for (let i = 0; i < 5; i++) q.push(i);
    expect(q.length).toBe(3);
    expect(q.dropped).toBe(2);
    expect(q.take(2)).toEqual([0, 1]);
    expect(q.oldest()).toBe(2);
  });
});

describe('traffic model', () => {
  const specs = loadTrafficModel('lsst.sal.EFDHealthLoad');

  test('EFD shape: many lsst.sal topics, telemetry at 50, 20 and 1 Hz with arrays, sporadic events', () => {
    expect(specs.length).toBeGreaterThanOrEqual(20);
    for (const s of specs) expect(s.topic).toMatch(/^lsst\.sal\.EFDHealthLoad\.(logevent_\w+|ackcmd|\w+)$/);
    const hz = new Set(specs.filter((s) => s.kind === 'telemetry').map((s) => s.naturalRatePerS / Math.max(1, s.indexes.length)));
    expect([...hz].sort((a, b) => a - b)).toEqual([1, 20, 50]);
    expect(specs.some((s) => s.kind === 'event' && s.arrival === 'poisson')).toBe(true);
    expect(specs.some((s) => s.schema.fields.some((f) => typeof f.type === 'object'))).toBe(true);
  });

  test('SAL private fields come first, the namespace is the prefix (measurement = topic)', () => {
    for (const s of specs) {
      expect(`${s.schema.namespace}.${s.schema.name}`).toBe(s.topic);
      const names = s.schema.fields.map((f) => f.name);
      expect(names).toEqual(expect.arrayContaining(['private_sndStamp', 'private_efdStamp', 'private_kafkaStamp', 'private_seqNum', 'private_identity', 'private_origin']));
      expect(names.indexOf('private_efdStamp')).toBeLessThan(4 + (s.indexes.length ? 1 : 0));
    }
    expect(probeTopicSpec('lsst.sal.EFDHealthLoad').topic).toBe('lsst.sal.EFDHealthLoad.logevent_loadProbe');
  });

  test('a prefix the replicator and sink would not carry is refused', () => {
    expect(() => loadTrafficModel('efd.load')).toThrow(InputError);
  });

  test('scaling: one factor for every topic, byte rate hits the target exactly', () => {
    const sized: SizedTopic[] = specs.map((s, i) => ({ ...s, bytesPerRecord: 100 + 37 * i }));
    const natural = naturalBytesPerS(sized);
    for (const target of [1.9e6, 5e5, 19e6]) {
      const m = scaleModel(sized, target);
      expect(m.factor).toBeCloseTo(target / natural, 9);
      const bytes = m.topics.reduce((s, t) => s + t.ratePerS * t.bytesPerRecord, 0);
      expect(bytes).toBeCloseTo(target, 3);
      for (const t of m.topics) expect(t.ratePerS / t.naturalRatePerS).toBeCloseTo(m.factor, 9);
    }
    expect(() => scaleModel(sized, 0)).toThrow();
  });

  test('sampled records carry arrays of the declared length and cycle salIndex', () => {
    const fad = specs.find((s) => s.name === 'forceActuatorData')!;
    const r = sampleRecord(fad, rng(1), 0);
    expect((r.zForce as number[]).length).toBe(156);
    const temp = specs.find((s) => s.name === 'temperature')!;
    const idx = [0, 1, 2, 3, 4, 5, 6].map((v) => sampleRecord(temp, rng(1), v).salIndex);
    expect(new Set(idx).size).toBe(6);
  });
});

describe('payloads: encode once, stamp per record', () => {
  // a stand-in wire format: magic byte + 4-byte id, then fields in schema order (doubles as 8 bytes LE,
  // everything else as JSON text) — enough to show the stamps are found and rewritten in place
  const spec = loadTrafficModel('lsst.sal.EFDHealthLoad').find((s) => s.name === 'gyroData')!;
  const encode = async (rec: Record<string, unknown>) => {
    const parts: Buffer[] = [Buffer.from([0, 0, 0, 0, 42])];
    for (const f of spec.schema.fields) {
      if (f.type === 'double') {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(Number(rec[f.name]));
        parts.push(b);
      } else parts.push(Buffer.from(JSON.stringify(rec[f.name])));
    }
    return Buffer.concat(parts);
  };

  test('stamps are located and written per record; the variant itself is untouched', async () => {
    const p = await buildPayloads(spec, 42, encode, 4);
    expect(p.variants).toHaveLength(4);
    const before = Buffer.from(p.variants[1]);
    const intended = 1_700_000_000_123.25;
    const sent = intended + 3;
    const rec = stampRecord(p, 1, intended, sent);
    expect(rec.readDoubleLE(p.offsets.private_efdStamp)).toBeCloseTo(intended / 1000, 6);
    expect(rec.readDoubleLE(p.offsets.private_sndStamp)).toBeCloseTo(intended / 1000 + TAI_MINUS_UTC_S, 6);
    expect(rec.readDoubleLE(p.offsets.private_kafkaStamp)).toBeCloseTo(sent / 1000 + TAI_MINUS_UTC_S, 6);
    expect(p.variants[1].equals(before)).toBe(true);
    expect(rec.length).toBe(before.length);
  });
});

describe('lag verdicts', () => {
  const bounds = { maxS: 30, slopeMax: 0.1, slopeMinLagS: 5 };

  test('least-squares slope', () => {
    expect(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBeCloseTo(2, 9);
    expect(slope([{ x: 0, y: 1 }])).toBe(0);
  });

  test('a steady small lag passes', () => {
    const pts = Array.from({ length: 20 }, (_, i) => ({ tS: i * 2, lagS: 1.5 + (i % 3) * 0.3 }));
    expect(judgeLag(pts, bounds)).toMatchObject({ ok: true, why: 'bounded' });
  });

  test('a lag growing 1 s/s fails as growing before it crosses the bound', () => {
    const pts = Array.from({ length: 12 }, (_, i) => ({ tS: 6 + i * 2, lagS: 6 + i * 2 }));
    const v = judgeLag(pts, bounds);
    expect(v).toMatchObject({ ok: false, why: 'growing' });
    expect(v.slope).toBeCloseTo(1, 6);
    expect(describeLag('sink lag', v, bounds)).toMatch(/grew 1\.00 s\/s to 28\.0 s/);
  });

  test('a lag over its bound fails as exceeded', () => {
    const pts = [{ tS: 0, lagS: 31 }, { tS: 2, lagS: 31 }];
    expect(judgeLag(pts, bounds)).toMatchObject({ ok: false, why: 'exceeded' });
  });

  test('a small wobbling lag is not "growing" below slopeMinLagS', () => {
    const pts = Array.from({ length: 5 }, (_, i) => ({ tS: i, lagS: 0.5 + i * 0.5 }));
    expect(judgeLag(pts, bounds).ok).toBe(true);
  });

  test('a burst may raise the lag if the trend afterwards is flat', () => {
    const during = Array.from({ length: 10 }, (_, i) => ({ tS: i * 2, lagS: 2 + i }));
    const after = Array.from({ length: 10 }, (_, i) => ({ tS: 20 + i * 2, lagS: 3 }));
    expect(judgeLag([...during, ...after], bounds, after).ok).toBe(true);
  });
});

describe('ledger', () => {
  test('offset → send time, pruning, per-second intended counts', () => {
    const l = new Ledger();
    l.addSegment('t', 0, 100, 10, 1000);
    l.addSegment('t', 0, 110, 5, 2000);
    expect(l.sendTimeOf('t', 0, 105)).toBe(1000);
    expect(l.sendTimeOf('t', 0, 112)).toBe(2000);
    expect(l.sendTimeOf('t', 0, 99)).toBeUndefined();
    expect(l.sendTimeAtOrAfter('t', 0, 50)).toBe(1000);
    expect(l.endOffset('t', 0)).toBe(115);
    l.prune('t', 0, 111);
    expect(l.sendTimeOf('t', 0, 105)).toBeUndefined();
    expect(l.sendTimeOf('t', 0, 111)).toBe(2000);
    l.countIntended('t', [1000, 1500, 2999, 3000]);
    expect(l.intendedIn('t', 1000, 3000)).toBe(3);
    expect(l.intendedIn('t', 0, 4000)).toBe(4);
  });
});

describe('k6 and InfluxQL helpers', () => {
  test('skip findings say why k6 did not run', () => {
    expect(judgeK6Prereq(false, '/usr/bin/k6', 'x.js')?.message).toMatch(/not requested/);
    expect(judgeK6Prereq(true, undefined, 'x.js')?.message).toMatch(/no k6 binary on PATH/);
    expect(judgeK6Prereq(true, '/usr/bin/k6', 'x.js')).toBeUndefined();
  });

  test('the ingress host of InfluxDB and k6 host overrides', () => {
    expect(influxIngressHost([{ host: 'chrono', backends: [{ service: 'chronograf' }] }, { host: 'db', backends: [{ service: 'influxdb' }] }], [])).toBe('db');
    expect(influxIngressHost([], ['lsst-chronograf-ldf-efd.x', 'lsst-influxdb-nts-ldf.x'])).toBe('lsst-influxdb-nts-ldf.x');
    expect(k6Hosts({ a: '127.0.0.1', b: '10.0.0.1:9443' }, 8443)).toEqual({ a: '127.0.0.1', 'a:8443': '127.0.0.1:8443', b: '10.0.0.1', 'b:8443': '10.0.0.1:9443' });
  });

  test('failed thresholds are read from the summary', () => {
    const s = { metrics: { http_req_failed: { thresholds: { 'rate<0.01': { ok: false } } }, checks: { thresholds: { 'rate>0.99': { ok: true } } } } };
    expect(failedThresholds(s)).toEqual(['http_req_failed: rate<0.01']);
  });

  test('the measurement regex covers the prefix only', () => {
    const re = prefixRegex('lsst.sal.EFDHealthLoad');
    expect(re).toBe('/^lsst\\.sal\\.EFDHealthLoad\\./');
  });

  test('progress line shows MB and MiB', () => {
    const line = ProgressLine.line(
      { tMs: 35_000, seconds: 1, sentBytes: 1.9e6, sentRecords: 3600, ackedBytes: 1.9e6, ackedRecords: 3600, errors: 0, backlog: 0, inFlight: 1, dropped: 0, ackP99Ms: 4.2, delayP99Ms: 1.1, warmup: false, level: 1 },
      { atMs: 0, replicationLagS: 0.8, replicationBacklog: 10, sinkLagS: 2.1, sinkBacklog: 100 },
      60,
    );
    expect(line).toContain('1.90 MB/s (1.81 MiB/s)');
    expect(line).toContain('sink lag 2.1 s');
    expect(line).toMatch(/^load 0:35\/1:00/);
  });
});

describe('judging a load run (synthetic facts)', async () => {
  const { judgeGenerator, judgeLagCheck, judgeInflux, judgeMarkers, judgeCleanup, KEEP_UP } = await import('../src/load/judge.ts');
  const plan = resolveLoadPlan(local(), { duration: '30s' });
  const interval = (tMs: number, bytes: number, warmup = false) => ({
    tMs, seconds: 1, sentBytes: bytes, sentRecords: bytes / 500, ackedBytes: bytes, ackedRecords: bytes / 500, errors: 0,
    backlog: 0, inFlight: 0, dropped: 0, ackP99Ms: 5, delayP99Ms: 1, warmup, level: 1,
  });
  const lat = { count: 1, mean_ms: 1, p50_ms: 1, p95_ms: 1, p99_ms: 2, p999_ms: 2, max_ms: 3 };
  const gen = (bytesPerS: number) => ({
    startMs: 0, endMs: 30_000, warmupEndMs: 10_000,
    intervals: Array.from({ length: 30 }, (_, i) => interval((i + 1) * 1000, i < 10 ? 1.9e6 : bytesPerS, i < 10)),
    measured: { seconds: 20, sentBytes: 0, sentRecords: 0, ackedBytes: 0, ackedRecords: 0, errors: 0, bytesPerS, recordsPerS: 0, intendedBytesPerS: 1.9e6 },
    totals: { sentRecords: 1000, ackedRecords: 1000, sentBytes: 0, ackedBytes: 0, errors: 0, dropped: 0, unsent: 0 },
    ackLatency: lat, sendDelay: lat, intendedToAck: lat,
    cpu: { userS: 1, systemS: 0, wallS: 30, percentOfOneCore: 3.3 },
    ledger: new Ledger(),
  });
  const base = (over: Record<string, unknown> = {}) => ({
    runId: 'r', plan, readiness: { createdTopics: [], missingAtLdf: [], schemasMissingAtLdf: [] }, samples: [], probes: [], gen: gen(1.9e6), ...over,
  }) as any;
  const bounds = { maxS: 30, slopeMax: 0.1, slopeMinLagS: 5 };

  test('generator: on target passes, 5 % short fails with capacity', () => {
    expect(judgeGenerator(base(), { tolerance_pct: 2, error_ratio_max: 0 }).status).toBe('pass');
    const short = judgeGenerator(base({ gen: gen(1.8e6) }), { tolerance_pct: 2, error_ratio_max: 0 });
    expect(short).toMatchObject({ status: 'fail', reason: 'capacity' });
    expect(short.measurements!.mb_per_s).toBeCloseTo(1.8, 3);
  });

  test('sink lag growing: "pipeline did not keep up" and the figure; replication at 0 passes', () => {
    const samples = Array.from({ length: 12 }, (_, i) => ({ atMs: 0, tS: 10 + 2 * i, replicationLagS: 0.2, replicationBacklog: 0, sinkLagS: 10 + 2 * i, sinkBacklog: 1000 * i }));
    const run = base({ samples, readiness: { createdTopics: [], missingAtLdf: [], schemasMissingAtLdf: [], sink: { state: 'Empty', members: 0, unassigned: [] } } });
    const sink = judgeLagCheck(run, 'sink', bounds, 'telegraf-efd');
    expect(sink.status).toBe('fail');
    expect(sink.reason).toBe('keep_up');
    expect(sink.message).toContain(KEEP_UP);
    expect(sink.message).toMatch(/sink lag \(group telegraf-efd\) grew 1\.00 s\/s to 30\.0 s over 20 s/);
    expect(sink.hint).toMatch(/no members/);
    expect(judgeLagCheck(run, 'replication', bounds, 'telegraf-efd').status).toBe('pass');
  });

  test('lag not measurable is an error with the probe reason', () => {
    const samples = [{ atMs: 0, tS: 15, replicationLagS: NaN, replicationBacklog: NaN, sinkLagS: NaN, sinkBacklog: NaN, error: 'refused', errorReason: 'connect' }];
    expect(judgeLagCheck(base({ samples }), 'sink', bounds, 'g')).toMatchObject({ status: 'error', reason: 'connect' });
  });

  test('InfluxDB behind at the end: keep_up; all there: pass; some never: lost', () => {
    const influx = (atEnd: number, after: number) => ({ fromMs: 10_000, toMs: 30_000, expected: { a: 1000 }, atEnd: { a: atEnd }, afterDrain: { a: after }, drainedInMs: 5000 });
    const t = { ratio_min: 0.99, settle_s: 10, drain_s: 60 };
    expect(judgeInflux(base({ influx: influx(1000, 1000) }), t).status).toBe('pass');
    const behind = judgeInflux(base({ influx: influx(600, 1000) }), t);
    expect(behind).toMatchObject({ status: 'fail', reason: 'keep_up' });
    expect(behind.message).toContain(KEEP_UP);
    expect(behind.message).toMatch(/600 of 1000 points/);
    const lost = judgeInflux(base({ influx: influx(1000, 990) }), t);
    expect(lost).toMatchObject({ status: 'fail', reason: 'lost' });
    expect(lost.message).toMatch(/10 of 1000 load records never reached InfluxDB \(after waiting 5 s\)/);
    // a drain cut short because nothing arrived any more says so
    const stalled = judgeInflux(base({ influx: { ...influx(600, 600), drainStalledS: 20, drainedInMs: 22_000 } }), t);
    expect(stalled.message).toMatch(/400 still missing after waiting 22 s, the last 20 s without a single new point/);
  });

  test('markers: late ones fail "late"; without markers the own probe records are judged', () => {
    const hop = (lat: number[], late: number, lost: number) => ({ expected: lat.length + lost, arrived: lat.length - late, late, lost, latenciesMs: lat, timeline: [], lostIds: [], lateIds: [] });
    const report = (late: number) => ({ sent: 4, sendFailed: 0, replication: hop([100, 100, 100, 100], 0, 0), sink: hop([], 0, 0), e2e: hop([1000, 2000, 3000, late ? 9000 : 4000], late, 0), duplicates: 0, duplicateIds: [], foreign: 0, timeMismatches: [] });
    expect(judgeMarkers(base({ markers: { report: report(0), e2eSlaMs: 5000, sentDuringLoad: true } }), { sla_s: 30 }).status).toBe('pass');
    const late = judgeMarkers(base({ markers: { report: report(1), e2eSlaMs: 5000, sentDuringLoad: true } }), { sla_s: 30 });
    expect(late).toMatchObject({ status: 'fail', reason: 'late' });
    expect(late.message).toMatch(/took longer than the 5 s SLA \(max 9 s\)/);
    const own = judgeMarkers(base({ markers: { why: 'route: no replicator', sentDuringLoad: false }, probes: [{ id: 'x', sentMs: 0, ackMs: 100, seenMs: 2100 }] }), { sla_s: 30 });
    expect(own.status).toBe('pass');
    expect(own.message).toMatch(/replication markers could not be sent \(route: no replicator\)/);
  });

  test('cleanup leftovers fail as incomplete', () => {
    expect(judgeCleanup(base({ cleanup: { remaining: [], removed: ['x'], kept: [], errors: [] } })).status).toBe('pass');
    expect(judgeCleanup(base({ cleanup: { remaining: ['influxdb: measurement m'], removed: [], kept: [], errors: [] } }))).toMatchObject({ status: 'fail', reason: 'incomplete' });
  });
});

describe('ramp controller', async () => {
  const { rampControl } = await import('../src/load/ramp.ts');
  const settings = { replicationBounds: { maxS: 15, slopeMax: 0.1, slopeMinLagS: 5 }, sinkBounds: { maxS: 30, slopeMax: 0.1, slopeMinLagS: 5 } };

  test('raises the rate step by step and stops at the first step whose sink lag grows', () => {
    const plan = resolveLoadPlan(local(), { shape: 'ramp', rate: '1MB/s', 'ramp-step': '20s', 'ramp-factor': '2', warmup: '10s', duration: '10m' });
    const ramp = new RampLevel(1);
    const state = { steps: [] as any[], stepStartMs: 0, stoppedBecause: '' };
    let stopped = false;
    const gen = { warmupEndsAtMs: 10_000, startedAtMs: 0, achievedBytesPerS: () => 1e6 * ramp.level, stop: () => (stopped = true) };
    const samples: Array<{ tS: number; replicationLagS: number; sinkLagS: number }> = [];
    // the sink keeps up to 2 MB/s; at 4 MB/s its lag grows 0.5 s/s
    let lag = 1;
    for (let t = 10; t <= 200 && !stopped; t += 2) {
      if (ramp.level >= 4) lag += 1;
      samples.push({ tS: t, replicationLagS: 0.3, sinkLagS: lag });
      rampControl(ramp, state, gen, plan, settings, samples, t * 1000);
    }
    expect(stopped).toBe(true);
    expect(state.steps.map((s) => [s.bytesPerS, s.ok])).toEqual([[1e6, true], [2e6, true], [4e6, false]]);
    expect(state.stoppedBecause).toMatch(/^4\.00 MB\/s .*sink lag (growing|exceeded)/);
  });

  test('stops before a step over the profile cap', () => {
    const p = { ...local(), load: { topic_prefix: 'lsst.sal.EFDHealthLoad', max_rate_bytes_per_s: 3e6, max_duration_s: 3600 } };
    const plan = resolveLoadPlan(p, { shape: 'ramp', rate: '1MB/s', 'ramp-step': '20s', 'ramp-factor': '2', warmup: '10s', duration: '10m' });
    const ramp = new RampLevel(1);
    const state = { steps: [] as any[], stepStartMs: 0, stoppedBecause: '' };
    let stopped = false;
    const gen = { warmupEndsAtMs: 10_000, startedAtMs: 0, achievedBytesPerS: () => 1e6 * ramp.level, stop: () => (stopped = true) };
    const samples: Array<{ tS: number; replicationLagS: number; sinkLagS: number }> = [];
    for (let t = 10; t <= 200 && !stopped; t += 2) {
      samples.push({ tS: t, replicationLagS: 0.3, sinkLagS: 1 });
      rampControl(ramp, state, gen, plan, settings, samples, t * 1000);
    }
    expect(state.steps.map((s) => s.bytesPerS)).toEqual([1e6, 2e6]);
    expect(state.stoppedBecause).toMatch(/exceed the profile's cap 3\.00 MB\/s/);
  });
});

describe('progress line output', () => {
  test('without a terminal: a tagged line at most every 5 s', async () => {
    const { PROGRESS_TAG } = await import('../src/load/progress.ts');
    const prev = process.env.EFD_HEALTH_NO_TTY;
    process.env.EFD_HEALTH_NO_TTY = '1';
    try {
      let text = '';
      const fake = { isTTY: false, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
      const p = new ProgressLine(60, fake, 5000, true);
      const s = { tMs: 1000, seconds: 1, sentBytes: 1e6, sentRecords: 10, ackedBytes: 1e6, ackedRecords: 10, errors: 0, backlog: 0, inFlight: 0, dropped: 0, ackP99Ms: 1, delayP99Ms: 1, warmup: true, level: 1 };
      for (let i = 0; i < 3; i++) p.update({ ...s, tMs: 1000 * (i + 1) }, undefined);
      const lines = text.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0].startsWith(PROGRESS_TAG + 'load 0:01/1:00 warm-up')).toBe(true);
      p.close();
    } finally {
      if (prev === undefined) delete process.env.EFD_HEALTH_NO_TTY;
      else process.env.EFD_HEALTH_NO_TTY = prev;
    }
  });
});

describe('warm-up: ends on its stated condition, never on a guess', () => {
  const rule = { steadyS: 20, lagS: 5, maxS: 240 };
  const samples = (lags: Array<[number, number]>) => lags.map(([sink, repl], i) => ({ tS: 2 * (i + 1), sinkLagS: sink, replicationLagS: repl }));

  test('steady only once both lags stayed low for steady_s', () => {
    const cold = samples([[1, 0], [8, 0], [12, 1], [9, 0], [4, 0], [3, 0], [2, 0], [2, 0], [1, 0], [1, 0], [1, 0], [1, 0], [1, 0], [1, 0]]);
    // the last lag above 5 s is at 8 s: steady from 28 s on
    expect(isSteady(cold, rule, 26)).toBe(false);
    expect(isSteady(cold, rule, 28)).toBe(true);
    // a replication lag counts as much as a sink lag; a failed sample is not calm
    expect(isSteady(samples([[1, 9], ...Array(12).fill([1, 0])]), rule, 26)).toBe(true);
    expect(isSteady(samples([[1, 9], ...Array(12).fill([1, 0])]), rule, 20)).toBe(false);
    const failed = [...samples(Array(12).fill([1, 0])), { tS: 26, sinkLagS: 0, replicationLagS: 0, error: 'timeout' }];
    expect(isSteady(failed, rule, 26)).toBe(false);
    // too few samples is no evidence, however long the span
    expect(isSteady([{ tS: 30, sinkLagS: 0, replicationLagS: 0 }], rule, 60)).toBe(false);
  });

  test('a warm-up that never gets steady fails, says so with the lag, and the keep-up checks skip', () => {
    const growing = samples(Array.from({ length: 30 }, (_, i) => [2 + i * 1.5, 0.2] as [number, number]));
    const run = {
      plan: resolveLoadPlan(local(), { warmup: '60s' }),
      samples: growing,
      warmup: warmupOutcome(growing, { ...rule, maxS: 60 }, false, 60),
      readiness: { createdTopics: [], missingAtLdf: [], schemasMissingAtLdf: [] },
      probes: [],
    } as unknown as LoadRun;
    const o = judgeWarmup(run);
    expect(o.status).toBe('fail');
    expect(o.reason).toBe('keep_up');
    expect(o.message).toMatch(/pipeline did not keep up: not steady \(both lags ≤ 5 s for 20 s\) within the 60 s warm-up/);
    expect(o.message).toMatch(/sink lag 45\.5 s/);
    expect(unmeasuredOutcome(run)?.status).toBe('skip');
    expect(unmeasuredOutcome(run)?.message).toMatch(/see load\.pipeline\.warmup/);
    const steadyRun = { ...run, warmup: warmupOutcome(samples(Array(12).fill([1, 0])), rule, true, 24) } as LoadRun;
    expect(judgeWarmup(steadyRun)).toMatchObject({ status: 'pass', reason: 'ok' });
    expect(unmeasuredOutcome(steadyRun)).toBeUndefined();
    const none = { ...run, plan: resolveLoadPlan(local(), { warmup: '0' }), warmup: warmupOutcome([], { ...rule, maxS: 0 }, true, 0) } as LoadRun;
    expect(judgeWarmup(none).status).toBe('skip');
  });
});
