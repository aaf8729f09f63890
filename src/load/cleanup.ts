// Removes what a load run wrote and says what is left: the records (or, on request, the topics) of the
// load namespace at both clusters, the load measurements in InfluxDB, the load subjects at the Summit
// registry. Only names under `<prefix>.` are ever touched.
//
// Why records and not topics by default: Telegraf's kafka_consumer (≤ 1.39) resolves topic_regexps once at
// start and then keeps asking for every topic it matched; a deleted topic makes its consumer group fail
// ("unknown topic or partition") and stall for all topics, and a broker that auto-creates topics brings the
// deleted topic back. Deleting the records leaves the sink undisturbed and the topics ready for the next run.
import { rest } from '../probes/rest.ts';
import type { AdminSession } from './lag.ts';
import { countPoints, dropMeasurement, loadMeasurements, type InfluxTarget } from './influx.ts';

export interface CleanupTargets {
  prefix: string;
  topics: string[];
  summit: AdminSession;
  ldf: AdminSession;
  influx: InfluxTarget;
  registryUrl: string;
  timeoutMs: number;
  deleteTopics: boolean;
  /** longest wait for the sink to stop writing load points before they are dropped */
  quietMaxMs?: number;
}

export interface CleanupResult {
  /** what is still there after removal (each entry names cluster/system and object) */
  remaining: string[];
  removed: string[];
  /** things deliberately kept, with the reason */
  kept: string[];
  errors: string[];
}

function guard(prefix: string, names: string[]): string[] {
  return names.filter((n) => n.startsWith(prefix + '.'));
}

async function removeRecords(s: AdminSession, cluster: string, topics: string[], r: CleanupResult): Promise<void> {
  const existing = new Set(await s.call('listTopics', (a) => a.listTopics()));
  for (const topic of topics.filter((t) => existing.has(t))) {
    const offs = await s.call(`offsets of ${topic}`, (a) => a.fetchTopicOffsets(topic));
    const partitions = offs.filter((o) => Number(o.high) > Number(o.low)).map((o) => ({ partition: o.partition, offset: o.high }));
    if (partitions.length) {
      await s.call(`delete records of ${topic}`, (a) => a.deleteTopicRecords({ topic, partitions }));
      r.removed.push(`${cluster}: records of ${topic}`);
    }
  }
}

async function recordsLeft(s: AdminSession, cluster: string, topics: string[]): Promise<string[]> {
  const existing = new Set(await s.call('listTopics', (a) => a.listTopics()));
  const left: string[] = [];
  for (const topic of topics.filter((t) => existing.has(t))) {
    const offs = await s.call(`offsets of ${topic}`, (a) => a.fetchTopicOffsets(topic));
    const n = offs.reduce((sum, o) => sum + (Number(o.high) - Number(o.low)), 0);
    if (n > 0) left.push(`${cluster}: ${n} records in ${topic}`);
  }
  return left;
}

async function removeTopics(s: AdminSession, cluster: string, topics: string[], r: CleanupResult): Promise<void> {
  const existing = new Set(await s.call('listTopics', (a) => a.listTopics()));
  const doomed = topics.filter((t) => existing.has(t));
  if (!doomed.length) return;
  await s.call('delete topics', (a) => a.deleteTopics({ topics: doomed, timeout: s.timeoutMs }));
  r.removed.push(...doomed.map((t) => `${cluster}: topic ${t}`));
}

async function topicsLeft(s: AdminSession, cluster: string, topics: string[]): Promise<string[]> {
  const existing = new Set(await s.call('listTopics', (a) => a.listTopics()));
  return topics.filter((t) => existing.has(t)).map((t) => `${cluster}: topic ${t}`);
}

async function removeSubjects(url: string, subjects: string[], timeoutMs: number, r: CleanupResult): Promise<void> {
  const H = { accept: 'application/vnd.schemaregistry.v1+json, application/json' };
  const list = await rest<string[]>(`${url}/subjects`, { timeoutMs, headers: H });
  const present = new Set(Array.isArray(list.body) ? list.body : []);
  for (const subject of subjects.filter((s) => present.has(s))) {
    const soft = await rest(`${url}/subjects/${encodeURIComponent(subject)}`, { timeoutMs, method: 'DELETE', headers: H });
    if (soft.status >= 300) {
      r.kept.push(`registry: subject ${subject} (the registry refuses deletes: HTTP ${soft.status})`);
      continue;
    }
    await rest(`${url}/subjects/${encodeURIComponent(subject)}?permanent=true`, { timeoutMs, method: 'DELETE', headers: H });
    r.removed.push(`registry: subject ${subject}`);
  }
}

async function subjectsLeft(url: string, subjects: string[], timeoutMs: number, kept: string[]): Promise<string[]> {
  const list = await rest<string[]>(`${url}/subjects`, { timeoutMs, headers: { accept: 'application/json' } });
  const present = new Set(Array.isArray(list.body) ? list.body : []);
  return subjects.filter((s) => present.has(s) && !kept.some((k) => k.includes(` ${s} `))).map((s) => `registry: subject ${s}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the number of load points stays the same for two looks 3 s apart (at most maxMs). */
async function waitQuiet(influx: InfluxTarget, prefix: string, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  const total = async () => [...(await countPoints(influx, prefix, 0, Date.now() + 3_600_000)).values()].reduce((a, b) => a + b, 0);
  let last = await total();
  while (Date.now() < until) {
    await sleep(3000);
    const now = await total();
    if (now === last) return;
    last = now;
  }
}

export async function cleanup(t: CleanupTargets): Promise<CleanupResult> {
  const r: CleanupResult = { remaining: [], removed: [], kept: [], errors: [] };
  const topics = guard(t.prefix, t.topics);
  const step = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      r.errors.push(`${what}: ${(e as Error).message}`);
    }
  };
  for (const [cluster, s] of [['summit', t.summit], ['ldf', t.ldf]] as const) {
    await step(`${cluster} records`, () => (t.deleteTopics ? removeTopics(s, cluster, topics, r) : removeRecords(s, cluster, topics, r)));
  }
  // a replicator that was behind may still land a few records at the LDF after their deletion: look again
  if (!t.deleteTopics) {
    for (let round = 0; round < 3; round++) {
      let left: string[] = [];
      await step('ldf recheck', async () => {
        await sleep(2000);
        left = await recordsLeft(t.ldf, 'ldf', topics);
        if (left.length) await removeRecords(t.ldf, 'ldf', topics, { ...r, removed: [] });
      });
      if (!left.length) break;
    }
  }
  if (!t.deleteTopics) r.kept.push(`kafka: the ${topics.length} load topics (empty), so a running sink is not disturbed`);
  // measurements last: a sink that was behind still holds records it read before their deletion (Telegraf
  // keeps up to max_undelivered_messages in flight and a metric buffer), so wait until the point count stops
  // moving, then drop, look again, drop again
  await step('influxdb quiet', () => waitQuiet(t.influx, t.prefix, t.quietMaxMs ?? 60_000));
  for (let round = 0; round < 6; round++) {
    let left: string[] = [];
    await step('influxdb measurements', async () => {
      left = await loadMeasurements(t.influx, t.prefix);
      for (const m of left) {
        await dropMeasurement(t.influx, m);
        if (round === 0) r.removed.push(`influxdb: measurement ${m}`);
      }
    });
    if (!left.length) break;
    await sleep(2000);
  }
  await step('registry subjects', () => removeSubjects(t.registryUrl, topics.map((x) => `${x}-value`), t.timeoutMs, r));

  // verify
  for (const [cluster, s] of [['summit', t.summit], ['ldf', t.ldf]] as const) {
    await step(`${cluster} check`, async () => {
      r.remaining.push(...(t.deleteTopics ? await topicsLeft(s, cluster, topics) : await recordsLeft(s, cluster, topics)));
    });
  }
  await step('influxdb check', async () => {
    r.remaining.push(...(await loadMeasurements(t.influx, t.prefix)).map((m) => `influxdb: measurement ${m}`));
  });
  await step('registry check', async () => {
    r.remaining.push(...(await subjectsLeft(t.registryUrl, topics.map((x) => `${x}-value`), t.timeoutMs, r.kept)));
  });
  return r;
}
