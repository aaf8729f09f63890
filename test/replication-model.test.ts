// Unit tests: the marker route derived from replication and sink manifests (no stack needed).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InputError } from '../src/errors.ts';
import {
  carries,
  loadReplicationModel,
  parseKcql,
  remoteTopic,
  routeMarker,
  type ReplicationModel,
} from '../src/model/replication.ts';

const TOPIC = 'lsst.sal.EFDHealth.logevent_marker';

function manifests(...docs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'efd-repl-model-'));
  docs.forEach((d, i) => writeFileSync(join(dir, `m${i}.yaml`), d));
  return dir;
}

const connector = (name: string, cls: string, config: Record<string, string>) =>
  `apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaConnector
metadata: { name: ${name} }
spec:
  class: ${cls}
  tasksMax: 1
  config:
${Object.entries(config).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join('\n')}
`;

const MM2 = 'org.apache.kafka.connect.mirror.MirrorSourceConnector';
const REPLICATOR = 'io.confluent.connect.replicator.ReplicatorSourceConnector';
const INFLUX = 'com.datamountaineer.streamreactor.connect.influx.InfluxSinkConnector';

const telegraf = (body: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: telegraf }
data:
  telegraf.conf: |
${body.split('\n').map((l) => `    ${l}`).join('\n')}
`;

const TELEGRAF_SAL = telegraf(`[[inputs.kafka_consumer]]
  brokers = ["ldf:9092"]
  topic_regexps = ["lsst\\\\.sal\\\\..*"]
  consumer_group = "telegraf-efd"
  data_format = "avro"
  avro_timestamp = "private_efdStamp"
[[outputs.influxdb]]
  database = "efd"`);

describe('replication policies', () => {
  test('MirrorMaker 2 with IdentityReplicationPolicy keeps the name', () => {
    const m = loadReplicationModel(
      manifests(connector('replicator-mirror-source', MM2, {
        'source.cluster.alias': 'summit',
        'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy',
        topics: 'lsst\\.sal\\..*',
      }), TELEGRAF_SAL),
    );
    const { route, problems } = routeMarker(m, TOPIC);
    expect(problems).toEqual([]);
    expect(route?.ldfTopic).toBe(TOPIC);
    expect(route?.measurement).toBe(TOPIC);
    expect(route?.sink.consumerGroup).toBe('telegraf-efd');
    expect(route?.sink.timestampField).toBe('private_efdStamp');
    // identity defers to the default policy for heartbeats topics, as MM2 does
    expect(remoteTopic(m.replications[0], 'heartbeats')).toBe('summit.heartbeats');
  });

  test('MirrorMaker 2 DefaultReplicationPolicy prefixes alias and separator (default ".")', () => {
    const m = loadReplicationModel(manifests(connector('mm2', MM2, { 'source.cluster.alias': 'summit', topics: 'lsst\\.sal\\..*' }), TELEGRAF_SAL));
    expect(remoteTopic(m.replications[0], TOPIC)).toBe(`summit.${TOPIC}`);
    const sep = loadReplicationModel(manifests(connector('mm2', MM2, { 'source.cluster.alias': 'summit', 'replication.policy.separator': '_', topics: '.*' })));
    expect(remoteTopic(sep.replications[0], 'a.b')).toBe('summit_a.b');
    // the EFD's own MM2: empty alias and empty separator preserve names
    const efd = loadReplicationModel(manifests(connector('mm2', MM2, { 'source.cluster.alias': '', 'replication.policy.separator': '', topics: '.*' })));
    expect(remoteTopic(efd.replications[0], TOPIC)).toBe(TOPIC);
  });

  test('Confluent Replicator applies topic.rename.format (default ${topic})', () => {
    const plain = loadReplicationModel(manifests(connector('rep', REPLICATOR, { 'topic.regex': 'lsst\\.sal\\..*' })));
    expect(remoteTopic(plain.replications[0], TOPIC)).toBe(TOPIC);
    const renamed = loadReplicationModel(manifests(connector('rep', REPLICATOR, { 'topic.regex': 'lsst\\.sal\\..*', 'topic.rename.format': 'summit.${topic}' })));
    expect(remoteTopic(renamed.replications[0], TOPIC)).toBe(`summit.${TOPIC}`);
  });

  test('a custom replication policy is bad input naming the file', () => {
    const dir = manifests(connector('mm2', MM2, { 'replication.policy.class': 'com.example.MyPolicy' }));
    expect(() => loadReplicationModel(dir)).toThrow(InputError);
    expect(() => loadReplicationModel(dir)).toThrow(/m0\.yaml:\d+: KafkaConnector mm2: replication.policy.class com.example.MyPolicy/);
  });
});

describe('topic filters', () => {
  test('MM2 and Connect patterns are Java full matches; the default MM2 excludes apply', () => {
    const f = { names: [], patterns: ['lsst\\.sal\\..*'], anchored: true, excludes: ['.*[\\-\\.]internal'] };
    expect(carries(f, TOPIC)).toBe(true);
    expect(carries(f, `summit.${TOPIC}`)).toBe(false);
    expect(carries(f, 'lsst.sal.x.internal')).toBe(false);
  });

  test('Telegraf topic_regexps match anywhere in the name (Go MatchString)', () => {
    const f = { names: [], patterns: ['lsst\\.sal\\..*'], anchored: false, excludes: [] };
    expect(carries(f, `summit.${TOPIC}`)).toBe(true);
  });

  test('Replicator whitelist, regex and blacklist', () => {
    const m = loadReplicationModel(manifests(connector('rep', REPLICATOR, { 'topic.whitelist': '_schemas,foo', 'topic.regex': 'lsst\\.sal\\..*', 'topic.blacklist': TOPIC })));
    const f = m.replications[0].filter;
    expect(carries(f, 'foo')).toBe(true);
    expect(carries(f, 'lsst.sal.A.b')).toBe(true);
    expect(carries(f, TOPIC)).toBe(false);
    // the aliases the issue names (topics / topics.regex / topics.whitelist)
    const alias = loadReplicationModel(manifests(connector('rep', REPLICATOR, { 'topics.regex': 'lsst\\..*' })));
    expect(carries(alias.replications[0].filter, TOPIC)).toBe(true);
  });
});

describe('sinks and measurements', () => {
  test('Connect InfluxDB sink: topics list and KCQL measurement', () => {
    const m = loadReplicationModel(
      manifests(
        connector('rep', REPLICATOR, { 'topic.regex': 'lsst\\.sal\\..*', 'topic.rename.format': 'summit.${topic}' }),
        connector('influxdb-sink', INFLUX, {
          topics: `summit.${TOPIC},summit.lsst.sal.X.y`,
          'connect.influx.kcql': `INSERT INTO \`${TOPIC}\` SELECT * FROM \`summit.${TOPIC}\` WITHTIMESTAMP private_efdStamp TIMESTAMPUNIT=MICROSECONDS;INSERT INTO x SELECT * FROM summit.lsst.sal.X.y`,
        }),
      ),
    );
    const { route, problems } = routeMarker(m, TOPIC);
    expect(problems).toEqual([]);
    expect(route?.ldfTopic).toBe(`summit.${TOPIC}`);
    expect(route?.measurement).toBe(TOPIC);
    expect(route?.sink.consumerGroup).toBe('connect-influxdb-sink');
    expect(route?.sink.timestampField).toBe('private_efdStamp');
  });

  test('KCQL parsing: several statements, back quotes, WITHTIMESTAMP', () => {
    expect(parseKcql('INSERT INTO t1 SELECT * FROM t1 WITHTIMESTAMP sys_time();INSERT INTO `a.b` SELECT x, y FROM `c.d`')).toEqual([
      { measurement: 't1', topic: 't1', timestamp: 'sys_time()' },
      { measurement: 'a.b', topic: 'c.d' },
    ]);
  });

  test('Connect sink topics.regex and a KCQL without the topic', () => {
    const m = loadReplicationModel(
      manifests(
        connector('mm2', MM2, { 'source.cluster.alias': '', 'replication.policy.separator': '', topics: 'lsst\\.sal\\..*' }),
        connector('sink', INFLUX, { 'topics.regex': 'lsst\\.sal\\..*', 'connect.influx.kcql': 'INSERT INTO a SELECT * FROM lsst.sal.A.b' }),
      ),
    );
    const { route, problems } = routeMarker(m, TOPIC);
    expect(route).toBeUndefined();
    expect(problems.join()).toMatch(/KCQL of sink has no statement for topic lsst.sal.EFDHealth.logevent_marker/);
  });

  test('Telegraf avro_measurement overrides the record name', () => {
    const m = loadReplicationModel(
      manifests(
        connector('mm2', MM2, { 'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy', topics: '.*' }),
        telegraf(`[[inputs.kafka_consumer]]\n  topics = ["${TOPIC}"]\n  avro_measurement = "markers"`),
      ),
    );
    expect(routeMarker(m, TOPIC).route?.measurement).toBe('markers');
    expect(m.sinks[0].consumerGroup).toBe('telegraf_metrics_consumers');
  });

  test('malformed Telegraf TOML is bad input naming the ConfigMap and key', () => {
    const dir = manifests(telegraf('[[inputs.kafka_consumer]]\n  topics = ["a"'));
    expect(() => loadReplicationModel(dir)).toThrow(/ConfigMap telegraf key telegraf.conf is not valid TOML/);
  });
});

describe('routes that cannot carry the marker', () => {
  const model = (reps: string, sink: string): ReplicationModel => loadReplicationModel(manifests(reps, sink));

  test('the replication does not carry the topic', () => {
    const { route, problems } = routeMarker(
      model(connector('replicator-mirror-source', MM2, { topics: 'lsst\\.sal\\.MT.*' }), TELEGRAF_SAL),
      TOPIC,
    );
    expect(route).toBeUndefined();
    expect(problems[0]).toMatch(/replicator-mirror-source \(m0\.yaml:\d+\) does not carry lsst\.sal\.EFDHealth\.logevent_marker: its topics are \/lsst\\\.sal\\\.MT\.\*\//);
  });

  test('the sink does not read the renamed topic', () => {
    const { route, problems } = routeMarker(
      model(
        connector('rep', REPLICATOR, { 'topic.regex': 'lsst\\..*', 'topic.rename.format': 'summit.${topic}' }),
        connector('sink', INFLUX, { 'topics.regex': 'lsst\\.sal\\..*' }),
      ),
      TOPIC,
    );
    expect(route).toBeUndefined();
    expect(problems[0]).toMatch(/sink \(m1\.yaml:\d+\) does not read summit\.lsst\.sal\.EFDHealth\.logevent_marker/);
  });

  test('nothing declared', () => {
    expect(routeMarker({ replications: [], sinks: [] }, TOPIC).problems[0]).toMatch(/declare no replication/);
  });
});

test('the local stack manifests route the profile marker topic to InfluxDB', () => {
  const m = loadReplicationModel(resolve(import.meta.dirname, '../manifests/local'));
  const { route, problems } = routeMarker(m, TOPIC);
  expect(problems).toEqual([]);
  expect(route).toMatchObject({ ldfTopic: TOPIC, measurement: TOPIC, replication: { name: 'replicator-mirror-source' }, sink: { kind: 'telegraf', consumerGroup: 'telegraf-efd' } });
  expect(route!.replication.connectors.sort()).toEqual(['replicator-checkpoint', 'replicator-heartbeat', 'replicator-mirror-source']);
});
