import type { Reason } from '../report/finding.ts';
import type { CheckSpec } from './types.ts';

const REQ = 'OCS-REQ-0048 (1.9 MB/s long-term mean ingest); issue 8';

/** Every load check also reports why the run could not load at all (setup failed, bad input). */
const RUN: Reason[] = ['connect', 'timeout', 'dns', 'unreachable', 'auth', 'http_status', 'schema', 'policy', 'internal'];
const withRun = (own: Reason[]): Reason[] => [...new Set([...own, ...RUN])];

export const loadChecks: CheckSpec[] = [
  {
    id: 'load.generator.rate',
    suite: 'load',
    title: 'The load generator sent the intended byte rate',
    description:
      'The constant-arrival-rate generator (open model) sent the intended bytes per second over the measured window ' +
      '(warm-up excluded), with every record acknowledged by the Summit broker (acks=all). Without this the ' +
      'keep-up checks would judge a lighter load than asked for. MB = 10^6 bytes of Avro value.',
    reasons: withRun(['capacity', 'lost']),
    thresholds: {
      tolerance_pct: { default: 2, unit: '%', doc: 'largest shortfall of the acknowledged byte rate against the intended one' },
      error_ratio_max: { default: 0, unit: 'ratio', doc: 'largest share of records the broker did not acknowledge' },
    },
    source: REQ,
  },
  {
    id: 'load.pipeline.warmup',
    suite: 'load',
    title: 'The pipeline reaches a steady state at the load rate before the measured window',
    description:
      'A freshly started pipeline is not a fair copy of one that has run for months (cold JVMs take about twice ' +
      'their later CPU), so the run first loads at the base rate, unjudged, until the pipeline is steady: every lag ' +
      'sample of the last steady_s seconds has replication and sink lag at most lag_s. Only then does the measured ' +
      'window start. A warm-up that is not steady within its bound (--warmup, default max_s) is itself a failure: ' +
      'the pipeline cannot keep up even once warm, or something else is wrong.',
    reasons: withRun(['keep_up']),
    thresholds: {
      steady_s: { default: 20, unit: 's', doc: 'how long both lags must stay low before the warm-up ends' },
      lag_s: { default: 5, unit: 's', doc: 'largest replication and sink lag that counts as steady' },
      max_s: { default: 240, unit: 's', doc: 'bound of the warm-up when --warmup is not given (--warmup 0: no warm-up)' },
    },
    source: `${REQ}; warm-up ends on a stated condition, as OpenMessaging Benchmark's warm-up phase`,
  },
  {
    id: 'load.pipeline.replication_lag',
    suite: 'load',
    title: 'Replication keeps up under load',
    description:
      'While loading, the age of the oldest record produced at the Summit but not yet at the LDF (end offsets of ' +
      'the load topics at both clusters, ages from what the generator sent) stays bounded and does not grow.',
    reasons: withRun(['keep_up', 'not_arrived']),
    thresholds: {
      max_s: { default: 15, unit: 's', doc: 'largest replication lag allowed during the measured window' },
      slope_max: { default: 0.1, unit: 's/s', doc: 'largest growth of the lag over the window (least-squares slope)' },
      slope_min_lag_s: { default: 5, unit: 's', doc: 'growth counts only once the lag is at least this large' },
      topic_ready_s: { default: 90, unit: 's', doc: 'how long the replicator may take to create the load topics at the LDF' },
    },
    source: REQ,
  },
  {
    id: 'load.pipeline.sink_lag',
    suite: 'load',
    title: 'The InfluxDB sink keeps up under load',
    description:
      "While loading, the age of the oldest record the sink's consumer group has not committed at the LDF stays " +
      'bounded and does not grow.',
    reasons: withRun(['keep_up']),
    thresholds: {
      max_s: { default: 30, unit: 's', doc: 'largest sink lag allowed during the measured window' },
      slope_max: { default: 0.1, unit: 's/s', doc: 'largest growth of the lag over the window (least-squares slope)' },
      slope_min_lag_s: { default: 5, unit: 's', doc: 'growth counts only once the lag is at least this large' },
      sink_group: { default: 'telegraf-efd', unit: 'name', doc: "consumer group of the InfluxDB sink at the LDF (connect-influxdb-sink for the Connect sink)" },
    },
    source: REQ,
  },
  {
    id: 'load.pipeline.influx_points',
    suite: 'load',
    title: 'InfluxDB ingests points as fast as records are sent',
    description:
      'Points in the load measurements with time in the measured window (InfluxDB time = private_efdStamp = the ' +
      'intended send time), counted shortly after the load ends, match the records sent in that window; after a ' +
      'drain every record is there.',
    reasons: withRun(['keep_up', 'lost']),
    thresholds: {
      ratio_min: { default: 0.99, unit: 'ratio', doc: 'points found / records sent, counted settle_s after the load' },
      settle_s: { default: 10, unit: 's', doc: 'how long after the load the points are counted' },
      drain_s: { default: 60, unit: 's', doc: 'how long the run then waits for the last points' },
    },
    source: REQ,
  },
  {
    id: 'load.pipeline.markers',
    suite: 'load',
    title: 'Markers sent during the load arrive within their SLA',
    description:
      "The replication suite's markers (src/markers), sent every few seconds during the measured window, reach " +
      'InfluxDB within their end-to-end SLA (replication.marker.e2e_latency sla_ms). When they cannot be sent, the ' +
      "load run's own EFD-shaped probe records (one every every_s, 1 s poll) are judged on sla_s instead.",
    reasons: withRun(['late', 'not_arrived']),
    thresholds: {
      sla_s: { default: 30, unit: 's', doc: "largest produce-ack to InfluxDB time of the load run's own probe records (used when the markers cannot run)" },
      every_s: { default: 5, unit: 's', doc: 'interval between markers (and probe records) during the load' },
    },
    source: 'design.md (markers); issue 8',
  },
  {
    id: 'load.ramp.max_rate',
    suite: 'load',
    title: 'Highest rate the pipeline sustains (ramp)',
    description:
      'With --shape ramp the rate rises step by step until a lag grows or exceeds its bound; the highest rate ' +
      'whose step kept up must meet the requirement.',
    reasons: withRun(['capacity']),
    thresholds: {
      required_bytes_per_s: { default: 1.9e6, unit: 'B/s', doc: 'rate the pipeline must sustain (OCS-REQ-0048)' },
    },
    source: REQ,
  },
  {
    id: 'load.cleanup.removed',
    suite: 'load',
    title: 'The load run removed what it wrote',
    description:
      'After the run, the load namespace has no records left at either cluster (or no topics, with ' +
      '--delete-topics), no load measurements in InfluxDB and no load subjects at the Summit registry (when the ' +
      'registry allows deletes).',
    reasons: withRun(['incomplete']),
    source: 'design.md (what a run writes it can remove)',
  },
  {
    id: 'load.k6.influxql_query',
    suite: 'load',
    title: 'InfluxQL query load through the InfluxDB ingress (k6)',
    description:
      'k6 runs suites/load/k6/influxql-query.js: EFD client-style InfluxQL queries (SHOW MEASUREMENTS, field keys, ' +
      'windowed means) at a constant arrival rate through the ingress, with thresholds on errors and latency.',
    reasons: withRun(['skipped', 'capacity']),
    source: 'issue 8 (k6 for the HTTP side)',
  },
  {
    id: 'load.k6.line_protocol_write',
    suite: 'load',
    title: 'Line-protocol writes at 1.9 MB/s through the ingress (k6)',
    description:
      'k6 runs suites/load/k6/line-protocol-write.js: InfluxDB line protocol posted at 1.9 MB/s as an alternative ' +
      'ingest path, with thresholds on the body byte rate, errors and latency; its measurement is dropped afterwards.',
    reasons: withRun(['skipped', 'capacity', 'incomplete']),
    source: 'issue 8 (k6 for the HTTP side)',
  },
];
