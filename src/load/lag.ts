// Keep-up facts while loading, in time as well as in records: how old is the oldest record the replicator
// has not copied yet, and the oldest the sink has not committed yet. Offsets come from the clusters; the
// ages come from the generator's ledger (which offsets it wrote when). Gathers facts, never judges.
import { AssignerProtocol, type Admin } from 'kafkajs';
import { classifyNetworkError, ProbeError } from '../probes/errors.ts';
import type { Reason } from '../report/finding.ts';
import { kafkaClient, withDeadline } from '../probes/kafka.ts';
import type { Ledger } from './ledger.ts';

export interface LagSample {
  /** epoch ms of the sample */
  atMs: number;
  /** age in seconds of the oldest record produced at the Summit but not yet at the LDF (0 when none) */
  replicationLagS: number;
  replicationBacklog: number;
  /** age in seconds of the oldest record not yet committed by the sink group (0 when none) */
  sinkLagS: number;
  sinkBacklog: number;
  /** topic with the largest sink lag (for the message) */
  worstTopic?: string;
  error?: string;
  errorReason?: Reason;
}

type Offsets = Map<string, Map<number, number>>; // topic → partition → offset

/** A long-lived admin client with per-call deadlines (a sample every few seconds must not reconnect). */
export class AdminSession {
  private admin?: Admin;
  constructor(
    readonly bootstrap: string[],
    readonly timeoutMs: number,
  ) {}

  async get(): Promise<Admin> {
    if (this.admin) return this.admin;
    const admin = kafkaClient(this.bootstrap, this.timeoutMs, 'efd-health-load').admin();
    try {
      await withDeadline(admin.connect(), this.timeoutMs, this.bootstrap.join(','));
    } catch (e) {
      await admin.disconnect().catch(() => {});
      throw classifyNetworkError(e, this.bootstrap.join(','));
    }
    this.admin = admin;
    return admin;
  }

  async call<T>(what: string, fn: (a: Admin) => Promise<T>): Promise<T> {
    try {
      return await withDeadline(
        this.get().then((a) => fn(a)),
        this.timeoutMs,
        `${this.bootstrap.join(',')} ${what}`,
      );
    } catch (e) {
      throw classifyNetworkError(e, this.bootstrap.join(','));
    }
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => {});
    this.admin = undefined;
  }
}

/** Log-end offsets of the given topics (topics that do not exist are left out). */
export async function endOffsets(s: AdminSession, topics: string[]): Promise<Offsets> {
  const out: Offsets = new Map();
  const existing = new Set(await s.call('listTopics', (a) => a.listTopics()));
  // one request per topic, all in flight at once (kafkajs has no multi-topic ListOffsets in its admin)
  const present = topics.filter((t) => existing.has(t));
  const all = await Promise.all(present.map((t) => s.call(`offsets of ${t}`, (a) => a.fetchTopicOffsets(t))));
  present.forEach((t, i) => out.set(t, new Map(all[i].map((o) => [o.partition, Number(o.high)]))));
  return out;
}

/** Committed offsets of a consumer group (-1 where it never committed). */
export async function committedOffsets(s: AdminSession, groupId: string, topics: string[]): Promise<Offsets> {
  const out: Offsets = new Map();
  const res = await s.call(`offsets of group ${groupId}`, (a) => a.fetchOffsets({ groupId, topics }));
  for (const t of res) out.set(t.topic, new Map(t.partitions.map((p) => [p.partition, Number(p.offset)])));
  return out;
}

export interface SinkAssignment {
  state: string;
  members: number;
  /** the load topics no member of the group is assigned */
  unassigned: string[];
}

/** Which of `topics` the sink's consumer group is consuming (from the members' assignments). */
export async function sinkAssignment(s: AdminSession, groupId: string, topics: string[]): Promise<SinkAssignment> {
  const d = await s.call(`describe group ${groupId}`, (a) => a.describeGroups([groupId]));
  const g = d.groups[0];
  const assigned = new Set<string>();
  for (const m of g?.members ?? []) {
    try {
      const a = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
      for (const t of Object.keys(a?.assignment ?? {})) assigned.add(t);
    } catch {
      // a member with a non-consumer protocol: nothing to read
    }
  }
  return { state: g?.state ?? 'Unknown', members: g?.members.length ?? 0, unassigned: topics.filter((t) => !assigned.has(t)) };
}

export interface StartPoint {
  summit: Offsets;
  ldf: Offsets;
}

const at = (o: Offsets, t: string, p: number) => o.get(t)?.get(p);

/**
 * One keep-up sample. The replicator copies records one for one, so the k-th record written to the LDF topic
 * since the start is the k-th we wrote at the Summit: LDF offset x ↔ Summit offset summitStart + (x − ldfStart).
 */
export async function sampleLag(
  ldf: AdminSession,
  sinkGroup: string,
  topics: string[],
  start: StartPoint,
  ledger: Ledger,
  nowMs: () => number = Date.now,
): Promise<LagSample> {
  const atMs = nowMs();
  try {
    const [ends, committed] = await Promise.all([endOffsets(ldf, topics), committedOffsets(ldf, sinkGroup, topics)]);
    const now = nowMs();
    let repl = 0;
    let replBacklog = 0;
    let sink = 0;
    let sinkBacklog = 0;
    let worstTopic: string | undefined;
    for (const topic of topics) {
      for (const p of ledger.partitions(topic)) {
        const produced = ledger.endOffset(topic, p);
        const s0 = at(start.summit, topic, p) ?? 0;
        const l0 = at(start.ldf, topic, p) ?? 0;
        if (produced === undefined || produced <= s0) continue;
        const ldfEnd = at(ends, topic, p) ?? l0;
        const replicated = s0 + Math.max(0, ldfEnd - l0);
        if (replicated < produced) {
          replBacklog += produced - replicated;
          const t = ledger.sendTimeAtOrAfter(topic, p, replicated);
          if (t !== undefined) repl = Math.max(repl, (now - t) / 1000);
        }
        const c = at(committed, topic, p) ?? -1;
        const consumed = s0 + Math.max(0, (c < 0 ? l0 : c) - l0);
        if (consumed < produced) {
          sinkBacklog += produced - consumed;
          const t = ledger.sendTimeAtOrAfter(topic, p, consumed);
          if (t !== undefined && (now - t) / 1000 > sink) {
            sink = (now - t) / 1000;
            worstTopic = topic;
          }
        }
        ledger.prune(topic, p, Math.min(replicated, consumed));
      }
    }
    return { atMs, replicationLagS: repl, replicationBacklog: replBacklog, sinkLagS: sink, sinkBacklog, worstTopic };
  } catch (e) {
    const pe = e instanceof ProbeError ? e : classifyNetworkError(e, ldf.bootstrap.join(','));
    return { atMs, replicationLagS: NaN, replicationBacklog: NaN, sinkLagS: NaN, sinkBacklog: NaN, error: pe.message, errorReason: pe.reason };
  }
}
