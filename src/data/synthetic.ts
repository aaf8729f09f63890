// Synthetic EFD topics for the data suite's own tests and benchmark: SAL-shaped Avro records (the private
// fields, record name = topic so the sink names the measurement after it), registered under
// `<topic>-value` at the Summit registry, produced with the Confluent framing (magic 0 + 4-byte schema id).
// Not used by any check: the suites only read.
import avro from 'avsc';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { salField, salPrivateValues, salRecordSchema } from '../avro/sal.ts';
import { rest } from '../probes/rest.ts';
import { mapLimit } from '../probes/registry.ts';

const H = { accept: 'application/vnd.schemaregistry.v1+json', 'content-type': 'application/vnd.schemaregistry.v1+json' };

// registered since the start without units and with a shorter identity description: kept, so the
// registries see the same schema text as before
const PRIVATE = { units: false, descriptions: { private_identity: 'SAL component name' } } as const;

export function efdSchema(topic: string, extra = '') {
  const head = { type: 'record' as const, name: topic, description: `efd-health synthetic topic${extra ? ` (${extra})` : ''}` };
  return salRecordSchema(head, [salField('value', 'double', 'A measured value')], PRIVATE);
}

/** Registers `<topic>-value` at the registry; returns the schema id per topic. */
export async function registerSchemas(registryUrl: string, topics: string[], opts: { concurrency?: number; timeoutMs?: number; extra?: string } = {}): Promise<Map<string, number>> {
  const ids = await mapLimit(topics, opts.concurrency ?? 8, async (topic) => {
    const a = await rest<{ id: number }>(`${registryUrl}/subjects/${encodeURIComponent(`${topic}-value`)}/versions`, {
      timeoutMs: opts.timeoutMs ?? 30_000,
      method: 'POST',
      headers: H,
      body: { schema: JSON.stringify(efdSchema(topic, opts.extra)) },
    });
    if (a.status !== 200) throw new Error(`registering ${topic}-value answered HTTP ${a.status}: ${JSON.stringify(a.body)}`);
    return [topic, a.body.id] as const;
  });
  return new Map(ids);
}

/** Waits until the registry resolves every id (the LDF registry learns them through replication). */
export async function waitForSchemaIds(registryUrl: string, ids: Iterable<number>, timeoutMs = 120_000): Promise<void> {
  const pending = new Set(ids);
  const until = Date.now() + timeoutMs;
  while (pending.size) {
    const found = await mapLimit([...pending], 16, async (id) => {
      const a = await rest(`${registryUrl}/schemas/ids/${id}`, { timeoutMs: 5000, headers: H });
      return a.status === 200 ? id : undefined;
    });
    for (const id of found) if (id !== undefined) pending.delete(id);
    if (!pending.size) return;
    if (Date.now() > until) throw new Error(`${registryUrl} does not know schema ids ${[...pending].slice(0, 5).join(', ')} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const types = new Map<string, avro.Type>();

/** One SAL-shaped record, Confluent-framed, stamped `wallMs` (efdStamp = UTC seconds at µs). */
export function encodeEfd(topic: string, schemaId: number, seq: number, wallMs: number): Buffer {
  let t = types.get(topic);
  if (!t) types.set(topic, (t = avro.Type.forSchema(efdSchema(topic) as avro.Schema)));
  const efd = Math.round(wallMs * 1000) / 1e6;
  const body = t.toBuffer({
    ...salPrivateValues(efd, { seqNum: seq, revCode: 'synthetic', identity: 'EFDHealthTest' }),
    value: Math.sin(seq),
  });
  const head = Buffer.alloc(5);
  head.writeUInt8(0, 0);
  head.writeUInt32BE(schemaId, 1);
  return Buffer.concat([head, body]);
}

export function kafka(bootstrap: string[]): Kafka {
  return new Kafka({ clientId: 'efd-health-synthetic', brokers: bootstrap, logLevel: logLevel.NOTHING, requestTimeout: 30_000 });
}

export async function withProducer<T>(bootstrap: string[], fn: (p: Producer) => Promise<T>): Promise<T> {
  const p = kafka(bootstrap).producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await p.connect();
  try {
    return await fn(p);
  } finally {
    await p.disconnect().catch(() => {});
  }
}

/**
 * Produces `perTopic` records to each topic, 1 ms apart in efdStamp (distinct InfluxDB points), in batches
 * spanning many topics; the record timestamp equals the efdStamp's millisecond.
 */
export async function produceEfd(bootstrap: string[], ids: Map<string, number>, perTopic: number, opts: { startSeq?: number; batchTopics?: number } = {}): Promise<number> {
  const entries = [...ids];
  const batch = opts.batchTopics ?? 200;
  let sent = 0;
  await withProducer(bootstrap, async (p) => {
    for (let i = 0; i < entries.length; i += batch) {
      const base = Date.now();
      const topicMessages = entries.slice(i, i + batch).map(([topic, id]) => ({
        topic,
        messages: Array.from({ length: perTopic }, (_, k) => {
          const wall = base - (perTopic - 1 - k);
          return { value: encodeEfd(topic, id, (opts.startSeq ?? 0) + k, wall), timestamp: String(Math.floor(wall)) };
        }),
      }));
      await p.sendBatch({ topicMessages, acks: -1 });
      sent += topicMessages.length * perTopic;
    }
  });
  return sent;
}

export async function createTopics(bootstrap: string[], topics: string[], partitions = 1): Promise<void> {
  const admin = kafka(bootstrap).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const todo = topics.filter((t) => !existing.has(t));
    // waitForLeaders polls metadata for every new topic and fails while some are not visible yet
    // (UNKNOWN_TOPIC_OR_PARTITION with hundreds of topics): create, then wait for the listing instead
    for (let i = 0; i < todo.length; i += 500)
      await admin.createTopics({ topics: todo.slice(i, i + 500).map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })), waitForLeaders: false, timeout: 60_000 });
    const until = Date.now() + 120_000;
    for (;;) {
      const now = new Set(await admin.listTopics());
      if (todo.every((t) => now.has(t))) break;
      if (Date.now() > until) throw new Error(`${todo.filter((t) => !now.has(t)).length} topics still missing 120 s after creation`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics (those that exist) and waits until the listing no longer shows them. */
export async function deleteTopics(bootstrap: string[], topics: string[]): Promise<void> {
  const admin = kafka(bootstrap).admin();
  await admin.connect();
  try {
    const wanted = new Set(topics);
    const todo = (await admin.listTopics()).filter((t) => wanted.has(t));
    for (let i = 0; i < todo.length; i += 500) await admin.deleteTopics({ topics: todo.slice(i, i + 500), timeout: 60_000 });
    const until = Date.now() + 120_000;
    while ((await admin.listTopics()).some((t) => wanted.has(t))) {
      if (Date.now() > until) throw new Error('topics still listed 120 s after deletion');
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await admin.disconnect();
  }
}

export async function listTopicNames(bootstrap: string[], pattern?: RegExp): Promise<string[]> {
  const admin = kafka(bootstrap).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((t) => !pattern || pattern.test(t));
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the records of every partition of `topic` up to its end (what a retention or an operator would). */
export async function deleteAllRecords(bootstrap: string[], topic: string): Promise<void> {
  const admin = kafka(bootstrap).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.deleteTopicRecords({ topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })) });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes subjects at the registry (soft, then permanent), ignoring those already gone. */
export async function deleteSubjects(registryUrl: string, subjects: string[], concurrency = 8): Promise<void> {
  await mapLimit(subjects, concurrency, async (s) => {
    const u = `${registryUrl}/subjects/${encodeURIComponent(s)}`;
    await rest(u, { timeoutMs: 30_000, method: 'DELETE', headers: H }).catch(() => undefined);
    await rest(`${u}?permanent=true`, { timeoutMs: 30_000, method: 'DELETE', headers: H }).catch(() => undefined);
  });
}
