// The marker record: the EFD's own Avro shape (a SAL topic with the standard private fields, record name =
// topic, subject `<topic>-value`) plus what the tracker needs: run_id, marker_id, sent_ns.
// private_efdStamp (UTC seconds) is what the InfluxDB sink uses as the point's time.
import { createHash } from 'node:crypto';
import avro from 'avsc';
import { salField, salRecordSchema, salStamps, type SalScalar } from '../avro/sal.ts';
import { InputError } from '../errors.ts';

export interface MarkerRecord {
  private_sndStamp: number;
  private_rcvStamp: number;
  private_efdStamp: number;
  private_kafkaStamp: number;
  private_seqNum: bigint;
  private_revCode: string;
  private_identity: string;
  private_origin: bigint;
  run_id: string;
  marker_id: bigint;
  sent_ns: bigint;
}

const field = (name: string, type: SalScalar, description: string, units = 'unitless') => salField(name, type, description, units);

const AVRO_FULLNAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The Avro schema of the marker topic. The record name is the topic (as ts_salkafka names it). */
export function markerSchema(topic: string) {
  if (!AVRO_FULLNAME.test(topic))
    throw new InputError(`markers.topic ${topic} cannot be an Avro record name (dot-separated [A-Za-z_][A-Za-z0-9_]* parts, as SAL topics are)`);
  const head = {
    type: 'record' as const,
    name: topic,
    description: 'efd-health replication marker: injected at the Summit, timed to LDF Kafka and LDF InfluxDB',
    sal_version: 'efd-health',
  };
  return salRecordSchema(head, [
    field('run_id', 'string', 'efd-health run that injected this marker'),
    field('marker_id', 'long', 'Marker number within the run'),
    field('sent_ns', 'long', 'Runner wall clock when the marker was sent', 'nanosecond'),
  ]);
}

/** Avro long as BigInt: sent_ns (~1.7e18) does not fit a JS number exactly. */
export const BigIntLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint | number) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as string),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint' || (typeof n === 'number' && Number.isSafeInteger(n)),
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

const types = new Map<string, avro.Type>();

/** The avsc type of the marker record (longs as BigInt), one per topic. */
export function markerType(topic: string): avro.Type {
  let t = types.get(topic);
  if (!t) {
    // avsc adds named types to the registry it is given, so each type gets its own
    t = avro.Type.forSchema(markerSchema(topic) as avro.Schema, { registry: { long: BigIntLong } } as any);
    types.set(topic, t);
  }
  return t;
}

/** Short hash of the schema text, used as private_revCode (SAL's "revision hashcode"). */
export function schemaRevCode(topic: string): string {
  return createHash('sha256').update(JSON.stringify(markerSchema(topic))).digest('hex').slice(0, 8);
}

export interface MarkerStamp {
  /** runner wall clock, ms since the epoch (with sub-ms fraction) */
  wallMs: number;
}

/** A marker whose private_efdStamp is the send time, at whole microseconds (the InfluxDB precision). */
export function buildMarker(topic: string, runId: string, markerId: number, identity: string, wallMs: number): MarkerRecord {
  const us = Math.round(wallMs * 1000);
  const efd = us / 1e6;
  return {
    ...salStamps(efd),
    private_seqNum: BigInt(markerId),
    private_revCode: schemaRevCode(topic),
    private_identity: identity,
    private_origin: BigInt(process.pid),
    run_id: runId,
    marker_id: BigInt(markerId),
    sent_ns: BigInt(us) * 1000n,
  };
}

/** µs since the epoch that InfluxDB must show as the marker's time. */
export function efdStampMicros(m: Pick<MarkerRecord, 'private_efdStamp'>): number {
  return Math.round(m.private_efdStamp * 1e6);
}

/** Confluent wire format: magic byte 0, 4-byte schema id, Avro body. */
export function encodeWire(type: avro.Type, schemaId: number, record: MarkerRecord): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(0, 0);
  head.writeUInt32BE(schemaId, 1);
  return Buffer.concat([head, type.toBuffer(record)]);
}

export function decodeWire(type: avro.Type, buf: Buffer): { schemaId: number; record: MarkerRecord } | undefined {
  if (buf.length < 5 || buf.readUInt8(0) !== 0) return undefined;
  try {
    return { schemaId: buf.readUInt32BE(1), record: type.fromBuffer(buf.subarray(5)) as MarkerRecord };
  } catch {
    return undefined;
  }
}
