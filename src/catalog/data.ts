// Checks of the data itself, per `lsst.sal.*` topic: is every topic everywhere, fresh, complete, is the
// sink keeping up, and how long does the storage last. Built to run over 2000+ topics in one pass.
import type { CheckSpec } from './types.ts';

/** SAL telemetry topics: neither events, commands nor acks. They publish continuously while a CSC runs. */
export const TELEMETRY_TOPICS = '^lsst\\.sal\\.[^.]+\\.(?!logevent_|command_|ackcmd$)[^.]+$';

export const dataChecks: CheckSpec[] = [
  {
    id: 'data.topics.coverage',
    suite: 'data',
    title: 'Every topic at Summit, at LDF and in InfluxDB',
    description:
      'Each topic in scope that holds records at the Summit exists at LDF Kafka and has a measurement in InfluxDB (SHOW MEASUREMENTS); ' +
      'the finding lists what is missing where. A topic whose oldest record is younger than grace_s is counted as pending, not missing. ' +
      'The scope thresholds here (topics, exclude) apply to every data check; the suite\'s own marker topic and load topics ' +
      '(profile markers.topic and load.topic_prefix) are always left out.',
    reasons: ['missing', 'skipped', 'connect', 'refused', 'timeout', 'unreachable', 'auth', 'internal'],
    thresholds: {
      topics: { default: '^lsst\\.sal\\.', doc: 'regex of the topics every data check covers' },
      exclude: { default: '', doc: 'regex of topics left out of every data check (empty: none besides the suite\'s own)' },
      grace_s: { default: 120, unit: 's', doc: 'a topic younger than this may still be on its way through replication and the sink' },
    },
    source: 'efd-domain.md §5 (missing data in InfluxDB), §6',
  },
  {
    id: 'data.freshness.source',
    suite: 'data',
    title: 'Live topics still receive records at the Summit',
    description:
      'For topics expected to publish continuously (live_topics: SAL telemetry by default; events and commands are sporadic by nature), ' +
      'the newest record at the Summit is at most max_age_s old. A stale topic means its producer stopped.',
    reasons: ['stale', 'skipped'],
    thresholds: {
      max_age_s: { default: 3600, unit: 's', doc: 'oldest acceptable newest record of a live topic' },
      live_topics: { default: TELEMETRY_TOPICS, doc: 'regex of topics expected to publish continuously' },
    },
    source: 'Chronograf deadman alerts (SASQ alerts.rst)',
  },
  {
    id: 'data.freshness.sink',
    suite: 'data',
    title: 'InfluxDB holds each topic\'s newest data',
    description:
      'Per topic, the newest point in InfluxDB (SELECT last(private_efdStamp) FROM /^lsst\\.sal\\./, one series per measurement) is at ' +
      'most max_gap_s older than the newest record at the Summit (the timestamp of its last offset).',
    reasons: ['stale', 'skipped'],
    thresholds: {
      max_gap_s: { default: 60, unit: 's', doc: 'largest accepted gap between the Summit\'s newest record and InfluxDB\'s newest point' },
    },
  },
  {
    id: 'data.completeness.window',
    suite: 'data',
    title: 'Records at the Summit all reached InfluxDB',
    description:
      'Over the window [now − settle_s − window_s, now − settle_s], records at the Summit (difference of offsets found by timestamp) ' +
      'against points in InfluxDB (count(private_efdStamp) per measurement), as a ratio per topic. Topics the sink has not yet consumed past ' +
      'the window end are counted as pending (data.sink.lag judges them); topics missing somewhere are left to data.topics.coverage.',
    reasons: ['incomplete', 'skipped', 'timeout'],
    thresholds: {
      window_s: { default: 3600, unit: 's', doc: 'length of the window' },
      settle_s: { default: 30, unit: 's', doc: 'how far before now the window ends, so records in flight are not counted' },
      min_ratio: { default: 0.999, doc: 'lowest accepted points/records ratio per topic' },
      query_timeout_s: { default: 30, unit: 's', doc: 'deadline of the InfluxDB count query over all measurements' },
    },
    source: 'efd-domain.md §5.3 (repairer connector recovering lost records)',
  },
  {
    id: 'data.sink.lag',
    suite: 'data',
    title: 'Sink consumer keeps up (Burrow-like status)',
    description:
      'The sink consumer group\'s committed offsets against the LDF end offsets, sampled `samples` times `interval_ms` apart, give a ' +
      'status per partition as Burrow does: OK (lag ≤ allowed_lag in some sample, or lag shrinking), WARN (offsets move and lag grows between ' +
      'every two samples), STALL (group active, offsets still, lag > 0), STOP (no active member, offsets still, lag > 0), REWIND (offsets went ' +
      'back). Time lag = age of the oldest unconsumed record. Fails on STALL, STOP, REWIND or a time lag over max_lag_s; warns on WARN once the time lag reaches warn_min_lag_s.',
    reasons: ['lag', 'skipped'],
    thresholds: {
      group: { default: 'telegraf-efd', doc: 'consumer group of the InfluxDB sink at LDF' },
      samples: { default: 3, doc: 'offset samples taken during the check' },
      interval_ms: { default: 2000, unit: 'ms', doc: 'time between samples' },
      allowed_lag: { default: 0, unit: 'records', doc: 'lag per partition counted as caught up' },
      max_lag_s: { default: 300, unit: 's', doc: 'largest accepted age of the oldest unconsumed record' },
      warn_min_lag_s: { default: 5, unit: 's', doc: 'WARN (lag growing in every sample) warns only once the oldest unconsumed record is this old: a live stream\'s lag wobbles' },
    },
    source: 'anchors.md (Burrow evaluation rules), efd-domain.md §5.1 (sink consumer lag)',
  },
  {
    id: 'data.capacity.days_left',
    suite: 'data',
    title: 'Storage budget against the observed ingest rate',
    description:
      'Ingest rate over the window = Σ over Summit topics of (records in the window × mean record size of a tail sample), i.e. Avro ' +
      'payload bytes as produced, before InfluxDB\'s compression and index; used storage from SHOW STATS (shard diskBytes) when the ' +
      'admin credentials are available. With the retention the manifests declare, the data either levels off below the budget (pass) ' +
      'or fills it in days_left days: fail below min_days_left, warn below warn_days_left, pass beyond.',
    reasons: ['capacity', 'skipped'],
    thresholds: {
      window_s: { default: 3600, unit: 's', doc: 'window over which the ingest rate is observed' },
      budget_bytes: { default: 4e12, unit: 'bytes', doc: 'storage budget (plan: 4 TB for Kafka and InfluxDB at LDF, phase 1)' },
      min_days_left: { default: 30, unit: 'days', doc: 'fewer days until the budget is full fail the check' },
      warn_days_left: { default: 365, unit: 'days', doc: 'fewer days until the budget is full warn' },
    },
    source: 'plan: 4 TB mid-term storage, 6-month retention',
  },
  {
    id: 'data.capacity.requirement',
    suite: 'data',
    title: 'OCS-REQ-0048 projection against the budget',
    description:
      'The requirement\'s mean ingest rate (1.9 MB/s) over the retention period (6 months) against the storage budget: ' +
      '1.9e6 B/s × 86400 s × 182.5 d ≈ 30 TB against 4 TB. The plan accepts the shortfall for phase 1 (few subsystems operate), ' +
      'so a shortfall warns while `accepted` is true and fails when it is false.',
    reasons: ['capacity'],
    thresholds: {
      rate_bytes_per_s: { default: 1.9e6, unit: 'bytes/s', doc: 'OCS-REQ-0048 long-term mean ingest rate (MB = 10^6 bytes)' },
      period_days: { default: 182.5, unit: 'days', doc: 'retention period the storage must hold (plan: 6 months)' },
      budget_bytes: { default: 4e12, unit: 'bytes', doc: 'storage budget (plan: 4 TB)' },
      accepted: { default: true, doc: 'the shortfall is accepted (plan, phase 1): warn instead of fail' },
    },
    source: 'OCS-REQ-0048; plan §Storage',
  },
];
