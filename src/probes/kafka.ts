// Kafka facts through kafkajs: cluster, topics, partitions, offsets. Clients are bounded by the profile's
// timeout and never retry for long, so a dead broker gives a finding, not a hang.
import { Kafka, logLevel, type Admin, type KafkaConfig } from 'kafkajs';
import { classifyNetworkError, ProbeError } from './errors.ts';

export function kafkaClient(bootstrap: string[], timeoutMs: number, clientId = 'efd-health'): Kafka {
  const config: KafkaConfig = {
    clientId,
    brokers: bootstrap,
    connectionTimeout: Math.min(timeoutMs, 3000),
    requestTimeout: timeoutMs,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logLevel.NOTHING,
  };
  return new Kafka(config);
}

/** Runs fn with a connected admin client and always disconnects it. */
export async function withAdmin<T>(bootstrap: string[], timeoutMs: number, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafkaClient(bootstrap, timeoutMs).admin();
  try {
    await withDeadline(admin.connect(), timeoutMs, bootstrap.join(','));
    return await fn(admin);
  } catch (e) {
    throw classifyNetworkError(e, bootstrap.join(','));
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} timed out after ${ms} ms`), { name: 'TimeoutError' })), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

export interface ClusterFacts {
  brokers: Array<{ nodeId: number; host: string; port: number }>;
  controller: number | null;
  clusterId: string;
}

export async function describeCluster(bootstrap: string[], timeoutMs: number): Promise<ClusterFacts> {
  return withAdmin(bootstrap, timeoutMs, async (admin) => {
    const c = await admin.describeCluster();
    return { brokers: c.brokers, controller: c.controller, clusterId: c.clusterId };
  });
}

export interface PartitionFacts {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface TopicFacts {
  name: string;
  partitions: PartitionFacts[];
}

/** Metadata for topics matching `pattern` (all topics when omitted). */
export async function describeTopics(bootstrap: string[], timeoutMs: number, pattern?: RegExp): Promise<TopicFacts[]> {
  return withAdmin(bootstrap, timeoutMs, async (admin) => {
    const names = (await admin.listTopics()).filter((t) => !pattern || pattern.test(t));
    if (!names.length) return [];
    const meta = await admin.fetchTopicMetadata({ topics: names });
    return meta.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas ?? [],
      })),
    }));
  });
}

export async function listTopics(bootstrap: string[], timeoutMs: number, pattern?: RegExp): Promise<string[]> {
  return withAdmin(bootstrap, timeoutMs, async (admin) =>
    (await admin.listTopics()).filter((t) => !pattern || pattern.test(t)).sort(),
  );
}

export interface OffsetFacts {
  partition: number;
  low: number;
  high: number;
}

export async function topicOffsets(bootstrap: string[], timeoutMs: number, topic: string): Promise<OffsetFacts[]> {
  return withAdmin(bootstrap, timeoutMs, async (admin) =>
    (await admin.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) })),
  );
}

/** Committed offsets of a consumer group on a topic (-1 when none). */
export async function groupOffsets(bootstrap: string[], timeoutMs: number, groupId: string, topics: string[]) {
  return withAdmin(bootstrap, timeoutMs, async (admin) => admin.fetchOffsets({ groupId, topics }));
}

// ---- Additions for the replication suite (markers) ------------------------------------------------

/** Creates `topic` when absent (non-production marker topic). Returns whether it was created. */
export async function ensureTopic(
  bootstrap: string[],
  timeoutMs: number,
  topic: string,
  spec: { partitions: number; replicationFactor: number },
): Promise<{ created: boolean; partitions: number }> {
  return withAdmin(bootstrap, timeoutMs, async (admin) => {
    if (!(await admin.listTopics()).includes(topic)) {
      await admin.createTopics({
        topics: [{ topic, numPartitions: spec.partitions, replicationFactor: spec.replicationFactor }],
        waitForLeaders: true,
        timeout: timeoutMs,
      });
      return { created: true, partitions: spec.partitions };
    }
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    return { created: false, partitions: meta.topics[0]?.partitions.length ?? 0 };
  });
}

export interface GroupFacts {
  groupId: string;
  /** Stable, Empty, PreparingRebalance, Dead (does not exist) … */
  state: string;
  members: number;
  /** per partition of `topic`: committed offset (-1 none), end offset, lag (end − committed, or end when none) */
  partitions: Array<{ partition: number; committed: number; end: number; lag: number }>;
}

/** A consumer group's state and its lag on one topic (what a sink without a REST API can tell). */
export async function groupFacts(bootstrap: string[], timeoutMs: number, groupId: string, topic: string): Promise<GroupFacts> {
  return withAdmin(bootstrap, timeoutMs, async (admin) => {
    const d = (await admin.describeGroups([groupId])).groups.find((g) => g.groupId === groupId);
    const ends = await admin.fetchTopicOffsets(topic);
    const committed = (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? [];
    return {
      groupId,
      state: d?.state || 'Dead',
      members: d?.members.length ?? 0,
      partitions: ends.map((e) => {
        const c = Number(committed.find((p) => p.partition === e.partition)?.offset ?? -1);
        const end = Number(e.high);
        return { partition: e.partition, committed: c, end, lag: c < 0 ? end : Math.max(0, end - c) };
      }),
    };
  });
}

export async function listGroupIds(bootstrap: string[], timeoutMs: number): Promise<string[]> {
  return withAdmin(bootstrap, timeoutMs, async (admin) => (await admin.listGroups()).groups.map((g) => g.groupId).sort());
}

/** One record read by a Tail, stamped with the runner's monotonic clock when it was handed over. */
export interface TailedRecord {
  partition: number;
  offset: string;
  /** record timestamp (ms, CreateTime unless the topic says LogAppendTime) */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  /** performance.now() when the fetch answer carrying it arrived */
  at: number;
}

export interface Tail {
  topic: string;
  partitions: number[];
  /** the end offsets the tail started from */
  startOffsets: Record<number, string>;
  /** the last fetch problem, if the tail could not read for a while */
  lastError(): ProbeError | undefined;
  /** what interrupted the reading, in order: why a record may have gone unseen */
  events(): TailEvent[];
  close(): Promise<void>;
}

/** The tail lost its place: a partition's offset fell out of range (the topic was recreated or truncated, so
 * the tail starts over from its earliest offset), or a fetch failed. */
export interface TailEvent {
  /** performance.now() */
  at: number;
  partition?: number;
  what: string;
}

interface InternalBroker {
  fetch(req: {
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: string; maxBytes: number }> }>;
  }): Promise<{
    responses: Array<{
      topicName: string;
      partitions: Array<{ partition: number; errorCode: number; messages: Array<{ offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; isControlRecord?: boolean }> }>;
    }>;
  }>;
}

interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number; leader: number }>;
  fetchTopicsOffset(topics: Array<{ topic: string; partitions: Array<{ partition: number }>; fromBeginning?: boolean }>): Promise<
    Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>
  >;
  findBroker(q: { nodeId: string | number }): Promise<InternalBroker>;
}

/**
 * kafkajs' consumer always joins a group; a tail needs none. The client's own cluster object (kafkajs 2.2.x,
 * frozen) exposes metadata, ListOffsets and the broker's Fetch, which is all manual assignment needs.
 */
function internalCluster(bootstrap: string[], timeoutMs: number): InternalCluster {
  const kafka = kafkaClient(bootstrap, timeoutMs, 'efd-health-tail');
  const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const create = sym && (kafka as unknown as Record<symbol, unknown>)[sym];
  if (typeof create !== 'function')
    throw new ProbeError('internal', 'this kafkajs version does not expose its cluster; the marker tail needs kafkajs 2.2.x', bootstrap.join(','));
  return create({ metadataMaxAge: 300_000, allowAutoTopicCreation: false }) as InternalCluster;
}

const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads every partition of `topic` from its current end, without a consumer group (manual assignment:
 * nothing is left behind on the cluster). Resolves once every partition leader has answered one fetch at
 * the end offsets, so a record produced afterwards is seen (the readiness gate). Fetches long-poll with
 * `maxWaitMs`, so a record is handed over as soon as the leader has it. `from` starts the given partitions
 * at those offsets instead (to read back what a run produced).
 */
export async function openTail(
  bootstrap: string[],
  timeoutMs: number,
  topic: string,
  onRecord: (r: TailedRecord) => void,
  opts: { maxWaitMs?: number; from?: Record<number, string> } = {},
): Promise<Tail> {
  const target = bootstrap.join(',');
  const maxWait = opts.maxWaitMs ?? 200;
  const cluster = internalCluster(bootstrap, timeoutMs);
  const call = async <T>(what: string, p: () => Promise<T>): Promise<T> => {
    try {
      return await withDeadline(p(), timeoutMs + maxWait, `${target} ${what}`);
    } catch (e) {
      const err = e as { type?: string; message?: string; name?: string };
      if (err.name === 'KafkaJSOffsetOutOfRange') throw e; // the fetch loop starts that partition over
      if (err.type === 'UNKNOWN_TOPIC_OR_PARTITION') throw new ProbeError('missing', `topic ${topic} does not exist at ${target}`, target);
      throw classifyNetworkError(e, target);
    }
  };
  let closed = false;
  let lastError: ProbeError | undefined;
  const events: TailEvent[] = [];
  const note = (what: string, partition?: number) => {
    const last = events.at(-1);
    if (!last || last.what !== what || last.partition !== partition) events.push({ at: performance.now(), partition, what });
  };
  try {
    await call('connect', () => cluster.connect());
    await call('metadata', () => cluster.addTargetTopic(topic));
    const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId).sort((a, b) => a - b);
    if (!partitions.length) throw new ProbeError('missing', `topic ${topic} does not exist at ${target}`, target);
    const ends = await call('ListOffsets', () =>
      cluster.fetchTopicsOffset([{ topic, partitions: partitions.map((partition) => ({ partition })), fromBeginning: false }]),
    );
    const next = new Map<number, string>(ends[0].partitions.map((p) => [p.partition, opts.from?.[p.partition] ?? p.offset]));
    const startOffsets = Object.fromEntries(next);

    // one fetch loop per leader; `answered` resolves after each loop's first answer (the readiness gate)
    const leaders = new Map<number, number[]>();
    for (const p of cluster.findTopicPartitionMetadata(topic)) leaders.set(p.leader, [...(leaders.get(p.leader) ?? []), p.partitionId]);
    const firstAnswers: Array<Promise<void>> = [];
    const loops: Array<Promise<void>> = [];
    for (const [leader, parts] of leaders) {
      let answered!: () => void;
      firstAnswers.push(new Promise<void>((r) => (answered = r)));
      loops.push(
        (async () => {
          let owned = parts;
          while (!closed) {
            try {
              const broker = await call('find broker', () => cluster.findBroker({ nodeId: leader }));
              const res = await call('Fetch', () =>
                broker.fetch({
                  isolationLevel: 0,
                  maxWaitTime: maxWait,
                  minBytes: 1,
                  maxBytes: 1024 * 1024,
                  topics: [{ topic, partitions: owned.map((partition) => ({ partition, fetchOffset: next.get(partition)!, maxBytes: 256 * 1024 })) }],
                }),
              );
              const at = performance.now();
              let moved = false;
              for (const t of res.responses)
                for (const p of t.partitions) {
                  if (p.errorCode) moved = true; // leader moved or partition offline: refresh metadata below
                  const from = BigInt(next.get(p.partition)!);
                  for (const m of p.messages) {
                    if (m.isControlRecord || BigInt(m.offset) < from) continue;
                    next.set(p.partition, (BigInt(m.offset) + 1n).toString());
                    if (!closed) onRecord({ partition: p.partition, offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value, at });
                  }
                }
              lastError = undefined;
              answered();
              if (moved) {
                await call('metadata', () => cluster.refreshMetadata());
                owned = cluster.findTopicPartitionMetadata(topic).filter((p) => p.leader === leader).map((p) => p.partitionId);
                if (!owned.length) await sleepMs(maxWait);
              }
            } catch (e) {
              const outOfRange = e as { name?: string; partition?: number };
              if (outOfRange.name === 'KafkaJSOffsetOutOfRange' && outOfRange.partition !== undefined && !closed) {
                const partition = outOfRange.partition;
                try {
                  await call('metadata', () => cluster.refreshMetadata());
                  const [earliest] = await call('ListOffsets', () =>
                    cluster.fetchTopicsOffset([{ topic, partitions: [{ partition }], fromBeginning: true }]),
                  );
                  const to = earliest.partitions.find((p) => p.partition === partition)?.offset ?? '0';
                  note(`offset ${next.get(partition)} out of range: the topic was recreated or truncated; reading again from offset ${to}`, partition);
                  next.set(partition, to);
                  continue;
                } catch (again) {
                  e = again;
                }
              }
              lastError = e instanceof ProbeError ? e : classifyNetworkError(e, target);
              note(`fetch failed: ${lastError.message}`);
              if (!closed) await sleepMs(Math.min(500, maxWait));
            }
          }
        })(),
      );
    }
    const gate = Promise.all(firstAnswers);
    const gated = await Promise.race([gate.then(() => true), sleepMs(timeoutMs).then(() => false)]);
    if (!gated) throw lastError ?? new ProbeError('timeout', `${target} did not answer a fetch on ${topic} in ${timeoutMs} ms`, target);
    return {
      topic,
      partitions,
      startOffsets,
      lastError: () => lastError,
      events: () => [...events],
      close: async () => {
        closed = true;
        await Promise.all(loops);
        await cluster.disconnect().catch(() => {});
      },
    };
  } catch (e) {
    closed = true;
    await cluster.disconnect().catch(() => {});
    throw e instanceof ProbeError ? e : classifyNetworkError(e, target);
  }
}
