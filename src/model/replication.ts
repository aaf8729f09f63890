// Where a marker travels, derived from the replication and sink configuration in the manifests:
// Summit topic → (MirrorMaker 2 or Confluent Replicator) → LDF topic → (InfluxDB sink) → measurement.
// Every rule here mirrors what the component itself does, so the suite can check the marker topic against
// both topic filters before anything is sent.
import { parse as parseToml } from 'smol-toml';
import { InputError } from '../errors.ts';
import { connectorFromObject, type ConnectorDecl } from './connectors.ts';
import { loadObjects, type K8sObject, type Located } from './k8s.ts';

/** A topic filter as the component applies it. `anchored`: Java `matches()`; otherwise Go `MatchString` (find). */
export interface TopicFilter {
  /** exact names */
  names: string[];
  /** regular expressions */
  patterns: string[];
  anchored: boolean;
  /** exact names or patterns (same anchoring) that are never carried */
  excludes: string[];
}

export interface ReplicationDecl {
  kind: 'mirrormaker2' | 'replicator';
  /** connector (or KafkaMirrorMaker2 object) name */
  name: string;
  file: string;
  line: number;
  /** how remote names are formed: identity, `<alias><sep><topic>`, or a rename format */
  policy: { type: 'identity' | 'prefix'; alias: string; separator: string } | { type: 'rename'; format: string };
  filter: TopicFilter;
  /** names of the connectors that make up this replication (for status hints) */
  connectors: string[];
}

export interface SinkDecl {
  kind: 'connect-influxdb' | 'telegraf';
  /** connector name, or `<ConfigMap>/<data key>#<n>` for a Telegraf input */
  name: string;
  file: string;
  line: number;
  filter: TopicFilter;
  /** Kafka consumer group the sink reads with (lag tells whether it keeps up) */
  consumerGroup: string;
  database?: string;
  timestampField?: string;
  /** Connect sink: measurement per topic from KCQL (`INSERT INTO m SELECT … FROM t`) */
  kcql?: Array<{ measurement: string; topic: string; timestamp?: string }>;
  /** Telegraf: static measurement, or the field whose value names it */
  measurement?: string;
  measurementField?: string;
}

export interface ReplicationModel {
  replications: ReplicationDecl[];
  sinks: SinkDecl[];
}

const MM2_SOURCE = /(^|\.)MirrorSourceConnector$/;
const MM2_ANY = /(^|\.)Mirror(Source|Checkpoint|Heartbeat)Connector$/;
const REPLICATOR = /(^|\.)ReplicatorSourceConnector$/;
const INFLUX_SINK = /(^|\.)Influx(DB)?SinkConnector$/;
/** MirrorMaker 2's default `topics.exclude` (MirrorSourceConfig). */
const MM2_DEFAULT_EXCLUDE = ['.*[\\-\\.]internal', '.*\\.replica', '__.*'];

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function policyOf(config: Record<string, string>, alias: string): ReplicationDecl['policy'] {
  const cls = config['replication.policy.class'] ?? 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy';
  const separator = config['replication.policy.separator'] ?? '.';
  if (/IdentityReplicationPolicy$/.test(cls)) return { type: 'identity', alias, separator };
  if (/DefaultReplicationPolicy$/.test(cls)) return { type: 'prefix', alias, separator };
  throw new Error(`replication.policy.class ${cls} is not one efd-health can predict topic names for`);
}

function mirrorMaker2(c: ConnectorDecl, siblings: ConnectorDecl[]): ReplicationDecl {
  const cfg = c.config;
  const alias = cfg['source.cluster.alias'] ?? '';
  const excludes = cfg['topics.exclude'] ?? cfg['topics.blacklist'];
  return {
    kind: 'mirrormaker2',
    name: c.name,
    file: c.file,
    line: c.line,
    policy: policyOf(cfg, alias),
    filter: {
      names: [],
      patterns: list(cfg.topics ?? '.*'),
      anchored: true,
      excludes: excludes === undefined ? MM2_DEFAULT_EXCLUDE : list(excludes),
    },
    // the heartbeat and checkpoint connectors of the same pair of clusters belong to this replication
    connectors: [
      c.name,
      ...siblings
        .filter((s) => s !== c && MM2_ANY.test(s.config['connector.class']) && (s.config['source.cluster.alias'] ?? '') === alias)
        .map((s) => s.name),
    ],
  };
}

function replicator(c: ConnectorDecl): ReplicationDecl {
  const cfg = c.config;
  const pick = (...keys: string[]) => keys.map((k) => cfg[k]).find((v) => v !== undefined);
  return {
    kind: 'replicator',
    name: c.name,
    file: c.file,
    line: c.line,
    policy: { type: 'rename', format: cfg['topic.rename.format'] ?? '${topic}' },
    filter: {
      names: list(pick('topic.whitelist', 'topics.whitelist', 'topics')),
      patterns: list(pick('topic.regex', 'topics.regex')),
      anchored: true,
      excludes: list(pick('topic.blacklist', 'topics.blacklist')),
    },
    connectors: [c.name],
  };
}

/** KCQL `INSERT INTO m SELECT … FROM t [WITHTIMESTAMP f] …`, statements joined by `;`. Names may be back-quoted. */
export function parseKcql(kcql: string): Array<{ measurement: string; topic: string; timestamp?: string }> {
  const name = '(`[^`]+`|[^\\s;]+)';
  const re = new RegExp(`INSERT\\s+INTO\\s+${name}\\s+SELECT\\s+.+?\\s+FROM\\s+${name}(?:[^;]*?WITHTIMESTAMP\\s+${name})?`, 'gis');
  const unquote = (s: string) => s.replace(/^`|`$/g, '');
  return [...kcql.matchAll(re)].map((m) => ({
    measurement: unquote(m[1]),
    topic: unquote(m[2]),
    ...(m[3] ? { timestamp: unquote(m[3]) } : {}),
  }));
}

function connectSink(c: ConnectorDecl): SinkDecl {
  const cfg = c.config;
  const kcql = cfg['connect.influx.kcql'] ? parseKcql(cfg['connect.influx.kcql']) : undefined;
  return {
    kind: 'connect-influxdb',
    name: c.name,
    file: c.file,
    line: c.line,
    filter: { names: list(cfg.topics), patterns: list(cfg['topics.regex']), anchored: true, excludes: [] },
    consumerGroup: cfg['consumer.override.group.id'] ?? `connect-${c.name}`,
    database: cfg['connect.influx.db'],
    timestampField: kcql?.find((k) => k.timestamp)?.timestamp,
    kcql,
  };
}

/** Telegraf `[[inputs.kafka_consumer]]` sections in a ConfigMap's TOML. */
function telegrafSinks(o: Located<K8sObject>): SinkDecl[] {
  const out: SinkDecl[] = [];
  for (const [key, text] of Object.entries<string>(o.object.data ?? {})) {
    if (typeof text !== 'string' || !text.includes('inputs.kafka_consumer')) continue;
    let toml: any;
    try {
      toml = parseToml(text);
    } catch (e) {
      throw new InputError(`${o.file}:${o.line}: ConfigMap ${o.object.metadata.name} key ${key} is not valid TOML: ${(e as Error).message.split('\n')[0]}`);
    }
    const outputs: any[] = toml.outputs?.influxdb ?? [];
    const database = outputs.length === 1 ? (outputs[0].database ?? 'telegraf') : undefined;
    (toml.inputs?.kafka_consumer ?? []).forEach((k: any, i: number) => {
      out.push({
        kind: 'telegraf',
        name: `${o.object.metadata.name}/${key}#${i}`,
        file: o.file,
        line: o.line,
        filter: { names: k.topics ?? [], patterns: k.topic_regexps ?? [], anchored: false, excludes: [] },
        consumerGroup: k.consumer_group ?? 'telegraf_metrics_consumers',
        database,
        timestampField: k.avro_timestamp ?? k.json_time_key,
        measurement: k.avro_measurement,
        measurementField: k.avro_measurement_field,
      });
    });
  }
  return out;
}

/** Strimzi KafkaMirrorMaker2: one replication per mirror (spec.mirrors[]). */
function strimziMirrors(o: Located<K8sObject>): ReplicationDecl[] {
  return (o.object.spec?.mirrors ?? []).map((m: any, i: number) => {
    const alias = m.sourceCluster ?? m.source?.alias ?? '';
    const cfg: Record<string, string> = Object.fromEntries(
      Object.entries(m.sourceConnector?.config ?? {}).map(([k, v]) => [k, String(v)]),
    );
    const excludes = m.topicsExcludePattern ?? m.topicsBlacklistPattern;
    return {
      kind: 'mirrormaker2' as const,
      name: `${o.object.metadata.name}#${i}`,
      file: o.file,
      line: o.line,
      policy: policyOf(cfg, alias),
      filter: {
        names: [],
        patterns: list(m.topicsPattern ?? '.*'),
        anchored: true,
        excludes: excludes === undefined ? MM2_DEFAULT_EXCLUDE : list(excludes),
      },
      connectors: [`${alias}->${m.targetCluster ?? o.object.spec?.connectCluster ?? ''}.MirrorSourceConnector`],
    };
  });
}

/** Where a declaration comes from: `file:line` in the manifests, or the Connect REST URL for a live config. */
export function whereDeclared(d: { file: string; line: number }): string {
  return d.line ? `${d.file}:${d.line}` : d.file;
}

/** The replications and sinks among connectors, declared (file:line) or live (from Connect, line 0). */
export function connectorRoles(connectors: ConnectorDecl[]): { replications: ReplicationDecl[]; sinks: SinkDecl[] } {
  const replications: ReplicationDecl[] = [];
  const sinks: SinkDecl[] = [];
  for (const c of connectors) {
    const cls = c.config['connector.class'] ?? '';
    try {
      if (MM2_SOURCE.test(cls)) replications.push(mirrorMaker2(c, connectors));
      else if (REPLICATOR.test(cls)) replications.push(replicator(c));
      else if (INFLUX_SINK.test(cls)) sinks.push(connectSink(c));
    } catch (e) {
      throw new InputError(`${whereDeclared(c)}: KafkaConnector ${c.name}: ${(e as Error).message}`);
    }
  }
  return { replications, sinks };
}

export function modelFromObjects(objects: Located<K8sObject>[]): ReplicationModel {
  const { replications, sinks } = connectorRoles(objects.filter((o) => o.object.kind === 'KafkaConnector').map(connectorFromObject));
  for (const o of objects) {
    if (o.object.kind === 'ConfigMap') sinks.push(...telegrafSinks(o));
    if (o.object.kind === 'KafkaMirrorMaker2') {
      try {
        replications.push(...strimziMirrors(o));
      } catch (e) {
        throw new InputError(`${o.file}:${o.line}: KafkaMirrorMaker2 ${o.object.metadata.name}: ${(e as Error).message}`);
      }
    }
  }
  return { replications, sinks };
}

export function loadReplicationModel(dir: string): ReplicationModel {
  return modelFromObjects(loadObjects(dir));
}

function compile(pattern: string, anchored: boolean): RegExp {
  return new RegExp(anchored ? `^(?:${pattern})$` : pattern);
}

/** Whether the component with this filter carries `topic`. */
export function carries(filter: TopicFilter, topic: string): boolean {
  const hit = (p: string) => compile(p, filter.anchored).test(topic);
  // Replicator's exclusions are exact names; MirrorMaker 2's are patterns. Both forms match a plain name.
  if (filter.excludes.some((x) => x === topic || hit(x))) return false;
  return filter.names.includes(topic) || filter.patterns.some(hit);
}

/** The LDF topic a Summit topic is written to. */
export function remoteTopic(r: ReplicationDecl, topic: string): string {
  const p = r.policy;
  if (p.type === 'rename') return p.format.split('${topic}').join(topic);
  // IdentityReplicationPolicy defers to the default policy for heartbeats topics (looksLikeHeartbeat).
  if (p.type === 'identity' && !topic.endsWith('heartbeats')) return topic;
  return `${p.alias}${p.separator}${topic}`;
}

/** The InfluxDB measurement a sink writes a record of `topic` (Avro record full name `recordName`) to. */
export function measurementOf(s: SinkDecl, topic: string, recordName: string): { measurement?: string; problem?: string } {
  if (s.kind === 'connect-influxdb') {
    if (!s.kcql) return { measurement: topic };
    const k = s.kcql.find((q) => q.topic === topic);
    return k ? { measurement: k.measurement } : { problem: `the KCQL of ${s.name} has no statement for topic ${topic}` };
  }
  if (s.measurementField) return { problem: `${s.name} names measurements after field ${s.measurementField}, which markers do not carry` };
  return { measurement: s.measurement ?? recordName };
}

export function describeFilter(f: TopicFilter): string {
  const parts = [...f.names, ...f.patterns.map((p) => `/${p}/`)];
  const inc = parts.length ? parts.join(', ') : 'nothing';
  return f.excludes.length ? `${inc} (excluding ${f.excludes.join(', ')})` : inc;
}

export function describePolicy(r: ReplicationDecl): string {
  const p = r.policy;
  if (p.type === 'identity') return 'IdentityReplicationPolicy: same name';
  if (p.type === 'rename') return `topic.rename.format ${p.format}`;
  return `DefaultReplicationPolicy: ${p.alias}${p.separator}<topic>`;
}

export interface MarkerRoute {
  summitTopic: string;
  ldfTopic: string;
  measurement: string;
  replication: ReplicationDecl;
  sink: SinkDecl;
}

/** Follows `topic` through the declared replication and sink; `problems` says why it cannot get through. */
export function routeMarker(model: ReplicationModel, topic: string, recordName = topic): { route?: MarkerRoute; problems: string[] } {
  if (!model.replications.length) return { problems: ['the manifests declare no replication (MirrorMaker 2 MirrorSourceConnector, KafkaMirrorMaker2 or Confluent Replicator)'] };
  if (!model.sinks.length) return { problems: ['the manifests declare no InfluxDB sink (InfluxDB sink KafkaConnector or a Telegraf kafka_consumer ConfigMap)'] };
  const reps = model.replications.filter((r) => carries(r.filter, topic));
  if (!reps.length)
    return {
      problems: model.replications.map((r) => `${r.name} (${whereDeclared(r)}) does not carry ${topic}: its topics are ${describeFilter(r.filter)}`),
    };
  const problems: string[] = [];
  for (const replication of reps) {
    const ldfTopic = remoteTopic(replication, topic);
    const sinks = model.sinks.filter((s) => carries(s.filter, ldfTopic));
    if (!sinks.length) {
      problems.push(...model.sinks.map((s) => `${s.name} (${whereDeclared(s)}) does not read ${ldfTopic}: its topics are ${describeFilter(s.filter)}`));
      continue;
    }
    for (const sink of sinks) {
      const m = measurementOf(sink, ldfTopic, recordName);
      if (m.measurement) return { route: { summitTopic: topic, ldfTopic, measurement: m.measurement, replication, sink }, problems };
      problems.push(m.problem!);
    }
  }
  return { problems };
}
