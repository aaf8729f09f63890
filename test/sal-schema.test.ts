// Pins the schemas built on src/avro/sal.ts to the text the code wrote before it existed: registries
// compare schema text, so any change here would register a new version (and a new id) on every run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { describe, expect, test } from 'vitest';
import { salPrivateFields, salStamps, STAMP_FIELDS } from '../src/avro/sal.ts';
import { efdSchema, encodeEfd } from '../src/data/synthetic.ts';
import { DEFAULT_TRAFFIC_DIR, loadTrafficModel, probeTopicSpec, type AvroRecordSchema } from '../src/load/traffic.ts';
import { stampRecord, type PayloadSet } from '../src/load/payloads.ts';
import { buildMarker, markerSchema, schemaRevCode } from '../src/markers/schema.ts';

// JSON.stringify output of the code before the refactor (markerSchema, efdSchema, traffic.ts privateFields)
const OLD_MARKER = String.raw`{"type":"record","name":"lsst.sal.EFDHealth.logevent_marker","description":"efd-health replication marker: injected at the Summit, timed to LDF Kafka and LDF InfluxDB","sal_version":"efd-health","fields":[{"name":"private_sndStamp","type":"double","default":0,"description":"Time of instance publication","units":"second"},{"name":"private_rcvStamp","type":"double","default":0,"description":"Time of instance reception","units":"second"},{"name":"private_efdStamp","type":"double","default":0,"description":"UTC time for EFD timestamp","units":"second"},{"name":"private_kafkaStamp","type":"double","default":0,"description":"TAI time at which the Kafka message was created","units":"second"},{"name":"private_seqNum","type":"long","default":0,"description":"Sequence number","units":"unitless"},{"name":"private_revCode","type":"string","default":"","description":"Revision hashcode","units":"unitless"},{"name":"private_identity","type":"string","default":"","description":"SAL component name for a CSC or user@host for a user","units":"unitless"},{"name":"private_origin","type":"long","default":0,"description":"Process ID of publisher","units":"unitless"},{"name":"run_id","type":"string","default":"","description":"efd-health run that injected this marker","units":"unitless"},{"name":"marker_id","type":"long","default":0,"description":"Marker number within the run","units":"unitless"},{"name":"sent_ns","type":"long","default":0,"description":"Runner wall clock when the marker was sent","units":"nanosecond"}]}`;
const OLD_SYNTHETIC = String.raw`{"type":"record","name":"lsst.sal.EFDHealthData.topic0001","description":"efd-health synthetic topic (run 1)","fields":[{"name":"private_sndStamp","type":"double","default":0,"description":"Time of instance publication"},{"name":"private_rcvStamp","type":"double","default":0,"description":"Time of instance reception"},{"name":"private_efdStamp","type":"double","default":0,"description":"UTC time for EFD timestamp"},{"name":"private_kafkaStamp","type":"double","default":0,"description":"TAI time at which the Kafka message was created"},{"name":"private_seqNum","type":"long","default":0,"description":"Sequence number"},{"name":"private_revCode","type":"string","default":"","description":"Revision hashcode"},{"name":"private_identity","type":"string","default":"","description":"SAL component name"},{"name":"private_origin","type":"long","default":0,"description":"Process ID of publisher"},{"name":"value","type":"double","default":0,"description":"A measured value"}]}`;
const OLD_LOAD_PRIVATE = [
  { name: 'private_sndStamp', type: 'double', default: 0, description: 'Time of instance publication', units: 'second' },
  { name: 'private_rcvStamp', type: 'double', default: 0, description: 'Time of instance reception', units: 'second' },
  { name: 'private_efdStamp', type: 'double', default: 0, description: 'UTC time for EFD timestamp', units: 'second' },
  { name: 'private_kafkaStamp', type: 'double', default: 0, description: 'TAI time at which the Kafka message was created', units: 'second' },
  { name: 'private_seqNum', type: 'long', default: 0, description: 'Sequence number', units: 'unitless' },
  { name: 'private_revCode', type: 'string', default: '', description: 'Revision hashcode', units: 'unitless' },
  { name: 'private_identity', type: 'string', default: '', description: 'SAL component name for a CSC or user@host for a user', units: 'unitless' },
  { name: 'private_origin', type: 'long', default: 0, description: 'Process ID of publisher', units: 'unitless' },
];
const OLD_SAL_INDEX = { name: 'salIndex', type: 'long', default: 0, description: 'SAL index (only for indexed components)', units: 'unitless' };

const PREFIX = 'lsst.sal.EFDHealthLoad';

/** What traffic.ts wrote before: the fixture spread, name and namespace set, private fields in front. */
function oldLoadSchema(name: string, indexed: boolean): string {
  const pub = JSON.parse(readFileSync(join(DEFAULT_TRAFFIC_DIR, 'schemas', `${name}.avsc`), 'utf8')) as AvroRecordSchema;
  const priv = indexed ? [OLD_SAL_INDEX, ...OLD_LOAD_PRIVATE] : OLD_LOAD_PRIVATE;
  return JSON.stringify({ ...pub, name, namespace: PREFIX, fields: [...priv, ...pub.fields] });
}

describe('SAL schemas stay byte for byte as registered', () => {
  test('marker schema, and the revCode hashed from it', () => {
    expect(JSON.stringify(markerSchema('lsst.sal.EFDHealth.logevent_marker'))).toBe(OLD_MARKER);
    expect(schemaRevCode('lsst.sal.EFDHealth.logevent_marker')).toBe('542c58e8');
  });

  test('synthetic data topic (no units, short identity description)', () => {
    expect(JSON.stringify(efdSchema('lsst.sal.EFDHealthData.topic0001', 'run 1'))).toBe(OLD_SYNTHETIC);
    expect(JSON.stringify(efdSchema('lsst.sal.EFDHealthData.topic0001'))).toBe(OLD_SYNTHETIC.replace(' (run 1)', ''));
  });

  test('load topics, indexed and not, and the probe topic', () => {
    const model = loadTrafficModel(PREFIX);
    const byName = (n: string) => model.find((t) => t.name === n)!;
    expect(byName('actuators').indexes.length).toBeGreaterThan(0);
    expect(JSON.stringify(byName('actuators').schema)).toBe(oldLoadSchema('actuators', true));
    expect(byName('forceActuatorData').indexes).toEqual([]);
    expect(JSON.stringify(byName('forceActuatorData').schema)).toBe(oldLoadSchema('forceActuatorData', false));
    for (const t of model) expect(JSON.stringify(t.schema)).toBe(oldLoadSchema(t.name, t.indexes.length > 0));
    expect(JSON.stringify(probeTopicSpec(PREFIX).schema)).toBe(oldLoadSchema('logevent_loadProbe', false));
  });

  test('private fields: salIndex first when indexed, stamps first otherwise', () => {
    expect(salPrivateFields().map((f) => f.name)).toEqual(OLD_LOAD_PRIVATE.map((f) => f.name));
    expect(salPrivateFields({ indexed: true })[0]).toEqual(OLD_SAL_INDEX);
    expect(salPrivateFields().slice(0, 4).map((f) => f.name)).toEqual([...STAMP_FIELDS]);
  });
});

describe('SAL private values stay as they were', () => {
  const WALL_MS = 1_767_225_600_123.4567;

  test('marker stamps: TAI = UTC + 37 s, at whole µs', () => {
    const m = buildMarker('lsst.sal.EFDHealth.logevent_marker', 'run-1', 7, 'EFDHealth', WALL_MS);
    expect(m).toMatchObject({
      private_sndStamp: 1767225637.123457,
      private_rcvStamp: 1767225637.123457,
      private_efdStamp: 1767225600.123457,
      private_kafkaStamp: 1767225637.123457,
      private_seqNum: 7n,
      private_revCode: '542c58e8',
      private_origin: BigInt(process.pid),
    });
  });

  test('synthetic record', () => {
    const buf = encodeEfd('lsst.sal.EFDHealthData.t', 5, 3, WALL_MS);
    expect(buf.subarray(0, 5).toString('hex')).toBe('0000000005');
    const rec = avro.Type.forSchema(efdSchema('lsst.sal.EFDHealthData.t') as avro.Schema).fromBuffer(buf.subarray(5));
    expect(rec).toEqual({
      private_sndStamp: 1767225637.123457,
      private_rcvStamp: 1767225637.123457,
      private_efdStamp: 1767225600.123457,
      private_kafkaStamp: 1767225637.123457,
      private_seqNum: 3,
      private_revCode: 'synthetic',
      private_identity: 'EFDHealthTest',
      private_origin: process.pid,
      value: Math.sin(3),
    });
  });

  test('load stamps written in place: snd/efd from the intended time, rcv/kafka from the send time', () => {
    const p: PayloadSet = { topic: 't', schemaId: 1, variants: [Buffer.alloc(40)], offsets: { private_sndStamp: 0, private_rcvStamp: 8, private_efdStamp: 16, private_kafkaStamp: 24 }, meanBytes: 40 };
    expect(stampRecord(p, 0, 1_767_225_600_123.25, 1_767_225_600_125.5).toString('hex')).toBe(
      '54e347496e55da41310848496e55da4154e307406e55da41310848496e55da410000000000000000',
    );
    expect(salStamps(10, 12)).toEqual({ private_sndStamp: 47, private_rcvStamp: 49, private_efdStamp: 10, private_kafkaStamp: 49 });
  });
});
