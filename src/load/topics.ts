// The load topics: created at the Summit when missing (the replicator creates them at the LDF), then the
// run waits until the LDF has them. Exported for the local stack too: topics that exist before the sink
// starts are the ones Telegraf subscribes to (it resolves topic_regexps only at start).
import { hasSchemaId } from '../probes/registry.ts';
import type { AdminSession } from './lag.ts';

/** Load topics keep an hour of data at most: if a cleanup never runs, they empty themselves. */
export const LOAD_TOPIC_CONFIG = { 'retention.ms': String(3_600_000), 'cleanup.policy': 'delete' };

export async function ensureTopics(s: AdminSession, topics: string[], partitions = 1): Promise<string[]> {
  const existing = new Set(await s.call('listTopics', (a) => a.listTopics()));
  const missing = topics.filter((t) => !existing.has(t));
  if (!missing.length) return [];
  const brokers = (await s.call('describeCluster', (a) => a.describeCluster())).brokers.length;
  await s.call('createTopics', (a) =>
    a.createTopics({
      waitForLeaders: true,
      timeout: s.timeoutMs,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: partitions,
        replicationFactor: Math.min(3, Math.max(1, brokers)),
        configEntries: Object.entries(LOAD_TOPIC_CONFIG).map(([name, value]) => ({ name, value })),
      })),
    }),
  );
  return missing;
}

/** Waits until every topic exists at the cluster (the replicator's topic refresh), up to `maxMs`. */
export async function waitForTopics(s: AdminSession, topics: string[], maxMs: number, pollMs = 1000): Promise<string[]> {
  const until = Date.now() + maxMs;
  for (;;) {
    const existing = new Set(await s.call('listTopics', (a) => a.listTopics()));
    const missing = topics.filter((t) => !existing.has(t));
    if (!missing.length || Date.now() >= until) return missing;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Waits until a registry resolves every schema id (the LDF registry follows the Summit's), up to `maxMs`. */
export async function waitForSchemaIds(url: string, ids: number[], maxMs: number, timeoutMs: number, pollMs = 1000): Promise<number[]> {
  const until = Date.now() + maxMs;
  let missing = ids;
  for (;;) {
    const known = await Promise.all(missing.map((id) => hasSchemaId(url, timeoutMs, id).catch(() => false)));
    missing = missing.filter((_, i) => !known[i]);
    if (!missing.length || Date.now() >= until) return missing;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
