// Phase 2 (aggregation and long-term retention), when the manifests declare it: continuous queries in the
// InfluxDB init scripts. Manifests without a CQ do not declare phase 2, and these rules find nothing there.
import { continuousQueries, sourcePattern, unreadableCqs, type ContinuousQuery } from '../../model/cq.ts';
import type { Origin } from '../../model/deployment.ts';
import { kcqlFor, parseKcql, retentionPolicies, sinkSubscribes, type RetentionPolicy } from '../../model/pipeline.ts';
import type { GateContext, Hit, Template } from '../types.ts';
import { connectors } from './pipeline.ts';

interface Script {
  text: string;
  origin: Origin;
}

/** Every `.iql` init script: the influxdb chart's initScripts (when enabled) and ConfigMap data keys. */
function scripts(ctx: GateContext): Script[] {
  const out: Script[] = [];
  for (const c of ctx.d.chartValues.filter((c) => c.chart === 'influxdb' && c.values?.initScripts?.enabled)) {
    for (const [k, v] of Object.entries<string>(c.values.initScripts.scripts ?? {}))
      if (k.endsWith('.iql')) out.push({ text: String(v), origin: { object: c.origin.object, path: [...c.origin.path, 'initScripts', 'scripts', k] } });
  }
  for (const mo of ctx.d.objects.filter((o) => o.object.kind === 'ConfigMap')) {
    for (const [k, v] of Object.entries<string>(mo.object.data ?? {})) if (k.endsWith('.iql')) out.push({ text: String(v), origin: { object: mo, path: ['data', k] } });
  }
  return out;
}

function declared(ctx: GateContext): { cqs: Array<ContinuousQuery & { origin: Origin }>; rps: Array<RetentionPolicy & { origin: Origin }> } {
  const all = scripts(ctx);
  return {
    cqs: all.flatMap((s) => continuousQueries(s.text).map((q) => ({ ...q, origin: s.origin }))),
    rps: all.flatMap((s) => retentionPolicies(s.text).map((r) => ({ ...r, origin: s.origin }))),
  };
}

/** Each sample topic the sink writes (its measurement) is read by a CQ on the sink's database. */
export const rollup_coverage: Template = (ctx, p) => {
  const { cqs } = declared(ctx);
  if (!cqs.length) return [];
  const hits: Hit[] = [];
  for (const c of connectors(ctx).filter((c) => new RegExp(p.class_pattern).test(c.config['connector.class'] ?? ''))) {
    const db = c.config['connect.influx.db'];
    const kcql = parseKcql(c.config['connect.influx.kcql']);
    const missing: string[] = [];
    for (const topic of p.sample_topics as string[]) {
      const s = sinkSubscribes(c.config, topic) ? kcqlFor(kcql, topic) : undefined;
      if (!s) continue; // the sink does not write it (manifests.sink.topics judges that)
      const measurement = s.into === '*' ? topic : s.into;
      const covered = cqs.some((q) => (q.from.database ?? q.database) === db && sourcePattern(q)?.test(measurement));
      if (!covered) missing.push(measurement);
    }
    if (missing.length)
      hits.push({
        message: `no continuous query on database ${db} rolls up ${missing.join(', ')}, which ${c.name} writes (CQs: ${cqs.map((q) => `${q.name} FROM ${q.from.measurement}`).join(', ')})`,
        origin: cqs[0].origin,
        keys: missing,
      });
  }
  return hits;
};

/** The longest-lived policy a CQ writes into keeps at least min_days. */
export const longterm_retention: Template = (ctx, p) => {
  const { cqs, rps } = declared(ctx);
  if (!cqs.length) return [];
  const targets = cqs.map((q) => rps.find((r) => r.database === (q.into.database ?? q.database) && r.name === q.into.rp)).filter((r) => r !== undefined);
  const longest = targets.sort((a, b) => (b.hours ?? 0) - (a.hours ?? 0))[0];
  const days = (longest?.hours ?? 0) / 24;
  if (longest && days >= p.min_days) return [];
  return [{
    message: longest
      ? `the longest-lived roll-up policy, ${longest.database}.${longest.name}, keeps ${Number.isFinite(days) ? `${days.toFixed(1)} days` : longest.duration} (DURATION ${longest.duration}); the plan's long-term storage is 10 years (≥ ${p.min_days} days)`
      : `no continuous query writes into a retention policy the init scripts declare, so nothing is kept 10 years (≥ ${p.min_days} days)`,
    origin: (longest ?? cqs[0]).origin,
  }];
};

/** A CQ's INTO and FROM policies exist in the init scripts (an unnamed FROM policy is the default). */
export const cq_policies: Template = (ctx) => {
  const { cqs, rps } = declared(ctx);
  const hits: Hit[] = [];
  for (const s of scripts(ctx))
    for (const text of unreadableCqs(s.text)) hits.push({ message: `cannot read the continuous query "${text.slice(0, 100)}…" (one line: CREATE CONTINUOUS QUERY … BEGIN SELECT … INTO … FROM … GROUP BY time(…) … END)`, origin: s.origin });
  for (const q of cqs) {
    for (const [side, db, rp] of [['INTO', q.into.database ?? q.database, q.into.rp], ['FROM', q.from.database ?? q.database, q.from.rp]] as const) {
      if (rp === undefined) continue;
      if (!rps.some((r) => r.database === db && r.name === rp))
        hits.push({ message: `continuous query ${q.name} ${side === 'INTO' ? 'writes into' : 'reads from'} ${db}.${rp}, a retention policy no init script creates (declared: ${rps.map((r) => `${r.database}.${r.name}`).join(', ') || 'none'})`, origin: q.origin, keys: [`${q.name} ${side} ${db}.${rp}`] });
    }
  }
  return hits;
};
