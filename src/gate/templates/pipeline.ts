// The pipeline: MirrorMaker 2 reads the Summit and writes LDF, carries the SAL topics and _schemas; the
// InfluxDB sink writes efd with time private_efdStamp and reads every replicated topic; markers go through.
import type { ManifestObject } from '../../model/manifest-set.ts';
import { connectorFromObject, type ConnectorDecl } from '../../model/connectors.ts';
import { kcqlFor, mm2Replicates, mm2TargetName, parseKcql, sinkSubscribes } from '../../model/pipeline.ts';
import { findService, parseInClusterAddress } from '../context.ts';
import type { GateContext, Hit, Template } from '../types.ts';

interface Connector extends ConnectorDecl {
  mo: ManifestObject;
}

export function connectors(ctx: GateContext): Connector[] {
  return ctx.d.objects.filter((o) => o.object.kind === 'KafkaConnector').map((mo) => ({ ...connectorFromObject(mo), mo }));
}

const cls = (c: Connector) => c.config['connector.class'];
const at = (c: Connector, key?: string) => ({ object: c.mo, path: key ? ['spec', 'config', key] : ['spec'] });
const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean).sort();
const mirrorSources = (ctx: GateContext) => connectors(ctx).filter((c) => cls(c).endsWith('.MirrorSourceConnector'));
const sinks = (ctx: GateContext, pattern: string) => connectors(ctx).filter((c) => new RegExp(pattern).test(cls(c)));

export const replicator_source: Template = (ctx, p) => {
  const hits: Hit[] = [];
  const all = connectors(ctx);
  const mm2 = all.filter((c) => p.classes.includes(cls(c)));
  for (const k of p.classes as string[]) {
    if (!mm2.some((c) => cls(c) === k)) hits.push({ message: `no KafkaConnector of class ${k} (MirrorMaker 2 needs the source, checkpoint and heartbeat connectors)`, origin: mm2[0] ? at(mm2[0]) : undefined });
  }
  const summit = list((ctx.profile?.data?.kafka?.summit?.bootstrap ?? []).join(','));
  const connect = ctx.d.objects.find((o) => o.object.kind === 'KafkaConnect');
  if (mm2.length && !connect) hits.push({ message: 'no KafkaConnect in the manifests runs the MirrorMaker 2 connectors', origin: at(mm2[0]) });
  const ldf = list(connect?.object.spec?.bootstrapServers);
  for (const c of mm2) {
    const src = list(c.config['source.cluster.bootstrap.servers']);
    const dst = list(c.config['target.cluster.bootstrap.servers']);
    if (!summit.length) hits.push({ message: `${c.name} reads ${src.join(',') || 'nothing'}, but no efd-health profile in the manifests says where the Summit broker is`, origin: at(c, 'source.cluster.bootstrap.servers') });
    else if (src.join(',') !== summit.join(',')) hits.push({ message: `${c.name} reads ${src.join(',') || 'no broker'}, not the Summit broker ${summit.join(',')}`, origin: at(c, 'source.cluster.bootstrap.servers') });
    const inCluster = src.filter((s) => { const a = parseInClusterAddress(s); return a && findService(ctx.d, a.name, a.namespace); });
    if (inCluster.length) hits.push({ message: `${c.name} reads ${inCluster.join(',')}, a broker inside the LDF cluster`, origin: at(c, 'source.cluster.bootstrap.servers') });
    const unknown = dst.filter((s) => { const a = parseInClusterAddress(s); return !a || findService(ctx.d, a.name, a.namespace)?.role !== 'kafka'; });
    if (!dst.length || unknown.length) hits.push({ message: `${c.name} writes ${dst.join(',') || 'nowhere'}, which is not the LDF Kafka Service of the manifests`, origin: at(c, 'target.cluster.bootstrap.servers') });
    else if (ldf.length && dst.join(',') !== ldf.join(',')) hits.push({ message: `${c.name} writes ${dst.join(',')} but its Connect cluster runs on ${ldf.join(',')}`, origin: at(c, 'target.cluster.bootstrap.servers') });
  }
  return hits;
};

export const replicator_topics: Template = (ctx, p) => {
  const sources = mirrorSources(ctx);
  if (!sources.length) return [{ message: 'no MirrorSourceConnector: nothing replicates the Summit topics' }];
  return sources.flatMap((c) => {
    const missing = (p.must_carry as string[]).filter((t) => !mm2Replicates(c.config, t));
    return missing.length ? [{ message: `${c.name} does not replicate ${missing.join(', ')} (topics "${c.config.topics ?? '.*'}", topics.exclude "${c.config['topics.exclude'] ?? '(default)'}")`, origin: at(c, 'topics') }] : [];
  });
};

export const sink_config: Template = (ctx, p) => {
  const list = sinks(ctx, p.class_pattern);
  if (!list.length) return [{ message: 'no InfluxDB sink connector in the manifests' }];
  return list.flatMap((c) => {
    const hits: Hit[] = [];
    if (c.config['connect.influx.db'] !== p.database) hits.push({ message: `${c.name} writes database ${c.config['connect.influx.db'] ?? '(unset)'}, not ${p.database}`, origin: at(c, 'connect.influx.db') });
    const url = c.config['connect.influx.url'] ?? '';
    const addr = parseInClusterAddress(url);
    const svc = addr && findService(ctx.d, addr.name, addr.namespace);
    if (!svc || (addr!.port !== undefined && !svc.ports.some((x) => x.port === addr!.port))) hits.push({ message: `${c.name} writes to ${url || '(no url)'}, which is not an InfluxDB Service of the manifests`, origin: at(c, 'connect.influx.url') });
    const kcql = parseKcql(c.config['connect.influx.kcql']);
    if (!kcql.length) hits.push({ message: `${c.name} has no KCQL statement`, origin: at(c, 'connect.influx.kcql') });
    for (const s of kcql) {
      if (s.timestamp !== p.timestamp) hits.push({ message: `${c.name}: KCQL "${s.text}" takes the time from ${s.timestamp ?? 'the Kafka record time'}, not ${p.timestamp}`, origin: at(c, 'connect.influx.kcql') });
      else if (s.timestampUnit !== p.timestamp_unit) hits.push({ message: `${c.name}: KCQL "${s.text}" reads ${p.timestamp} as ${s.timestampUnit ?? 'milliseconds (the default)'}, not ${p.timestamp_unit}`, origin: at(c, 'connect.influx.kcql') });
    }
    return hits;
  });
};

/** Does some sink read this LDF topic (subscription and a KCQL statement)? */
function sinkReads(ctx: GateContext, pattern: string, topic: string): boolean {
  return sinks(ctx, pattern).some((c) => sinkSubscribes(c.config, topic) && kcqlFor(parseKcql(c.config['connect.influx.kcql']), topic));
}

export const sink_topics: Template = (ctx, p) => {
  const sources = mirrorSources(ctx);
  const list = sinks(ctx, p.class_pattern);
  if (!list.length || !sources.length) return [];
  const unread = new Set<string>();
  for (const src of sources) {
    for (const t of p.sample_topics as string[]) {
      if (!mm2Replicates(src.config, t)) continue;
      const name = mm2TargetName(src.config, t);
      if (!sinkReads(ctx, p.class_pattern, name)) unread.add(name);
    }
  }
  if (!unread.size) return [];
  const c = list[0];
  return [{ message: `no InfluxDB sink reads the replicated topic${unread.size > 1 ? 's' : ''} ${[...unread].join(', ')} (${c.name}: topics.regex "${c.config['topics.regex'] ?? ''}", topics "${c.config.topics ?? ''}")`, origin: at(c, c.config['topics.regex'] !== undefined ? 'topics.regex' : 'topics') }];
};

export const marker_carried: Template = (ctx, p) => {
  const topic: string | undefined = ctx.profile?.data?.markers?.topic ?? p.topic;
  if (!topic) return [{ message: 'no efd-health profile in the manifests names the marker topic (markers.topic)' }];
  const hits: Hit[] = [];
  const sources = mirrorSources(ctx);
  const carried = sources.filter((s) => mm2Replicates(s.config, topic));
  if (!carried.length) {
    hits.push({ message: `the marker topic ${topic} is not replicated by ${sources.map((s) => s.name).join(', ') || 'any MirrorSourceConnector'}`, origin: sources[0] ? at(sources[0], 'topics') : ctx.profile?.origin });
  }
  for (const s of carried) {
    const name = mm2TargetName(s.config, topic);
    if (!sinkReads(ctx, p.class_pattern, name)) {
      const sink = sinks(ctx, p.class_pattern)[0];
      hits.push({ message: `the marker topic arrives at LDF as ${name}, which no InfluxDB sink reads`, origin: sink ? at(sink, sink.config['topics.regex'] !== undefined ? 'topics.regex' : 'topics') : undefined });
    }
  }
  return hits;
};
