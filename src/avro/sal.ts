// The SAL private fields every EFD topic carries in front of its public fields (ts_salkafka's
// make_avro_schema), and the values they take. One definition for the marker topic, the load topics and the
// synthetic data topics: registries compare schema text, so the field order, defaults and key order here
// decide whether a run registers the same schema version or a new one.

/** TAI − UTC since 2017-01-01 (no leap second announced since). SAL stamps are TAI, private_efdStamp is UTC. */
export const TAI_MINUS_UTC_S = 37;

export type SalScalar = 'double' | 'long' | 'string';

// a type alias, not an interface, so that it is assignable to records with an index signature
export type SalField = { name: string; type: SalScalar; default: number | string; description: string; units?: string };

/** An Avro field as SAL writes it: default 0 or '', then the description, then units when given. */
export function salField(name: string, type: SalScalar, description: string, units?: string): SalField {
  const f: SalField = { name, type, default: type === 'string' ? '' : 0, description };
  if (units !== undefined) f.units = units;
  return f;
}

/** The four time stamps, fixed-width doubles that the load generator rewrites in place per record. */
export const STAMP_FIELDS = ['private_sndStamp', 'private_rcvStamp', 'private_efdStamp', 'private_kafkaStamp'] as const;
export type StampField = (typeof STAMP_FIELDS)[number];

const PRIVATE = [
  ['private_sndStamp', 'double', 'Time of instance publication', 'second'],
  ['private_rcvStamp', 'double', 'Time of instance reception', 'second'],
  ['private_efdStamp', 'double', 'UTC time for EFD timestamp', 'second'],
  ['private_kafkaStamp', 'double', 'TAI time at which the Kafka message was created', 'second'],
  ['private_seqNum', 'long', 'Sequence number', 'unitless'],
  ['private_revCode', 'string', 'Revision hashcode', 'unitless'],
  ['private_identity', 'string', 'SAL component name for a CSC or user@host for a user', 'unitless'],
  ['private_origin', 'long', 'Process ID of publisher', 'unitless'],
] as const;

export type SalPrivateField = (typeof PRIVATE)[number][0];
export const SAL_PRIVATE_FIELDS: readonly SalPrivateField[] = PRIVATE.map((p) => p[0]);

export interface SalPrivateOptions {
  /** an indexed component: salIndex comes first */
  indexed?: boolean;
  /** false: no units keys (the synthetic data topics were registered without them) */
  units?: boolean;
  /** descriptions that differ from SAL's (kept so already registered schemas stay the same) */
  descriptions?: Partial<Record<SalPrivateField, string>>;
}

/** The private fields in ts_salkafka's order, salIndex first for an indexed component. */
export function salPrivateFields(o: SalPrivateOptions = {}): SalField[] {
  const units = (u: string) => (o.units === false ? undefined : u);
  return [
    ...(o.indexed ? [salField('salIndex', 'long', 'SAL index (only for indexed components)', units('unitless'))] : []),
    ...PRIVATE.map(([name, type, description, u]) => salField(name, type, o.descriptions?.[name] ?? description, units(u))),
  ];
}

/**
 * A SAL record schema: `head` (type, name, … in the caller's key order) with `fields` = private fields then
 * `publicFields`. When `head` already has a `fields` key its position is kept, so a spread schema keeps its text.
 */
export function salRecordSchema<H extends object, F>(head: H, publicFields: F[], o: SalPrivateOptions = {}): H & { fields: Array<SalField | F> } {
  return { ...head, fields: [...salPrivateFields(o), ...publicFields] };
}

/** The four stamps of a record meant for `utcS` (UTC seconds, the InfluxDB time) and sent at `sentS`. */
export function salStamps(utcS: number, sentS = utcS): Record<StampField, number> {
  return {
    private_sndStamp: utcS + TAI_MINUS_UTC_S,
    private_rcvStamp: sentS + TAI_MINUS_UTC_S,
    private_efdStamp: utcS,
    private_kafkaStamp: sentS + TAI_MINUS_UTC_S,
  };
}

export interface SalSender {
  seqNum: number;
  revCode: string;
  identity: string;
}

/** Every private value of a record meant for `utcS`, sent by this process (longs as JS numbers). */
export function salPrivateValues(utcS: number, s: SalSender) {
  return {
    ...salStamps(utcS),
    private_seqNum: s.seqNum,
    private_revCode: s.revCode,
    private_identity: s.identity,
    private_origin: process.pid,
  };
}
