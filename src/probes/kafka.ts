// Kafka facts through kafkajs: cluster, topics, partitions, offsets. Clients are bounded by the profile's
// timeout and never retry for long, so a dead broker gives a finding, not a hang.
import { Kafka, logLevel, type Admin, type KafkaConfig } from 'kafkajs';
import { classifyNetworkError } from './errors.ts';

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
