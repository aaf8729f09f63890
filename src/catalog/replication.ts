import type { CheckSpec } from './types.ts';

// The defaults come from what the EFD saw: about 1 s Summit → LDF through the replicator (SQR-050), and
// sinks that flush every second (Sasquatch Telegraf flush_interval 1s; the Connect sink writes per poll).
// replication SLA 2 s = twice the observed hop; end-to-end SLA 5 s = that plus a few sink flushes;
// deadline 12 s = more than twice the end-to-end SLA, so a late marker is told apart from a lost one,
// while a failing run still ends within seconds.

export const replicationChecks: CheckSpec[] = [
  {
    id: 'replication.preflight.topic_patterns',
    suite: 'replication',
    title: 'The marker topic is carried by the replication and read by the sink',
    description:
      'Follows the marker topic through the manifests before anything is sent: the replication (MirrorMaker 2 ' +
      'MirrorSourceConnector or KafkaMirrorMaker2, or Confluent Replicator) must carry it under its topic filter, ' +
      'its LDF name follows the replication policy (identity, `<alias><separator><topic>`, or `topic.rename.format`), ' +
      'and the InfluxDB sink (Connect InfluxDB sink with topics/topics.regex/KCQL, or Telegraf kafka_consumer ' +
      'topics/topic_regexps) must read that LDF topic; the measurement follows KCQL or the Avro record name.',
    reasons: ['missing', 'policy', 'schema'],
    source: 'design.md (Marker); issue 4; efd-domain.md §2.3, §3',
  },
  {
    id: 'replication.preflight.live_policy',
    suite: 'replication',
    title: 'The replication runs with the policy the manifests declare',
    description:
      "Reads the replication connectors' live configs from the Connect REST API (MirrorMaker 2: " +
      'replication.policy.class, source.cluster.alias, replication.policy.separator, topics, topics.exclude; ' +
      'Replicator: topic.rename.format and its topic lists) and compares them with the manifests. The markers are ' +
      'routed with the live config, so the expected LDF topic is the one the replication really writes; any ' +
      'difference (policy, topics, a connector declared but not running or running but not declared) fails. ' +
      'Skipped, saying why, when Connect cannot be read from this vantage: the run then routes by the manifests.',
    reasons: ['drift'],
    source: 'issue 13 (renames go unseen)',
  },
  {
    id: 'replication.preflight.marker_topic',
    suite: 'replication',
    title: 'The marker topic exists at the Summit',
    description:
      'The marker topic must exist at the Summit broker. On a profile marked production it must have been created ' +
      'beforehand (the suite writes only to it and creates nothing there); on other profiles a missing topic is ' +
      'created with one partition per Summit broker, so every broker leads one marker partition.',
    reasons: ['missing', 'unreachable', 'refused', 'connect', 'timeout', 'dns', 'auth'],
    source: 'design.md (Safe against production)',
  },
  {
    id: 'replication.preflight.schema',
    suite: 'replication',
    title: 'The marker schema is registered at the Summit and known to the LDF registry',
    description:
      'Registers the marker schema at the Summit registry under `<topic>-value`, then waits until the LDF registry ' +
      'resolves the same schema id (it replicates through the registry storage topic); a sink cannot decode a ' +
      'record whose id its registry does not know, so markers are sent only after this (or after the wait).',
    reasons: ['unreachable', 'auth', 'http_status', 'schema', 'not_arrived'],
    thresholds: {
      ldf_wait_ms: { default: 10_000, unit: 'ms', doc: 'how long the LDF registry may take to learn the schema id' },
    },
    source: 'local-stack.md S3 (race: data before its schema)',
  },
  {
    id: 'replication.marker.replication_hop',
    suite: 'replication',
    title: 'Markers reach LDF Kafka (replication hop)',
    description:
      'N markers produced at the Summit over every partition must be read at LDF Kafka (a tail without a consumer ' +
      'group, at the end offsets before the first marker is sent). Latency = produce ack → read at LDF, on the ' +
      "runner's clock. Lost: not there by the deadline and not in InfluxDB either; late: after the SLA. A marker " +
      'that InfluxDB has but the tail never read is unobserved, not lost (a warning naming what interrupted the ' +
      "tail, e.g. the topic recreated). The hint carries the replication connectors' state and trace from the " +
      'Connect REST API.',
    reasons: ['not_arrived', 'lost', 'late', 'unobserved', 'policy', 'missing', 'unreachable', 'refused', 'connect', 'timeout', 'dns'],
    thresholds: {
      sla_ms: { default: 2000, unit: 'ms', doc: 'produce ack → LDF Kafka; the EFD saw about 1 s' },
      topic_wait_ms: {
        default: 30_000,
        unit: 'ms',
        doc: 'how long the replication may take to create the LDF topic of a new marker topic (MM2 refresh.topics.interval.seconds)',
      },
    },
    source: 'design.md (Marker); Xinfra Monitor records-lost/records-delayed',
  },
  {
    id: 'replication.marker.sink_hop',
    suite: 'replication',
    title: 'Markers at LDF Kafka reach InfluxDB (sink hop)',
    description:
      'Every marker read at LDF Kafka must be returned by an InfluxQL query (read-only user, epoch=u) on the derived ' +
      'measurement by the deadline; InfluxDB is polled at most every poll_interval_ms while markers are in flight, ' +
      'and that interval is the stated resolution. The hint carries the sink state (Telegraf: its consumer group and ' +
      'lag; Connect sink: connector status) and InfluxDB /ping.',
    reasons: ['not_arrived', 'lost', 'unreachable', 'refused', 'connect', 'timeout', 'dns', 'auth', 'http_status'],
    thresholds: {
      poll_interval_ms: { default: 50, unit: 'ms', doc: 'InfluxDB poll interval while markers are in flight (the resolution); at most 50' },
    },
    source: 'design.md (Marker)',
  },
  {
    id: 'replication.marker.e2e_latency',
    suite: 'replication',
    title: 'End-to-end marker latency (Summit produce ack → InfluxDB)',
    description:
      'p50/p95/p99/max of produce ack → first InfluxDB query that returns the marker (HDR histogram), per hop and ' +
      'end to end, with a histogram and a timeline. Fails (late) when a marker that arrived took longer than the SLA. ' +
      'Markers that never arrived are judged by the hop checks. The deadline bounds the whole run.',
    reasons: ['late'],
    thresholds: {
      sla_ms: { default: 5000, unit: 'ms', doc: 'produce ack → InfluxDB' },
      deadline_ms: { default: 12_000, unit: 'ms', doc: 'a marker not seen this long after its produce ack is lost (both hops)' },
    },
    source: 'design.md (Marker); Xinfra Monitor records-delay-ms',
  },
  {
    id: 'replication.marker.duplicates',
    suite: 'replication',
    title: 'No marker is delivered twice at LDF Kafka',
    description: 'Counts markers of this run read more than once (at different offsets) at LDF Kafka, as Xinfra Monitor counts records-duplicated.',
    reasons: ['duplicate'],
    thresholds: { max: { default: 0, unit: 'records', doc: 'duplicates allowed' } },
    source: 'Xinfra Monitor records-duplicated',
  },
  {
    id: 'replication.marker.influx_time',
    suite: 'replication',
    title: "InfluxDB's time is the marker's private_efdStamp",
    description:
      "The time InfluxDB shows for each marker point (epoch=u) must equal the marker's private_efdStamp in µs: " +
      'the EFD sink uses private_efdStamp as the time (Telegraf avro_timestamp, KCQL WITHTIMESTAMP). A sink that ' +
      'stamps the arrival time instead breaks every time query of the EFD.',
    reasons: ['schema'],
    thresholds: { tolerance_us: { default: 1, unit: 'µs', doc: 'a double seconds stamp rounds to ±1 µs on its way in' } },
    source: 'efd-domain.md §2.3, §2.5',
  },
  {
    id: 'replication.marker.mm2_crosscheck',
    suite: 'replication',
    title: "The measured replication latency agrees with MirrorMaker 2's replication-latency-ms",
    description:
      "Reads MirrorMaker 2's own replication-latency-ms (last value per partition of the marker topic, over JMX with " +
      "Kafka's JmxTool) and compares it with the latency of the last marker on that partition. MM2 measures from the " +
      'record CreateTime (set by the runner just before send) to the LDF ack; the suite from the Summit produce ack to ' +
      'the LDF read, so MM2 − measured ≈ produce ack time; the difference beyond it must stay within tolerance_ms ' +
      '(clock offset between runner and Connect worker, LDF fetch wake-up, scheduling). Skipped without profile.connect.jmx ' +
      'or for Replicator.',
    reasons: ['drift', 'missing', 'unreachable', 'refused', 'connect', 'timeout'],
    thresholds: {
      // soak on the local stack (2 cores, load average up to 20): |difference| p50 12.6 ms, max 96 ms, all from
      // the runner's scheduling; across hosts the NTP offset between runner and Connect worker adds to it
      tolerance_ms: { default: 250, unit: 'ms', doc: 'allowed |MM2 − (measured + produce ack time)|: scheduling of a busy runner plus the clock offset between runner and Connect worker' },
      timeout_ms: { default: 10_000, unit: 'ms', doc: 'deadline for the JmxTool JVM' },
    },
    source: 'local-stack.md S5 (MirrorSourceMetrics); issue 4',
  },
];
