// The traffic model: EFD-shaped topics (fixtures/traffic), their natural rates, and the one factor that
// scales them to a target byte rate. Pure: no network; sizes come from the encoded payloads (payloads.ts).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { STAMP_FIELDS, salPrivateValues, salRecordSchema } from '../avro/sal.ts';
import { REPO_ROOT } from '../config/profile.ts';
import { InputError } from '../errors.ts';

export const DEFAULT_TRAFFIC_DIR = resolve(REPO_ROOT, 'fixtures/traffic');

export type AvroField = { name: string; type: unknown; default?: unknown; count?: number; [k: string]: unknown };
export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace: string;
  fields: AvroField[];
  [k: string]: unknown;
}

export interface TopicSpec {
  /** sal_name, e.g. forceActuatorData, logevent_summaryState */
  name: string;
  /** full Kafka topic: <prefix>.<name> */
  topic: string;
  kind: 'telemetry' | 'event';
  arrival: 'periodic' | 'poisson';
  /** records per second before scaling (hz × number of indexes for indexed telemetry) */
  naturalRatePerS: number;
  /** salIndex values the records cycle through (empty: not an indexed component) */
  indexes: number[];
  schema: AvroRecordSchema;
}

interface RawTopic {
  name?: unknown;
  kind?: unknown;
  hz?: unknown;
  per_s?: unknown;
  periodic?: unknown;
  indexed?: unknown;
}

const NAME_RE = /^(logevent_|command_)?[A-Za-z][A-Za-z0-9_]*$|^ackcmd$/;
const PREFIX_RE = /^lsst\.[a-z]+\.[A-Za-z0-9]+$/;

/** Reads fixtures/traffic/model.yaml and the schemas it names; a bad file is an InputError naming file and key. */
export function loadTrafficModel(prefix: string, dir = DEFAULT_TRAFFIC_DIR): TopicSpec[] {
  if (!PREFIX_RE.test(prefix))
    throw new InputError(`load.topic_prefix "${prefix}" must look like lsst.sal.<CSC> (for example lsst.sal.EFDHealthLoad), so the replicator and sink regex carry it`);
  const file = join(dir, 'model.yaml');
  let raw: { topics?: RawTopic[] };
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(raw?.topics) || raw.topics.length === 0) throw new InputError(`${file}: "topics" must be a non-empty list`);
  const seen = new Set<string>();
  return raw.topics.map((t, i) => {
    const at = `${file}: topics[${i}]`;
    if (typeof t.name !== 'string' || !NAME_RE.test(t.name)) throw new InputError(`${at}.name must be a SAL topic name such as forceActuatorData or logevent_summaryState`);
    if (seen.has(t.name)) throw new InputError(`${at}.name "${t.name}" appears twice`);
    seen.add(t.name);
    if (t.kind !== 'telemetry' && t.kind !== 'event') throw new InputError(`${at}.kind must be telemetry or event`);
    const rate = t.kind === 'telemetry' ? t.hz : t.per_s;
    const rateKey = t.kind === 'telemetry' ? 'hz' : 'per_s';
    if (typeof rate !== 'number' || !(rate > 0)) throw new InputError(`${at}.${rateKey} must be a positive number`);
    const indexes = t.indexed === undefined ? [] : t.indexed;
    if (!Array.isArray(indexes) || !indexes.every((x) => Number.isInteger(x))) throw new InputError(`${at}.indexed must be a list of integers`);
    const schema = readTopicSchema(dir, t.name, prefix, indexes.length > 0);
    return {
      name: t.name,
      topic: `${prefix}.${t.name}`,
      kind: t.kind,
      arrival: t.kind === 'telemetry' || t.periodic === true ? 'periodic' : 'poisson',
      naturalRatePerS: rate * Math.max(1, indexes.length),
      indexes: indexes as number[],
      schema,
    };
  });
}

function readTopicSchema(dir: string, name: string, prefix: string, indexed: boolean): AvroRecordSchema {
  const schemaFile = join(dir, 'schemas', `${name}.avsc`);
  let publicSchema: AvroRecordSchema;
  try {
    publicSchema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  } catch (e) {
    throw new InputError(`${schemaFile}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (publicSchema.type !== 'record' || !Array.isArray(publicSchema.fields))
    throw new InputError(`${schemaFile}: must be an Avro record schema with "fields"`);
  // SAL private fields in front of the public ones (ts_salkafka make_avro_schema)
  return salRecordSchema({ ...publicSchema, name, namespace: prefix }, publicSchema.fields, { indexed });
}

/** The probe topic (records timed through to InfluxDB during the load; not part of the mix). */
export const PROBE_TOPIC_NAME = 'logevent_loadProbe';

export function probeTopicSpec(prefix: string, dir = DEFAULT_TRAFFIC_DIR): TopicSpec {
  return {
    name: PROBE_TOPIC_NAME,
    topic: `${prefix}.${PROBE_TOPIC_NAME}`,
    kind: 'event',
    arrival: 'periodic',
    naturalRatePerS: 0.2,
    indexes: [],
    schema: readTopicSchema(dir, PROBE_TOPIC_NAME, prefix, false),
  };
}

export interface SizedTopic extends TopicSpec {
  /** mean Avro value size in bytes, Confluent framing included */
  bytesPerRecord: number;
}

export interface ScaledTopic extends SizedTopic {
  /** records per second at the target rate */
  ratePerS: number;
}

export interface ScaledModel {
  topics: ScaledTopic[];
  /** rate multiplier applied to every topic */
  factor: number;
  naturalBytesPerS: number;
  targetBytesPerS: number;
  recordsPerS: number;
}

export function naturalBytesPerS(topics: SizedTopic[]): number {
  return topics.reduce((sum, t) => sum + t.naturalRatePerS * t.bytesPerRecord, 0);
}

/** Scales every topic's rate by one factor so the mix sends `targetBytesPerS` on average. */
export function scaleModel(topics: SizedTopic[], targetBytesPerS: number): ScaledModel {
  if (!(targetBytesPerS > 0)) throw new RangeError('target byte rate must be positive');
  const natural = naturalBytesPerS(topics);
  if (!(natural > 0)) throw new RangeError('the traffic model sends no bytes');
  const factor = targetBytesPerS / natural;
  const scaled = topics.map((t) => ({ ...t, ratePerS: t.naturalRatePerS * factor }));
  return {
    topics: scaled,
    factor,
    naturalBytesPerS: natural,
    targetBytesPerS,
    recordsPerS: scaled.reduce((s, t) => s + t.ratePerS, 0),
  };
}

/** Deterministic PRNG (mulberry32) so two runs send the same values. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['actuator', 'in position', 'tracking', 'following error', 'settled', 'slewing', 'enabled', 'standby',
  'force balance', 'hardpoint', 'temperature', 'interlock', 'command accepted', 'timeout waiting for', 'ready'];

/** One record's values for `spec` (stamps left at 0: the sender writes them per record). */
export function sampleRecord(spec: TopicSpec, random: () => number, variant: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of spec.schema.fields) {
    const v = sampleValue(f, random);
    out[f.name] = v;
  }
  if (spec.indexes.length) out.salIndex = spec.indexes[variant % spec.indexes.length];
  const csc = spec.topic.split('.')[2]; // lsst.sal.<CSC>.<name>
  const identity = spec.indexes.length ? `${csc}:${out.salIndex}` : csc;
  Object.assign(out, salPrivateValues(0, { seqNum: variant + 1, revCode: 'efdhload', identity }));
  for (const s of STAMP_FIELDS) out[s] = 0;
  return out;
}

function sampleValue(f: AvroField, random: () => number): unknown {
  const type = f.type;
  if (typeof type === 'object' && type && (type as { type?: string }).type === 'array') {
    const items = (type as { items: string }).items;
    const n = typeof f.count === 'number' ? f.count : 4;
    return Array.from({ length: n }, () => scalar(items, f.name, random));
  }
  return scalar(String(type), f.name, random);
}

function scalar(type: string, name: string, random: () => number): unknown {
  switch (type) {
    case 'double':
    case 'float':
      return (random() - 0.5) * 2000;
    case 'long':
    case 'int':
      return Math.floor(random() * 100000);
    case 'boolean':
      return random() < 0.5;
    case 'string': {
      const n = name === 'message' || name === 'traceback' || name === 'result' ? 3 + Math.floor(random() * 12) : 1 + Math.floor(random() * 2);
      return Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
    }
    default:
      throw new Error(`unsupported Avro type ${type} in field ${name}`);
  }
}
