// The facts the data checks share, gathered once per run and only when a check asks: Summit and LDF
// offsets and last records, the sink group's offsets, InfluxDB measurements and newest points. Every
// question about N topics is a constant number of requests (see src/probes/kafka-batch.ts), so 2000 topics
// cost about what 20 do.
import type { Profile } from '../config/types.ts';
import { readCredentials } from '../config/secrets.ts';
import { BatchKafka, partitionKey, type OffsetMap, type TailRecord } from '../probes/kafka-batch.ts';
import { ident, queryStatements, seriesValues, type InfluxAuth } from '../probes/influx.ts';
import { ProbeError } from '../probes/errors.ts';

/** How many of the last records per partition to read for the size sample (the newest is among them). */
const TAIL_RECORDS = 10;
/** The field every SAL topic has; counting it counts points. */
export const EFD_FIELD = 'private_efdStamp';
/** InfluxQL regex of the EFD measurements; the scope filter is applied client side. */
const MEASUREMENTS = '/^lsst\\.sal\\./';

export interface SideFacts {
  /** in-scope topics present on this side */
  topics: string[];
  /** every topic name on this side (for presence checks) */
  all: Set<string>;
  low: OffsetMap;
  high: OffsetMap;
}

export interface SummitFacts extends SideFacts {
  /** newest record timestamp per topic (ms), for topics holding records */
  newest: Map<string, number>;
  /** mean record size (key + value bytes) of the tail sample per topic */
  meanBytes: Map<string, number>;
}

export interface InfluxFacts {
  measurements: Set<string>;
  /** time of the newest point per measurement (ms) */
  newest: Map<string, number>;
}

export interface SessionOptions {
  inScope: (topic: string) => boolean;
  /** deadline of queries that scan every measurement */
  heavyTimeoutMs: number;
}

function memo<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

export function sum(m: Map<number, number> | undefined): number {
  let s = 0;
  for (const v of m?.values() ?? []) s += v;
  return s;
}

export class DataSession {
  readonly now = Date.now();
  private kafka = new Map<'summit' | 'ldf', Promise<BatchKafka>>();
  private atTs = new Map<string, Promise<OffsetMap>>();

  constructor(
    readonly profile: Profile,
    private readonly opts: SessionOptions,
  ) {}

  inScope(topic: string): boolean {
    return this.opts.inScope(topic);
  }

  client(side: 'summit' | 'ldf'): Promise<BatchKafka> {
    let c = this.kafka.get(side);
    if (!c) {
      c = BatchKafka.open(this.profile.kafka[side].bootstrap, this.profile.timeout_ms);
      this.kafka.set(side, c);
    }
    return c;
  }

  async close(): Promise<void> {
    for (const c of this.kafka.values()) await c.then((k) => k.close()).catch(() => {});
  }

  private async side(side: 'summit' | 'ldf'): Promise<SideFacts> {
    for (let attempt = 1; ; attempt++) {
      // a topic deleted between the listing and the metadata request fails the batch: list again, once
      const k = attempt === 1 ? await this.client(side) : await this.reopen(side);
      try {
        const names = await k.topicNames();
        const topics = names.filter((t) => this.opts.inScope(t));
        await k.load(topics);
        const [low, high] = [await k.offsets(topics, 'earliest'), await k.offsets(topics, 'latest')];
        return { topics, all: new Set(names), low, high };
      } catch (e) {
        if (attempt >= 2 || (e instanceof ProbeError && (e.reason === 'timeout' || e.reason === 'refused'))) throw e;
      }
    }
  }

  private async reopen(side: 'summit' | 'ldf'): Promise<BatchKafka> {
    await this.kafka.get(side)?.then((k) => k.close()).catch(() => {});
    this.kafka.delete(side);
    return this.client(side);
  }

  readonly summit = memo(async (): Promise<SummitFacts> => {
    const base = await this.side('summit');
    const k = await this.client('summit');
    const wanted: Array<{ topic: string; partition: number; offset: number }> = [];
    for (const topic of base.topics)
      for (const [partition, high] of base.high.get(topic) ?? []) {
        const low = base.low.get(topic)?.get(partition) ?? 0;
        if (high > low) wanted.push({ topic, partition, offset: Math.max(low, high - TAIL_RECORDS) });
      }
    const tails = await k.readAt(wanted);
    const newest = new Map<string, number>();
    const sizes = new Map<string, { n: number; bytes: number }>();
    for (const w of wanted) {
      const recs = tails.get(partitionKey(w.topic, w.partition)) ?? [];
      for (const r of recs) {
        newest.set(w.topic, Math.max(newest.get(w.topic) ?? 0, r.timestamp));
        const s = sizes.get(w.topic) ?? { n: 0, bytes: 0 };
        s.n++;
        s.bytes += r.bytes;
        sizes.set(w.topic, s);
      }
    }
    const meanBytes = new Map([...sizes].map(([t, s]) => [t, s.bytes / s.n]));
    return { ...base, newest, meanBytes };
  });

  readonly ldf = memo(() => this.side('ldf'));

  private auth(): InfluxAuth | undefined {
    return this.profile.influxdb.read ? readCredentials(this.profile.influxdb.read) : undefined;
  }

  readonly influx = memo(async (): Promise<InfluxFacts> => {
    const { url, database } = this.profile.influxdb;
    const [shown, last] = await queryStatements(
      url,
      this.opts.heavyTimeoutMs,
      `SHOW MEASUREMENTS WITH MEASUREMENT =~ ${MEASUREMENTS}; SELECT last(${ident(EFD_FIELD)}) FROM ${MEASUREMENTS}`,
      { db: database, auth: this.auth(), epoch: 'ms' },
    );
    for (const r of [shown, last]) {
      if (r?.error) throw new ProbeError('internal', `InfluxDB query failed: ${r.error}`, new URL(url).host);
      if (r?.partial) throw new ProbeError('internal', 'InfluxDB cut the answer short (max-row-limit); raise it or narrow the scope', new URL(url).host);
    }
    const measurements = new Set<string>((shown?.series[0]?.values ?? []).map((v) => String(v[0])).filter((m) => this.opts.inScope(m)));
    const newest = new Map<string, number>();
    for (const v of seriesValues(last?.series ?? [])) if (this.opts.inScope(v.name) && Number.isFinite(v.time)) newest.set(v.name, v.time);
    return { measurements, newest };
  });

  /** Points per in-scope measurement with time in [fromMs, toMs). */
  async influxCounts(fromMs: number, toMs: number): Promise<Map<string, number>> {
    const { url, database } = this.profile.influxdb;
    const [r] = await queryStatements(
      url,
      this.opts.heavyTimeoutMs,
      `SELECT count(${ident(EFD_FIELD)}) FROM ${MEASUREMENTS} WHERE time >= ${Math.floor(fromMs)}ms AND time < ${Math.floor(toMs)}ms`,
      { db: database, auth: this.auth(), epoch: 'ms' },
    );
    if (r?.error) throw new ProbeError('internal', `InfluxDB count query failed: ${r.error}`, new URL(url).host);
    if (r?.partial) throw new ProbeError('internal', 'InfluxDB cut the count answer short (max-row-limit)', new URL(url).host);
    const out = new Map<string, number>();
    for (const v of seriesValues(r?.series ?? [])) if (this.opts.inScope(v.name)) out.set(v.name, Number(v.value) || 0);
    return out;
  }

  /** Offsets of in-scope topics on one side at a timestamp (memoized per side and time). */
  offsetsAt(side: 'summit' | 'ldf', ts: number): Promise<OffsetMap> {
    const key = `${side}@${ts}`;
    let p = this.atTs.get(key);
    if (!p) {
      p = (async () => {
        const facts = side === 'summit' ? await this.summit() : await this.ldf();
        return (await this.client(side)).offsets(facts.topics, ts);
      })();
      this.atTs.set(key, p);
    }
    return p;
  }

  /** The sink group's committed offsets on LDF, a log start standing in where nothing was committed. */
  async committed(group: string): Promise<OffsetMap> {
    const ldf = await this.ldf();
    const raw = await (await this.client('ldf')).groupOffsets(group, ldf.topics);
    const out: OffsetMap = new Map();
    for (const topic of ldf.topics) {
      const m = new Map<number, number>();
      for (const [partition, low] of ldf.low.get(topic) ?? []) {
        const c = raw.get(topic)?.get(partition) ?? -1;
        m.set(partition, c < low ? low : c);
      }
      out.set(topic, m);
    }
    return out;
  }

  /** Records at these positions (oldest unconsumed, oldest retained …). */
  async readAt(side: 'summit' | 'ldf', wanted: Array<{ topic: string; partition: number; offset: number }>): Promise<Map<string, TailRecord[]>> {
    return (await this.client(side)).readAt(wanted);
  }
}
