// Avro payloads through the registry, encoded once per variant and reused: each record is a copy of a
// variant with its four SAL time stamps (fixed-width doubles) written in place. This keeps the generator's
// CPU low (no Avro encoding per record) while every record still gets its own InfluxDB time.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { withDeadline } from '../probes/kafka.ts';
import { ProbeError, classifyNetworkError } from '../probes/errors.ts';
import { rest } from '../probes/rest.ts';
import { STAMP_FIELDS, salStamps, type StampField } from '../avro/sal.ts';
import { rng, sampleRecord, type SizedTopic, type TopicSpec } from './traffic.ts';

export interface PayloadSet {
  topic: string;
  schemaId: number;
  variants: Buffer[];
  /** byte offset of each stamp inside every variant (the same for all: doubles before any variable field) */
  offsets: Record<StampField, number>;
  meanBytes: number;
}

export type Encode = (record: Record<string, unknown>) => Promise<Buffer>;

const SENTINEL_BASE = 1234567890.123456;

/**
 * Encodes `count` variants of a topic's records and finds where the stamps sit. The stamps are located by
 * encoding sentinels, so the schema's field order does not matter as long as nothing variable precedes them.
 */
export async function buildPayloads(spec: TopicSpec, schemaId: number, encode: Encode, count = 16, seed = 1): Promise<PayloadSet> {
  const random = rng(seed ^ hash(spec.topic));
  const probe = sampleRecord(spec, random, 0);
  STAMP_FIELDS.forEach((s, i) => (probe[s] = SENTINEL_BASE + i * 1000.5));
  const probeBuf = await encode(probe);
  const offsets = {} as Record<StampField, number>;
  STAMP_FIELDS.forEach((s, i) => {
    const needle = Buffer.alloc(8);
    needle.writeDoubleLE(SENTINEL_BASE + i * 1000.5);
    const at = probeBuf.indexOf(needle);
    if (at < 0 || probeBuf.indexOf(needle, at + 1) >= 0) throw new Error(`cannot locate ${s} in the encoded ${spec.topic} record`);
    offsets[s] = at;
  });
  const variants: Buffer[] = [];
  for (let v = 0; v < count; v++) {
    const rec = sampleRecord(spec, random, v);
    STAMP_FIELDS.forEach((s, i) => (rec[s] = SENTINEL_BASE + i * 1000.5));
    const buf = await encode(rec);
    // every variant must keep the stamps at the same offsets (true when no variable-length field precedes them)
    STAMP_FIELDS.forEach((s, i) => {
      if (buf.readDoubleLE(offsets[s]) !== SENTINEL_BASE + i * 1000.5) throw new Error(`stamp offsets differ between ${spec.topic} variants`);
    });
    variants.push(buf);
  }
  const meanBytes = variants.reduce((s, b) => s + b.length, 0) / variants.length;
  return { topic: spec.topic, schemaId, variants, offsets, meanBytes };
}

/** One record: a copy of a variant with its stamps. `intendedMs` is the open-model intended send time. */
export function stampRecord(p: PayloadSet, variant: number, intendedMs: number, sendMs: number): Buffer {
  const src = p.variants[variant % p.variants.length];
  const buf = Buffer.allocUnsafe(src.length);
  src.copy(buf);
  const stamps = salStamps(intendedMs / 1000, sendMs / 1000);
  for (const s of STAMP_FIELDS) buf.writeDoubleLE(stamps[s], p.offsets[s]);
  return buf;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Registers `<topic>-value` (TopicNameStrategy) at a Confluent-compatible registry; returns the schema id. */
export async function registerSchema(registryUrl: string, subject: string, schema: object, timeoutMs: number): Promise<number> {
  const a = await rest<{ id?: number; message?: string }>(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    timeoutMs,
    method: 'POST',
    body: { schema: JSON.stringify(schema) },
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
  });
  const host = new URL(registryUrl).host;
  if (a.status === 401 || a.status === 403) throw new ProbeError('auth', `${host} refused to register ${subject} (HTTP ${a.status})`, host);
  if (a.status === 409) throw new ProbeError('schema', `${host} rejected the schema of ${subject} as incompatible (HTTP 409)`, host);
  if (a.status < 200 || a.status > 299 || typeof a.body?.id !== 'number')
    throw new ProbeError('http_status', `${host} answered HTTP ${a.status} when registering ${subject}${a.body?.message ? `: ${a.body.message}` : ''}`, host);
  return a.body.id;
}

/** An Encode through the registry's own schema-by-id lookup (the call a sink makes), with a deadline. */
export function registryEncoder(registry: SchemaRegistry, registryUrl: string, id: number, timeoutMs: number): Encode {
  return async (record) => {
    try {
      return await withDeadline(registry.encode(id, record), timeoutMs, `${registryUrl} schema ${id}`);
    } catch (e) {
      if (e instanceof Error && /invalid payload|not valid/i.test(e.message)) throw e;
      throw classifyNetworkError(e, new URL(registryUrl).host);
    }
  };
}

export function newRegistry(registryUrl: string): SchemaRegistry {
  return new SchemaRegistry({ host: registryUrl, retry: { retries: 1 } });
}

/** Registers every topic's schema and encodes its variants. */
export async function preparePayloads(
  registryUrl: string,
  topics: TopicSpec[],
  timeoutMs: number,
  variants = 16,
): Promise<Array<SizedTopic & { payloads: PayloadSet; encode: Encode }>> {
  const registry = newRegistry(registryUrl);
  const out: Array<SizedTopic & { payloads: PayloadSet; encode: Encode }> = [];
  for (const spec of topics) {
    const id = await registerSchema(registryUrl, `${spec.topic}-value`, spec.schema, timeoutMs);
    const encode = registryEncoder(registry, registryUrl, id, timeoutMs);
    const payloads = await buildPayloads(spec, id, encode, variants);
    out.push({ ...spec, bytesPerRecord: payloads.meanBytes, payloads, encode });
  }
  return out;
}
