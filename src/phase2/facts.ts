// Phase 2 facts (aggregation and long-term retention): what the manifests declare (retention policies
// and continuous queries in the `.iql` init scripts) and what InfluxDB holds: its policies and CQs, the
// newest raw and rolled-up point of each rolled-up measurement, one sampled window recomputed from the raw
// points, and whether raw data older than its policy is still there. Plain data; judged in verdicts.ts.
import { loadContinuousQueries, loadRetention, type CqDecl, type RetentionDecl } from '../model/influx.ts';
import { parseContinuousQuery, sourcePattern, targetMeasurement, type ContinuousQuery } from '../model/cq.ts';
import { ident, query, queryStatements, type InfluxAuth, type Series } from '../probes/influx.ts';
import { parseRetentionRows, type LivePolicy } from '../services/influx.ts';

export interface Phase2Options {
  url: string;
  timeoutMs: number;
  manifests: string;
  read?: InfluxAuth;
  /** SHOW CONTINUOUS QUERIES is admin-only in InfluxDB 1.8 */
  admin?: InfluxAuth;
  /** how far back the newest raw and rolled-up points are looked for */
  windowS: number;
  /** how many rolled-up measurements the correctness sample recomputes */
  sampleMeasurements: number;
  /** shard groups are dropped whole, and only every 30 min: data this much older than policy + shard is overdue */
  enforcementSlackS: number;
  now?: number;
}

export interface LiveCq {
  database: string;
  name: string;
  text: string;
  parsed?: ContinuousQuery;
}

/** One rolled-up measurement: newest raw point and newest roll-up bucket (ms since epoch). */
export interface Rollup {
  cq: string;
  database: string;
  source: string;
  target: string;
  rawNewestMs?: number;
  rollupNewestMs?: number;
  /** the oldest raw point after the newest rolled-up bucket (undefined: the roll-up covers every raw point) */
  firstUncoveredMs?: number;
}

/** A field value as InfluxDB answers it (min/max of a boolean field is a boolean). */
export type Value = number | string | boolean | null;

/** One sampled roll-up bucket: the CQ's own SELECT over the raw points, and the row the CQ wrote. */
export interface Sample {
  cq: string;
  source: string;
  target: string;
  bucketStartMs: number;
  bucketS: number;
  recomputed: Record<string, Value>;
  /** undefined: the CQ wrote no row for this bucket */
  stored?: Record<string, Value>;
}

export interface TierFacts {
  database: string;
  policy: string;
  /** the oldest point older than policy + shard duration + slack, when one is still there */
  overdueOldestMs?: number;
  /** how far back the check looked for such a point */
  cutoffMs?: number;
}

export interface Phase2Facts {
  manifests: string;
  nowMs: number;
  declared: { rps: RetentionDecl[]; cqs: CqDecl[] };
  /** live facts; absent when phase 2 is not declared */
  live?: {
    /** database → live policies */
    rps: Record<string, LivePolicy[]>;
    /** undefined: no admin credentials, the CQs could not be listed */
    cqs?: LiveCq[];
    rollups: Rollup[];
    samples: Sample[];
    tiers: TierFacts[];
    /** values (field × row) in the sampled bucket: raw, and what the roll-up kept of them */
    valueCounts?: { raw: number; rollup: number; bucketStartMs: number };
  };
  durationMs: number;
}

/** Facts of every declared phase 2 object; nothing is asked of InfluxDB when no CQ is declared. */
export async function gatherPhase2(o: Phase2Options): Promise<Phase2Facts> {
  const started = Date.now();
  const nowMs = o.now ?? Date.now();
  const declared = { rps: loadRetention(o.manifests), cqs: loadContinuousQueries(o.manifests) };
  const facts: Phase2Facts = { manifests: o.manifests, nowMs, declared, durationMs: 0 };
  if (!declared.cqs.length) return { ...facts, durationMs: Date.now() - started };
  const q = (text: string, db?: string) => queryStatements(o.url, o.timeoutMs, text, { auth: o.read, db, epoch: 'ms' });
  const databases = [...new Set(declared.cqs.map((c) => c.database))];

  const [rpAnswers, cqs] = await Promise.all([
    q(databases.map((db) => `SHOW RETENTION POLICIES ON ${ident(db)}`).join('; ')),
    o.admin ? listCqs(o) : Promise.resolve(undefined),
  ]);
  const rps: Record<string, LivePolicy[]> = {};
  databases.forEach((db, i) => (rps[db] = parseRetentionRows(rpAnswers[i]?.series[0]?.columns ?? [], rpAnswers[i]?.series[0]?.values ?? [])));
  // the expiry queries run beside the roll-up queries
  const tiersP = tierFacts(o, declared.rps.filter((d) => databases.includes(d.database)), rps, nowMs);

  const rollups: Rollup[] = [];
  const samples: Sample[] = [];
  let valueCounts: { raw: number; rollup: number; bucketStartMs: number } | undefined;
  for (const cq of declared.cqs) {
    const rawRp = cq.from.rp ?? rps[cq.database]?.find((p) => p.isDefault)?.name ?? 'autogen';
    const fromDb = cq.from.database ?? cq.database;
    const intoDb = cq.into.database ?? cq.database;
    const intoRp = cq.into.rp ?? rawRp;
    const sources = await sourceMeasurements(o, fromDb, cq);
    // one statement per measurement, 200 to a request: each answers the time of one point (or none)
    const pointTimes = async (db: string, names: string[], statement: (m: string) => string) => {
      const out = new Map<string, number>();
      for (let i = 0; i < names.length; i += 200) {
        const chunk = names.slice(i, i + 200);
        const answers = await q(chunk.map(statement).join('; '), db);
        chunk.forEach((m, j) => {
          const t = answers[j]?.series[0]?.values?.[0]?.[0];
          if (t !== undefined) out.set(m, Number(t));
        });
      }
      return out;
    };
    const since = `now() - ${o.windowS}s`;
    const newest = (db: string, rp: string, names: string[]) =>
      pointTimes(db, names, (m) => `SELECT * FROM ${ident(db)}.${ident(rp)}.${ident(m)} WHERE time > ${since} ORDER BY time DESC LIMIT 1`);
    const targets = sources.map((s) => targetMeasurement(cq, s));
    const [raw, rolled] = await Promise.all([newest(fromDb, rawRp, sources), newest(intoDb, intoRp, [...new Set(targets)])]);
    // the oldest raw point the roll-up does not cover yet: after the end of the newest rolled-up bucket
    const withRaw = sources.filter((s) => raw.has(s));
    const coveredUntil = (s: string) => {
      const b = rolled.get(targetMeasurement(cq, s));
      return b === undefined ? since : `${b + cq.groupByS * 1000}ms`;
    };
    const uncovered = await pointTimes(fromDb, withRaw, (m) => `SELECT * FROM ${ident(fromDb)}.${ident(rawRp)}.${ident(m)} WHERE time >= ${coveredUntil(m)} ORDER BY time ASC LIMIT 1`);
    const mine = sources.map((s, i) => ({
      cq: cq.name, database: cq.database, source: s, target: targets[i], rawNewestMs: raw.get(s), rollupNewestMs: rolled.get(targets[i]), firstUncoveredMs: uncovered.get(s),
    }));
    rollups.push(...mine);

    // the newest bucket no later run will recompute: the run at the last interval boundary covered
    // [boundary − FOR, boundary) (the CQ service gets 10 s to have run it); and if the roll-up is behind
    // (freshness judges that), the newest bucket its own last run finalized, so a stall is not a mismatch
    const boundary = Math.floor((nowMs - 10_000) / (cq.everyS * 1000)) * cq.everyS * 1000;
    const newestRolled = Math.max(...mine.map((r) => r.rollupNewestMs ?? -Infinity));
    const bucketStartMs = Math.min(boundary - cq.forS * 1000, newestRolled + (cq.groupByS - cq.forS) * 1000);
    const live = mine.filter((r) => r.rawNewestMs !== undefined && r.rawNewestMs >= bucketStartMs);
    const n = Math.min(o.sampleMeasurements, live.length);
    // rotate through the measurements from one window to the next, so runs sample different ones
    const offset = live.length ? Math.floor(bucketStartMs / (cq.groupByS * 1000)) % live.length : 0;
    const picked = Array.from({ length: n }, (_, i) => live[(offset + i) % live.length]);
    const where = `WHERE time >= ${bucketStartMs}ms AND time < ${bucketStartMs + cq.groupByS * 1000}ms`;
    const groupBy = cq.groupByRest && cq.groupByRest !== '*' ? ` GROUP BY ${cq.groupByRest}` : '';
    if (picked.length && Number.isFinite(bucketStartMs)) {
      const answers = await q(
        picked.flatMap((r) => [
          `SELECT ${cq.select} FROM ${ident(fromDb)}.${ident(rawRp)}.${ident(r.source)} ${where}${groupBy}`,
          `SELECT * FROM ${ident(intoDb)}.${ident(intoRp)}.${ident(r.target)} WHERE time = ${bucketStartMs}ms`,
        ]).join('; '),
        cq.database,
      );
      picked.forEach((r, i) => {
        const recomputed = firstRow(answers[2 * i]?.series ?? []);
        if (!recomputed) return; // no raw point in the bucket after all
        samples.push({ cq: cq.name, source: r.source, target: r.target, bucketStartMs, bucketS: cq.groupByS, recomputed, stored: firstRow(answers[2 * i + 1]?.series ?? []) });
      });
    }
    if (!valueCounts && cq.from.regex && Number.isFinite(bucketStartMs)) {
      // values in one bucket, raw and rolled up: the roll-up tier's size relative to the raw tier
      const [r, s] = await q(
        `SELECT count(*) FROM ${ident(fromDb)}.${ident(rawRp)}.${cq.from.measurement} ${where}; ` +
          `SELECT count(*) FROM ${ident(intoDb)}.${ident(intoRp)}.${cq.from.measurement} WHERE time = ${bucketStartMs}ms`,
        cq.database,
      );
      valueCounts = { raw: sumCounts(r.series), rollup: sumCounts(s.series), bucketStartMs };
    }
  }

  const tiers = await tiersP;
  return { ...facts, live: { rps, cqs, rollups, samples, tiers, valueCounts }, durationMs: Date.now() - started };
}

async function listCqs(o: Phase2Options): Promise<LiveCq[]> {
  const series = await query(o.url, o.timeoutMs, 'SHOW CONTINUOUS QUERIES', { auth: o.admin });
  return series.flatMap((s) => (s.values ?? []).map((v) => ({ database: s.name, name: String(v[0]), text: String(v[1]), parsed: parseContinuousQuery(String(v[1])) })));
}

/** The measurements a CQ reads: SHOW MEASUREMENTS with its regex, or its one named measurement. */
async function sourceMeasurements(o: Phase2Options, db: string, cq: ContinuousQuery): Promise<string[]> {
  if (!cq.from.regex) return [cq.from.measurement];
  const pattern = sourcePattern(cq);
  const series = await query(o.url, o.timeoutMs, `SHOW MEASUREMENTS ON ${ident(db)} WITH MEASUREMENT =~ ${cq.from.measurement}`, { auth: o.read });
  return (series[0]?.values ?? []).map((v) => String(v[0])).filter((m) => !pattern || pattern.test(m));
}

/** For each declared policy: a point older than duration + shard duration + slack, if one is left. */
async function tierFacts(o: Phase2Options, decls: RetentionDecl[], rps: Record<string, LivePolicy[]>, nowMs: number): Promise<TierFacts[]> {
  return Promise.all(
    decls.map(async (d): Promise<TierFacts> => {
      const live = rps[d.database]?.find((p) => p.name === d.policy);
      if (!live || live.hours === 0) return { database: d.database, policy: d.policy };
      const cutoffMs = nowMs - (live.hours + live.shardHours) * 3_600_000 - o.enforcementSlackS * 1000;
      const [a] = await queryStatements(o.url, o.timeoutMs, `SELECT * FROM ${ident(d.database)}.${ident(d.policy)}./.*/ WHERE time < ${cutoffMs}ms ORDER BY time ASC LIMIT 1`, { auth: o.read, db: d.database, epoch: 'ms' });
      const times = (a?.series ?? []).map((s) => Number(s.values?.[0]?.[0])).filter(Number.isFinite);
      return { database: d.database, policy: d.policy, cutoffMs, overdueOldestMs: times.length ? Math.min(...times) : undefined };
    }),
  );
}

function firstRow(series: Series[]): Record<string, Value> | undefined {
  const s = series[0];
  const row = s?.values?.[0];
  if (!s || !row) return undefined;
  const out: Record<string, Value> = {};
  s.columns.forEach((c, i) => {
    if (c !== 'time') out[c] = (row[i] ?? null) as Value;
  });
  return out;
}

function sumCounts(series: Series[]): number {
  return series.reduce((acc, s) => acc + (s.values?.[0] ?? []).slice(1).reduce<number>((a, v) => a + (typeof v === 'number' ? v : 0), 0), 0);
}
