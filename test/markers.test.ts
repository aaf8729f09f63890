// Unit tests: marker schema and wire format, per-hop tracker outcomes, statistics, verdicts (no stack needed).
import { describe, expect, test } from 'vitest';
import { TAI_MINUS_UTC_S } from '../src/avro/sal.ts';
import { buildMarker, decodeWire, efdStampMicros, encodeWire, markerSchema, markerType } from '../src/markers/schema.ts';
import { bucketEdges, histogramSeries, summarize, timelineSeries } from '../src/markers/stats.ts';
import { MarkerTracker } from '../src/markers/tracker.ts';
import { judge } from '../src/markers/verdict.ts';
import { policyDrift } from '../src/markers/live-policy.ts';
import { remoteTopic } from '../src/model/replication.ts';
import { sinkDiagnosis } from '../src/markers/hints.ts';
import type { WriteCounters } from '../src/probes/influx.ts';
import { toPoints } from '../src/report/influx.ts';
import type { RunMeta } from '../src/report/model.ts';
import { emit } from '../src/report/sink.ts';
import { ProbeError } from '../src/probes/errors.ts';
import type { ReplicationRun } from '../src/markers/run.ts';
import type { MarkerThresholds } from '../src/markers/thresholds.ts';

const TOPIC = 'lsst.sal.EFDHealth.logevent_marker';

describe('marker schema', () => {
  test('is a SAL topic record named after the topic, with the private fields and the tracker fields', () => {
    const s = markerSchema(TOPIC);
    expect(s.name).toBe(TOPIC);
    const fields = Object.fromEntries(s.fields.map((f) => [f.name, f.type]));
    expect(fields).toMatchObject({
      private_sndStamp: 'double',
      private_rcvStamp: 'double',
      private_efdStamp: 'double',
      private_kafkaStamp: 'double',
      private_seqNum: 'long',
      private_revCode: 'string',
      private_identity: 'string',
      private_origin: 'long',
      run_id: 'string',
      marker_id: 'long',
      sent_ns: 'long',
    });
    for (const f of s.fields) expect(f).toHaveProperty('default');
  });

  test('a topic that is not an Avro name is bad input', () => {
    expect(() => markerSchema('lsst.sal.bad-name')).toThrow(/markers.topic lsst.sal.bad-name cannot be an Avro record name/);
  });

  test('round-trips through the Confluent wire format, sent_ns exact beyond 2^53', () => {
    const wall = 1_767_225_600_123.456; // 2026-01-01T00:00:00.123456Z
    const m = buildMarker(TOPIC, 'run-1', 7, 'efd-health@local', wall);
    expect(m.private_efdStamp).toBe(1_767_225_600.123456);
    expect(m.private_sndStamp - m.private_efdStamp).toBeCloseTo(TAI_MINUS_UTC_S, 6);
    expect(m.sent_ns).toBe(1_767_225_600_123_456_000n);
    expect(efdStampMicros(m)).toBe(1_767_225_600_123_456);
    const type = markerType(TOPIC);
    const buf = encodeWire(type, 42, m);
    expect(buf[0]).toBe(0);
    expect(buf.readUInt32BE(1)).toBe(42);
    const back = decodeWire(type, buf)!;
    expect(back.schemaId).toBe(42);
    expect(back.record).toMatchObject({ run_id: 'run-1', marker_id: 7n, sent_ns: 1_767_225_600_123_456_000n, private_seqNum: 7n });
    expect(decodeWire(type, Buffer.from('not avro'))).toBeUndefined();
  });
});

describe('statistics', () => {
  test('percentiles from the HDR histogram at µs resolution', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 ms
    const s = summarize(values);
    expect(s.count).toBe(100);
    expect(s.p50_ms).toBeCloseTo(50, 0);
    expect(s.p95_ms).toBeCloseTo(95, 0);
    expect(s.p99_ms).toBeCloseTo(99, 0);
    expect(s.max_ms).toBe(100);
    expect(summarize([1.234]).p50_ms).toBeCloseTo(1.234, 2);
    expect(summarize([]).count).toBe(0);
  });

  test('histogram buckets double from 5 ms and keep the SLA as an edge', () => {
    expect(bucketEdges(30)).toEqual([5, 10, 20, 40]);
    expect(bucketEdges(30, 2000)).toContain(2000);
    const h = histogramSeries('x', [1, 6, 2500], 2000);
    expect(h.kind).toBe('histogram');
    const count = (edge: number) => h.points.find((p) => p[0] === edge)?.[1];
    expect(count(5)).toBe(1);
    expect(count(10)).toBe(1);
    expect(h.points.reduce((a, p) => a + p[1], 0)).toBe(3);
    expect(timelineSeries('t', [[20, 1], [0, 2]]).points).toEqual([[0, 2], [20, 1]]);
  });
});

describe('tracker', () => {
  const opts = { replicationSlaMs: 100, e2eSlaMs: 300, deadlineMs: 1000 };
  const sight = (at: number, offset: string, partition = 0) => ({ at, partition, offset });

  test('arrived, late, lost per hop; duplicates; other runs ignored', () => {
    const t = new MarkerTracker('me', opts);
    for (let i = 0; i < 4; i++) {
      t.sent(i, i % 2, i * 10, 1_000_000 + i);
      t.acked(i, i * 10 + 2);
    }
    t.seenAtLdf('me', 0, sight(50, '10')); // 48 ms: arrived
    t.seenAtLdf('me', 1, sight(200, '11', 1)); // 188 ms: late
    t.seenAtLdf('me', 2, sight(70, '12')); // arrived, never in InfluxDB
    t.seenAtLdf('me', 0, sight(60, '13')); // second delivery
    t.seenAtLdf('me', 0, sight(61, '13')); // the same offset again is a re-fetch, not a delivery
    t.seenAtLdf('other', 0, sight(55, '14'));
    t.seenAtLdf(undefined, undefined, sight(56, '15'));
    t.seenInInflux(0, 250, 1_000_000);
    t.seenInInflux(1, 600, 1_000_005); // 4 µs off its stamp
    // marker 3 never seen anywhere
    expect(t.settled(500)).toBe(false);
    expect(t.settled(2000)).toBe(true);
    const r = t.report(1);
    expect(r.sent).toBe(4);
    expect(r.replication).toMatchObject({ expected: 4, arrived: 2, late: 1, lost: 1, lostIds: [3], lateIds: [1] });
    expect(r.sink).toMatchObject({ expected: 3, arrived: 2, lost: 1, lostIds: [2] });
    expect(r.e2e).toMatchObject({ expected: 4, arrived: 1, late: 1, lost: 2 });
    expect(r.duplicates).toBe(1);
    expect(r.duplicateIds).toEqual([0]);
    expect(r.foreign).toBe(2);
    expect(r.timeMismatches).toEqual([{ id: 1, expected_us: 1_000_001, got_us: 1_000_005 }]);
    expect(r.replication.latenciesMs).toEqual([48, 188, 48]);
    expect(r.lastArrivalAt).toBe(600);
  });

  test('a sighting after the deadline is not credited (KMinion: late arrivals are lost)', () => {
    const t = new MarkerTracker('me', opts);
    t.sent(0, 0, 0, 0);
    t.acked(0, 1);
    t.seenAtLdf('me', 0, sight(1500, '1'));
    const r = t.report();
    expect(r.replication.lost).toBe(1);
    expect(r.sink.expected).toBe(0);
  });

  test('a failed send is not tracked', () => {
    const t = new MarkerTracker('me', opts);
    t.sent(0, 0, 0, 0);
    t.failed(0, 'broker down');
    expect(t.settled(0)).toBe(true);
    expect(t.report()).toMatchObject({ sent: 0, sendFailed: 1 });
  });
});

describe('verdicts', () => {
  const th: MarkerThresholds = {
    replicationSlaMs: 100, topicWaitMs: 1000, e2eSlaMs: 300, deadlineMs: 1000, pollIntervalMs: 50, ldfSchemaWaitMs: 1000,
    maxDuplicates: 0, timeToleranceUs: 1, jmxToleranceMs: 100, jmxTimeoutMs: 1000,
  };
  const route = {
    summitTopic: TOPIC, ldfTopic: TOPIC, measurement: TOPIC,
    replication: { kind: 'mirrormaker2', name: 'mm2', file: 'f', line: 1, policy: { type: 'identity', alias: 'summit', separator: '.' }, filter: { names: [], patterns: ['.*'], anchored: true, excludes: [] }, connectors: ['mm2'] },
    sink: { kind: 'telegraf', name: 'telegraf', file: 'f', line: 1, filter: { names: [], patterns: ['.*'], anchored: false, excludes: [] }, consumerGroup: 'g', timestampField: 'private_efdStamp' },
  } as any;

  function runWith(build: (t: MarkerTracker) => void, extra: Partial<ReplicationRun> = {}): ReplicationRun {
    const t = new MarkerTracker('me', { replicationSlaMs: th.replicationSlaMs, e2eSlaMs: th.e2eSlaMs, deadlineMs: th.deadlineMs });
    build(t);
    return {
      runId: 'me', thresholds: th, topic: TOPIC, route, routeProblems: [], summitTopic: { created: false, partitions: 1 },
      live: { url: 'http://connect:8083', replications: [route.replication], drift: [] }, declaredLdfTopic: TOPIC,
      schema: { id: 1, ldfKnown: true, ldfWaitMs: 3 }, ldf: { gateMs: 5 }, influx: { polls: 3, queryMs: [2, 3] },
      tracker: t, report: t.report(1), timings: { total_ms: 900, gate_ms: 10, verdict_delay_ms: 20 },
      ...extra,
    };
  }
  const healthy = (t: MarkerTracker) => {
    for (let i = 0; i < 3; i++) {
      t.sent(i, 0, i, 10 + i);
      t.acked(i, i + 1);
      t.seenAtLdf('me', i, { at: i + 20, partition: 0, offset: String(i) });
      t.seenInInflux(i, i + 200, 10 + i);
    }
  };

  test('a healthy run passes every check (the cross-check skips without JMX)', () => {
    const v = judge(runWith(healthy), { production: false, jmxConfigured: false });
    for (const [id, o] of Object.entries(v)) expect(o.status, id).toBe(id.endsWith('mm2_crosscheck') ? 'skip' : 'pass');
    const m = v['replication.marker.e2e_latency'].measurements!;
    // HDR reports the highest value equivalent to the percentile (3 significant digits)
    expect(m.latency_ms_p50).toBeCloseTo(199, 0);
    expect(m).toMatchObject({ replication_latency_ms_max: 19, resolution_ms: 50 });
    expect(v['replication.marker.e2e_latency'].series?.map((s) => s.kind)).toEqual(['histogram', 'timeline']);
  });

  test('nothing at LDF: the replication hop fails (not_arrived), the later checks skip', () => {
    const v = judge(
      runWith((t) => { t.sent(0, 0, 0, 0); t.acked(0, 1); }, { replicationHint: 'replication connectors: mm2 PAUSED' }),
      { production: false, jmxConfigured: true },
    );
    expect(v['replication.marker.replication_hop']).toMatchObject({ status: 'fail', reason: 'not_arrived', hint: 'replication connectors: mm2 PAUSED' });
    for (const id of ['sink_hop', 'e2e_latency', 'duplicates', 'influx_time', 'mm2_crosscheck'] as const)
      expect(v[`replication.marker.${id}`].status, id).toBe('skip');
  });

  test('at LDF but not in InfluxDB with InfluxDB down: the sink hop fails naming InfluxDB unreachable', () => {
    const run = runWith((t) => { t.sent(0, 0, 0, 0); t.acked(0, 1); t.seenAtLdf('me', 0, { at: 5, partition: 0, offset: '1' }); });
    run.influx!.lastError = new ProbeError('refused', '127.0.0.1:8086: connection refused (ECONNREFUSED)', '127.0.0.1:8086');
    const v = judge(run, { production: false, jmxConfigured: false });
    expect(v['replication.marker.replication_hop'].status).toBe('pass');
    expect(v['replication.marker.sink_hop']).toMatchObject({ status: 'fail', reason: 'refused' });
    expect(v['replication.marker.sink_hop'].message).toMatch(/InfluxDB is unreachable/);
    expect(v['replication.marker.e2e_latency'].status).toBe('skip');
  });

  test('no arrival, no latency: a hop where nothing arrived carries no percentile, in the finding nor in its InfluxDB point', () => {
    const v = judge(runWith((t) => { t.sent(0, 0, 0, 0); t.acked(0, 1); }), { production: false, jmxConfigured: false });
    const hop = v['replication.marker.replication_hop'];
    expect(hop.measurements).toMatchObject({ markers_sent: 1, markers_lost: 1 });
    expect(Object.values(hop.measurements!).some(Number.isNaN)).toBe(true); // what the verdict says: nothing observed
    const finding = emit({ ...hop, id: 'replication.marker.replication_hop', suite: 'replication', target: 'fx' });
    expect(Object.keys(finding.measurements!).filter((k) => k.includes('latency'))).toEqual([]);
    const point = toPoints({ env: 'fx', vantage: 'v', finished_at: new Date().toISOString() } as RunMeta, [finding])[0].toLineProtocol()!;
    expect(point).toContain('markers_lost=1');
    expect(point).not.toMatch(/latency/);
    expect(summarize([])).toMatchObject({ count: 0, p50_ms: NaN, max_ms: NaN });
  });

  test('one ledger, one story: a marker InfluxDB has is never lost at LDF, only unobserved, with what the tail saw', () => {
    const run = runWith((t) => {
      for (let i = 0; i < 4; i++) {
        t.sent(i, 0, i, 10 + i);
        t.acked(i, i + 1);
        if (i === 0) t.seenAtLdf('me', i, { at: i + 20, partition: 0, offset: String(i) });
        t.seenInInflux(i, i + 200, 10 + i);
      }
    });
    run.ldf!.tailEvents = [{ at_ms: 15, partition: 0, what: 'offset 812 out of range: the topic was recreated or truncated; reading again from offset 0' }];
    const v = judge(run, { production: false, jmxConfigured: false });
    const hop = v['replication.marker.replication_hop'];
    expect(hop).toMatchObject({ status: 'warn', reason: 'unobserved', measurements: { markers_lost: 0, markers_unobserved: 3 } });
    expect(hop.message).toBe(
      '1 of 4 markers timed at LDF Kafka within the 100 ms SLA (p50 19 ms, p99 19 ms, max 19 ms); 3 more (markers 1, 2, 3) reached InfluxDB ' +
        `without being seen at LDF Kafka, so they were not lost there, only unobserved: the LDF tail lost sight of ${TOPIC}: at +15 ms ` +
        'partition 0 offset 812 out of range: the topic was recreated or truncated; reading again from offset 0',
    );
    // every hop verdict agrees with the same ledger: all four are in InfluxDB, the e2e check times them all
    expect(v['replication.marker.e2e_latency']).toMatchObject({ status: 'pass', measurements: { markers_complete: 4 } });
    expect(v['replication.marker.sink_hop'].status).toBe('pass');
    // consistency over every marker: seen later ⇒ not lost earlier
    const r = run.report!;
    for (const id of r.replication.lostIds) expect(r.e2e.lostIds, `marker ${id}`).toContain(id);
    expect(r.replication.lost + r.replication.unobserved + r.replication.arrived + r.replication.late).toBe(r.sent);
  });

  test('a loss states the wait that happened: a run that ended early does not claim the whole deadline', () => {
    const t = new MarkerTracker('me', { replicationSlaMs: 100, e2eSlaMs: 300, deadlineMs: 1000 });
    t.sent(0, 0, 0, 0);
    t.acked(0, 1);
    const run = runWith(() => {});
    run.tracker = t;
    run.report = t.report(1, 431);
    const hop = judge(run, { production: false, jmxConfigured: false })['replication.marker.replication_hop'];
    expect(hop.message).toMatch(/^1 of 1 markers did not reach .* at LDF Kafka in the 430 ms the run waited \(deadline 1000 ms\)/);
    run.report = t.report(1, 5000);
    expect(judge(run, { production: false, jmxConfigured: false })['replication.marker.replication_hop'].message).toMatch(/in the 1000 ms deadline/);
  });

  test('the live policy: a prefixing policy where the manifests declare identity is drift, and the route follows what runs', () => {
    const declared = route.replication;
    const live = { ...declared, file: 'Connect http://connect:8083', line: 0, policy: { type: 'prefix', alias: 'summit', separator: '.' } };
    const drift = policyDrift([declared], [live]);
    expect(drift).toEqual(['mm2 runs with DefaultReplicationPolicy: summit.<topic>; the manifests declare IdentityReplicationPolicy: same name']);
    const moved = { ...route, ldfTopic: `summit.${TOPIC}`, replication: live };
    const v = judge(runWith(healthy, { route: moved, live: { url: 'http://connect:8083', replications: [live], drift } }), { production: false, jmxConfigured: false });
    expect(v['replication.preflight.live_policy']).toMatchObject({ status: 'fail', reason: 'drift' });
    expect(v['replication.preflight.live_policy'].message).toBe(`the replication runs otherwise than the manifests declare: ${drift[0]}; markers go to summit.${TOPIC} at LDF`);
    expect(v['replication.preflight.live_policy'].hint).toMatch(new RegExp(`the manifests' policy names the LDF topic ${TOPIC.replace(/\./g, '\\.')}, the live one summit\\.`));
    expect(v['replication.preflight.topic_patterns'].message).toContain('[DefaultReplicationPolicy: summit.<topic>, live on http://connect:8083]');
    // Connect unreadable: a skip that says the run used the manifests
    const off = judge(runWith(healthy, { live: { url: 'http://connect:8083', error: 'connection refused', drift: [] } }), { production: false, jmxConfigured: false });
    expect(off['replication.preflight.live_policy']).toMatchObject({ status: 'skip', reason: 'skipped' });
    expect(off['replication.preflight.live_policy'].message).toMatch(/cannot be read from Connect at http:\/\/connect:8083 \(connection refused\); the run routed markers by the manifests' policy/);
  });

  test('the live policy of a Confluent Replicator: a changed topic.rename.format is drift, and names the LDF topic', () => {
    const declared = { kind: 'replicator', name: 'rep', file: 'f', line: 3, policy: { type: 'rename', format: '${topic}' }, filter: { names: [TOPIC], patterns: [], anchored: true, excludes: [] }, connectors: ['rep'] } as any;
    const live = { ...declared, file: 'Connect http://c', line: 0, policy: { type: 'rename', format: 'summit_${topic}' } };
    expect(policyDrift([declared], [live])).toEqual(['rep runs with topic.rename.format summit_${topic}; the manifests declare topic.rename.format ${topic}']);
    expect(policyDrift([declared], [])).toEqual(['rep is declared in the manifests but no such replication connector runs on Connect']);
    expect(remoteTopic(live, TOPIC)).toBe(`summit_${TOPIC}`);
  });

  test('markers found under another LDF name: the hop fails (policy) naming where they went and whether the sink reads it', () => {
    const run = runWith((t) => { t.sent(0, 0, 0, 0); t.acked(0, 1); }, { elsewhere: { searched: [`summit.${TOPIC}`], found: [{ topic: `summit.${TOPIC}`, markers: 1 }] } });
    const hop = judge(run, { production: false, jmxConfigured: false })['replication.marker.replication_hop'];
    expect(hop).toMatchObject({ status: 'fail', reason: 'policy' });
    expect(hop.message).toBe(`1 of 1 markers did not reach ${TOPIC} at LDF Kafka: they arrived under summit.${TOPIC} (1) instead`);
    expect(hop.hint).toMatch(/^the replication wrote them under another name than the live replication policy gives/);
    expect(hop.hint).toMatch(/the sink telegraf reads summit\.lsst.* too/);
    // the same when the sink carried them into InfluxDB from there: not lost, but not where the policy says either
    const via = runWith((t) => { t.sent(0, 0, 0, 0); t.acked(0, 1); t.seenInInflux(0, 300, 0); }, { elsewhere: { searched: [`summit.${TOPIC}`], found: [{ topic: `summit.${TOPIC}`, markers: 1 }] } });
    const hop2 = judge(via, { production: false, jmxConfigured: false })['replication.marker.replication_hop'];
    expect(hop2).toMatchObject({ status: 'fail', reason: 'policy' });
    expect(hop2.message).toBe(`1 of 1 markers did not reach ${TOPIC} at LDF Kafka: they arrived under summit.${TOPIC} (1) instead, and 1 of them reached InfluxDB through it`);
  });

  test('a duplicate is blamed where the read-back puts it: produced twice at the Summit, or redelivered by the replication', () => {
    const twice = (t: MarkerTracker) => {
      healthy(t);
      t.seenAtLdf('me', 1, { at: 30, partition: 0, offset: '9' });
    };
    const at = (copies: Record<number, number>) =>
      judge(runWith(twice, { sourceCopies: { copies } }), { production: false, jmxConfigured: false })['replication.marker.duplicates'];
    expect(at({ 0: 1, 1: 2, 2: 1 }).hint).toMatch(/^produced twice at the Summit: marker 1 has 2 copies in lsst\.sal\.EFDHealth\.logevent_marker there/);
    expect(at({ 0: 1, 1: 1, 2: 1 }).hint).toMatch(/^redelivered by the replication: marker 1 has 1 copy at the Summit but more at LDF/);
    expect(judge(runWith(twice), { production: false, jmxConfigured: false })['replication.marker.duplicates'].hint).toMatch(/^where the copies were born is not known/);
  });

  test('a sink gap says which side: not consumed, or consumed but not written, from the group and InfluxDB counters', () => {
    const counters = (o: Partial<WriteCounters>): WriteCounters => ({ writeReq: 0, pointsWrittenOK: 0, pointsWrittenFail: 0, pointsWrittenDropped: 0, authFail: 0, clientError: 0, serverError: 0, ...o });
    const span = (after: Partial<WriteCounters>) => ({ before: counters({}), after: counters(after) });
    expect(sinkDiagnosis({ members: 0, lag: 5 }, span({})).which).toMatch(/^not consumed: the sink has no member/);
    const refused = sinkDiagnosis({ members: 1, lag: 20 }, span({ writeReq: 4, authFail: 4 }));
    expect(refused.which).toBe('consumed but not written: the sink is reading, and InfluxDB refused 4 writes or points during the run');
    expect(refused.evidence).toBe('InfluxDB during the run (SHOW STATS httpd): writeReq +4, pointsWrittenOK +0, pointsWrittenFail +0, pointsWrittenDropped +0, authFail +4, clientError +0, serverError +0');
    expect(sinkDiagnosis({ members: 1, lag: 3 }, span({ writeReq: 2, pointsWrittenOK: 9 })).which).toBe('not consumed: the sink\'s group lags 3 records on the topic and InfluxDB refused no write');
    expect(sinkDiagnosis({ members: 1, lag: 0 }, span({ writeReq: 2, pointsWrittenOK: 9 })).which).toMatch(/^consumed and written: InfluxDB counted the writes without an error/);
    expect(sinkDiagnosis({ members: 1, lag: 0 }, undefined).evidence).toMatch(/SHOW STATS needs the profile's influxdb\.admin user/);
  });

  test('the MM2 cross-check fails (drift) beyond its tolerance and passes within it', () => {
    const reading = (latency: number) => ({ jmx: { readings: [{ name: 'n', keys: { partition: '0', topic: TOPIC }, attributes: { 'replication-latency-ms': latency } }] } });
    // marker 2: sent 2, ack 3 (1 ms), seen at LDF 22 → measured 19 ms; MM2 should say ≈ 20 ms
    const ok = judge(runWith(healthy, reading(25)), { production: false, jmxConfigured: true })['replication.marker.mm2_crosscheck'];
    expect(ok).toMatchObject({ status: 'pass', measurements: { difference_ms: 5 } });
    const drift = judge(runWith(healthy, reading(500)), { production: false, jmxConfigured: true })['replication.marker.mm2_crosscheck'];
    expect(drift).toMatchObject({ status: 'fail', reason: 'drift' });
  });
});

describe('JmxTool output', () => {
  test('properties format: one reading per MBean with its key properties; NaN dropped', async () => {
    const { parseJmxProperties } = await import('../src/probes/jmx.ts');
    const text = [
      'Trying to connect to JMX url: service:jmx:rmi:///jndi/rmi://127.0.0.1:9999/jmxrmi',
      'time=1795781959462',
      `kafka.connect.mirror:type=MirrorSourceConnector,source=summit,target=ldf,topic=${TOPIC},partition=0:record-count=40.0`,
      `kafka.connect.mirror:type=MirrorSourceConnector,source=summit,target=ldf,topic=${TOPIC},partition=0:replication-latency-ms=8.0`,
      `kafka.connect.mirror:type=MirrorSourceConnector,source=summit,target=ldf,topic=${TOPIC},partition=0:replication-latency-ms-max=NaN`,
    ].join('\n');
    expect(parseJmxProperties(text)).toEqual([
      {
        name: `kafka.connect.mirror:type=MirrorSourceConnector,source=summit,target=ldf,topic=${TOPIC},partition=0`,
        keys: { type: 'MirrorSourceConnector', source: 'summit', target: 'ldf', topic: TOPIC, partition: '0' },
        attributes: { 'record-count': 40, 'replication-latency-ms': 8 },
      },
    ]);
  });
});
