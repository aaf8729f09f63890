// Kafka facts for thousands of topics at once. kafkajs' admin API asks one topic at a time
// (fetchTopicOffsets = two ListOffsets requests per topic, fetchOffsets = one metadata lookup per topic),
// which over a WAN link and 2000+ topics takes minutes. Its internal Cluster already batches ListOffsets per
// leader and exposes the broker's Fetch, so this probe uses it: one metadata request, one ListOffsets per
// broker per question, and a handful of Fetch requests for the last records. kafkajs is frozen at 2.2.4, so
// these internals do not move; if they ever do, `internalCluster` says so in one sentence.
import { AssignerProtocol, type Kafka } from 'kafkajs';
import { classifyNetworkError, ProbeError } from './errors.ts';
import { kafkaClient, withDeadline } from './kafka.ts';

export interface PartitionMeta {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface TopicMeta {
  name: string;
  partitions: PartitionMeta[];
}

/** topic → partition → offset */
export type OffsetMap = Map<string, Map<number, number>>;

export interface TailRecord {
  offset: number;
  timestamp: number;
  /** key + value bytes (what the record carries, not its on-disk size) */
  bytes: number;
  /** the key as UTF-8 text (null for a record without a key) */
  key?: string | null;
}

export interface GroupState {
  state: string;
  members: number;
  /** partitions assigned over all members (0 when none could be decoded) */
  assigned: number;
}

interface RawPartitionMeta {
  partitionId: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas?: number[];
}

interface RawBroker {
  fetch(req: unknown): Promise<{
    responses: Array<{
      topicName: string;
      partitions: Array<{
        partition: number;
        errorCode: number;
        messages: Array<{ offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; isControlRecord?: boolean }>;
      }>;
    }>;
  }>;
  offsetFetch(req: { groupId: string; topics: Array<{ topic: string; partitions: Array<{ partition: number }> }> }): Promise<{
    responses: Array<{ topic: string; partitions: Array<{ partition: number; offset: string; errorCode?: number }> }>;
  }>;
  describeGroups(req: { groupIds: string[] }): Promise<{ groups: Array<{ groupId: string; state: string; members: unknown[] }> }>;
}

interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  metadata(opts?: { topics?: string[] }): Promise<{ topicMetadata: Array<{ topic: string; partitionMetadata: RawPartitionMeta[] }> }>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findTopicPartitionMetadata(topic: string): RawPartitionMeta[];
  fetchTopicsOffset(
    topics: Array<{ topic: string; partitions: Array<{ partition: number }>; fromBeginning?: boolean; fromTimestamp?: number }>,
  ): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(q: { nodeId: string | number }): Promise<RawBroker>;
  findGroupCoordinator(q: { groupId: string }): Promise<RawBroker>;
}

function internalCluster(kafka: Kafka): RawCluster {
  const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const create = sym && (kafka as unknown as Record<symbol, unknown>)[sym];
  if (typeof create !== 'function')
    throw new ProbeError('internal', 'this kafkajs version does not expose its cluster; batch Kafka probes need kafkajs 2.2.x', 'kafkajs');
  return create({ metadataMaxAge: 300_000, allowAutoTopicCreation: false }) as RawCluster;
}

const FETCH_PARTITION_BYTES = 64 * 1024;
const FETCH_REQUEST_BYTES = 8 * 1024 * 1024;
const FETCH_CHUNK = 100;

/**
 * A connected batch view of one cluster. Every call has the profile's deadline; methods throw ProbeError.
 * Load the topics you will ask about with `load(topics)` first (one metadata request).
 */
export class BatchKafka {
  private loaded = new Set<string>();

  private constructor(
    private readonly cluster: RawCluster,
    readonly target: string,
    private readonly timeoutMs: number,
  ) {}

  static async open(bootstrap: string[], timeoutMs: number): Promise<BatchKafka> {
    const target = bootstrap.join(',');
    const cluster = internalCluster(kafkaClient(bootstrap, timeoutMs, 'efd-health-batch'));
    try {
      await withDeadline(cluster.connect(), timeoutMs, target);
    } catch (e) {
      await cluster.disconnect().catch(() => {});
      throw classifyNetworkError(e, target);
    }
    return new BatchKafka(cluster, target, timeoutMs);
  }

  async close(): Promise<void> {
    await this.cluster.disconnect().catch(() => {});
  }

  private async call<T>(what: string, p: () => Promise<T>, deadlineMs = this.timeoutMs): Promise<T> {
    try {
      return await withDeadline(p(), deadlineMs, `${this.target} ${what}`);
    } catch (e) {
      throw classifyNetworkError(e, this.target);
    }
  }

  /** Names of all topics (one metadata request). */
  async topicNames(): Promise<string[]> {
    const md = await this.call('metadata', () => this.cluster.metadata());
    return md.topicMetadata.map((t) => t.topic).sort();
  }

  /** Loads metadata for these topics (one request) and returns it. */
  async load(topics: string[]): Promise<TopicMeta[]> {
    const fresh = topics.filter((t) => !this.loaded.has(t));
    if (fresh.length) {
      await this.call('metadata', () => this.cluster.addMultipleTargetTopics(fresh), this.timeoutMs * 2);
      for (const t of fresh) this.loaded.add(t);
    }
    return topics.map((name) => ({
      name,
      partitions: this.cluster.findTopicPartitionMetadata(name).map((p) => ({
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas ?? [],
      })),
    }));
  }

  private partitionsOf(topic: string): number[] {
    return this.cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId);
  }

  /**
   * Offsets of every partition of these topics, in one ListOffsets request per leader:
   * 'earliest' (log start), 'latest' (high watermark) or a timestamp in ms (first offset whose record
   * timestamp is ≥ it; the high watermark when there is none, as kafkajs' fetchTopicOffsetsByTimestamp does).
   */
  async offsets(topics: string[], at: 'earliest' | 'latest' | number): Promise<OffsetMap> {
    await this.load(topics);
    const req = topics
      .map((topic) => ({ topic, partitions: this.partitionsOf(topic).map((partition) => ({ partition })) }))
      .filter((t) => t.partitions.length);
    const out: OffsetMap = new Map();
    if (!req.length) return out;
    const spec = (t: (typeof req)[number]) =>
      at === 'earliest' ? { ...t, fromBeginning: true } : at === 'latest' ? { ...t, fromBeginning: false } : { ...t, fromTimestamp: at };
    const res = await this.call('ListOffsets', () => this.cluster.fetchTopicsOffset(req.map(spec)), this.timeoutMs * 2);
    for (const { topic, partitions } of res) {
      const m = new Map<number, number>();
      for (const p of partitions) m.set(p.partition, Number(p.offset));
      out.set(topic, m);
    }
    if (typeof at === 'number') {
      const unresolved = [...out].filter(([, m]) => [...m.values()].some((o) => o < 0)).map(([t]) => t);
      if (unresolved.length) {
        const high = await this.offsets(unresolved, 'latest');
        for (const t of unresolved) for (const [p, o] of out.get(t)!) if (o < 0) out.get(t)!.set(p, high.get(t)?.get(p) ?? 0);
      }
    }
    return out;
  }

  /**
   * The records from `offset` onward in each asked partition, as far as one fetch of a few KB returns:
   * used to read last records (offset = high − 1) or the oldest unconsumed one. Missing entries mean the
   * record could not be read (deleted meanwhile, or a control record).
   */
  async readAt(wanted: Array<{ topic: string; partition: number; offset: number }>): Promise<Map<string, TailRecord[]>> {
    const out = new Map<string, TailRecord[]>();
    if (!wanted.length) return out;
    await this.load([...new Set(wanted.map((w) => w.topic))]);
    // group by leader, then chunk so one response stays bounded (FETCH_REQUEST_BYTES)
    const byLeader = new Map<number, typeof wanted>();
    for (const w of wanted) {
      const meta = this.cluster.findTopicPartitionMetadata(w.topic).find((p) => p.partitionId === w.partition);
      if (!meta || meta.leader < 0) continue;
      byLeader.set(meta.leader, [...(byLeader.get(meta.leader) ?? []), w]);
    }
    const key = (t: string, p: number) => `${t}\u0000${p}`;
    const retry: typeof wanted = [];
    for (const [leader, list] of byLeader) {
      const broker = await this.call('find broker', () => this.cluster.findBroker({ nodeId: leader }));
      for (let i = 0; i < list.length; i += FETCH_CHUNK) {
        const chunk = list.slice(i, i + FETCH_CHUNK);
        let got: Map<string, TailRecord[]>;
        try {
          got = await this.fetchChunk(broker, chunk, FETCH_PARTITION_BYTES);
        } catch (e) {
          if (e instanceof ProbeError && (e.reason === 'timeout' || e.reason === 'connect')) throw e;
          // one partition's error (e.g. offset out of range after a deletion) fails the whole request: ask one by one
          retry.push(...chunk);
          continue;
        }
        for (const w of chunk) {
          const recs = got.get(key(w.topic, w.partition));
          if (recs?.length) out.set(key(w.topic, w.partition), recs);
          // a record batch larger than the per-partition limit comes back truncated: ask again alone, unlimited
          else retry.push(w);
        }
      }
      for (const w of retry.splice(0)) {
        try {
          const got = await this.fetchChunk(broker, [w], FETCH_REQUEST_BYTES);
          const recs = got.get(key(w.topic, w.partition));
          if (recs?.length) out.set(key(w.topic, w.partition), recs);
        } catch (e) {
          if (e instanceof ProbeError && (e.reason === 'timeout' || e.reason === 'connect')) throw e;
        }
      }
    }
    return out;
  }

  /**
   * Every record of one partition from its log start to its current end, in order, until `visit` returns
   * true. For small topics (Connect's config topic); bounded by maxRecords.
   */
  async scanPartition(topic: string, partition: number, visit: (r: TailRecord) => boolean | void, maxRecords = 1_000_000): Promise<number> {
    const [start, end] = await Promise.all([this.offsets([topic], 'earliest'), this.offsets([topic], 'latest')]);
    let offset = start.get(topic)?.get(partition) ?? 0;
    const high = end.get(topic)?.get(partition) ?? 0;
    let seen = 0;
    while (offset < high && seen < maxRecords) {
      const recs = (await this.readAt([{ topic, partition, offset }])).get(`${topic}\u0000${partition}`) ?? [];
      if (!recs.length) break; // nothing readable at this offset any more (compacted away while reading)
      for (const r of recs) {
        seen++;
        if (visit(r)) return seen;
      }
      offset = recs[recs.length - 1].offset + 1;
    }
    return seen;
  }

  private async fetchChunk(broker: RawBroker, chunk: Array<{ topic: string; partition: number; offset: number }>, partitionBytes: number) {
    const topics = new Map<string, Array<{ partition: number; fetchOffset: string; maxBytes: number }>>();
    for (const w of chunk)
      topics.set(w.topic, [...(topics.get(w.topic) ?? []), { partition: w.partition, fetchOffset: String(w.offset), maxBytes: partitionBytes }]);
    const res = await this.call('Fetch', () =>
      broker.fetch({
        maxWaitTime: 0,
        minBytes: 1,
        maxBytes: FETCH_REQUEST_BYTES,
        isolationLevel: 0,
        topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
      }),
    );
    const want = new Map(chunk.map((w) => [`${w.topic}\u0000${w.partition}`, w.offset]));
    const out = new Map<string, TailRecord[]>();
    for (const t of res.responses)
      for (const p of t.partitions) {
        const k = `${t.topicName}\u0000${p.partition}`;
        const from = want.get(k) ?? 0;
        const recs = p.messages
          .filter((m) => !m.isControlRecord && Number(m.offset) >= from)
          .map((m) => ({ offset: Number(m.offset), timestamp: Number(m.timestamp), bytes: (m.key?.length ?? 0) + (m.value?.length ?? 0), key: m.key ? m.key.toString('utf8') : null }));
        out.set(k, recs);
      }
    return out;
  }

  /** Committed offsets of a consumer group for these topics (−1 where none), one OffsetFetch request. */
  async groupOffsets(groupId: string, topics: string[]): Promise<OffsetMap> {
    await this.load(topics);
    const coordinator = await this.call('find coordinator', () => this.cluster.findGroupCoordinator({ groupId }));
    const req = topics
      .map((topic) => ({ topic, partitions: this.partitionsOf(topic).map((partition) => ({ partition })) }))
      .filter((t) => t.partitions.length);
    const out: OffsetMap = new Map();
    if (!req.length) return out;
    const res = await this.call('OffsetFetch', () => coordinator.offsetFetch({ groupId, topics: req }));
    for (const { topic, partitions } of res.responses) {
      const m = new Map<number, number>();
      for (const p of partitions) m.set(p.partition, Number(p.offset));
      out.set(topic, m);
    }
    return out;
  }

  /** State, member count and assigned partitions of a consumer group (state 'Dead' with no members when it does not exist). */
  async groupState(groupId: string): Promise<GroupState> {
    const coordinator = await this.call('find coordinator', () => this.cluster.findGroupCoordinator({ groupId }));
    const res = await this.call('DescribeGroups', () => coordinator.describeGroups({ groupIds: [groupId] }));
    const g = res.groups.find((x) => x.groupId === groupId);
    let assigned = 0;
    for (const m of (g?.members ?? []) as Array<{ memberAssignment: Buffer }>) {
      try {
        const a = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
        for (const parts of Object.values(a?.assignment ?? {})) assigned += parts.length;
      } catch {
        // a member of another protocol (not a consumer): nothing assigned that we can read
      }
    }
    return { state: g?.state ?? 'Dead', members: g?.members?.length ?? 0, assigned };
  }
}

/** Opens a BatchKafka, runs fn, always closes it. */
export async function withBatchKafka<T>(bootstrap: string[], timeoutMs: number, fn: (k: BatchKafka) => Promise<T>): Promise<T> {
  const k = await BatchKafka.open(bootstrap, timeoutMs);
  try {
    return await fn(k);
  } finally {
    await k.close();
  }
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
