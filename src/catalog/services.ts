// Checks of the services themselves: both Kafka clusters, Kafka Connect (MirrorMaker 2), both schema
// registries and InfluxDB. Each judges live facts against the profile and the manifests.
import type { CheckSpec } from './types.ts';

const SIDES = 'Runs once per side (summit, ldf); the finding target names the side.';

export const servicesChecks: CheckSpec[] = [
  // ── Kafka ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'services.kafka.reachable',
    suite: 'services',
    title: 'Kafka answers',
    description: `The cluster's bootstrap servers accept a connection and answer a metadata request. ${SIDES}`,
    reasons: ['connect', 'refused', 'timeout', 'dns', 'unreachable'],
    source: 'design.md (dependency preflight)',
  },
  {
    id: 'services.kafka.brokers',
    suite: 'services',
    title: 'Broker count and controller',
    description: `The cluster reports the expected number of brokers (profile kafka.<side>.brokers) and a controller that is one of them. ${SIDES}`,
    reasons: ['state', 'skipped'],
    source: 'plan (3 brokers per cluster); efd-domain.md §4.5',
  },
  {
    id: 'services.kafka.partitions',
    suite: 'services',
    title: 'No offline or under-replicated partitions',
    description: `Every partition has a leader, no offline replica, and all its replicas in sync. ${SIDES}`,
    reasons: ['state', 'skipped'],
    source: 'Sasquatch monitoring (under-replicated partitions), efd-domain.md §5.1',
  },
  {
    id: 'services.kafka.event_partitions',
    suite: 'services',
    title: 'Event topics have one partition',
    description: `Every \`lsst.sal.<CSC>.logevent_*\` topic has exactly one partition, as SAL requires (ts_xml TopicInfo raises otherwise). ${SIDES}`,
    reasons: ['policy', 'skipped'],
    source: 'efd-domain.md §1.1 (TSXML TopicInfo)',
  },
  // ── Kafka Connect ────────────────────────────────────────────────────────────────────────────
  {
    id: 'services.connect.reachable',
    suite: 'services',
    title: 'Kafka Connect answers',
    description: 'The Connect REST API lists its connectors.',
    reasons: ['connect', 'refused', 'timeout', 'dns', 'unreachable', 'http_status'],
  },
  {
    id: 'services.connect.state',
    suite: 'services',
    title: 'Connectors and tasks RUNNING',
    description:
      'Every live connector and each of its tasks is RUNNING; a FAILED one carries the first lines of its trace in the hint. ' +
      'PAUSED, STOPPED and UNASSIGNED count as not running. One finding per connector.',
    reasons: ['state', 'skipped'],
    source: 'efd-domain.md §5.1 (kafkaconnect status), anchors.md (Connect health)',
  },
  {
    id: 'services.connect.declared',
    suite: 'services',
    title: 'Declared connectors exist',
    description:
      'Every KafkaConnector in the manifests exists live (fail otherwise); a live connector the manifests do not declare is a warning ' +
      '(it runs, but nothing in git says it should).',
    reasons: ['missing', 'drift', 'skipped'],
  },
  {
    id: 'services.connect.drift',
    suite: 'services',
    title: 'Live connector config equals the manifests',
    description:
      'For each declared connector that exists live, the live config (GET /connectors/<name>/config) equals the flat config of the ' +
      "KafkaConnector in the manifests; the finding names every missing, extra and changed key. Connect's own `name` key is ignored. " +
      'Values of secret-looking keys (password, secret, token, credential, sasl.jaas, …key) are masked.',
    reasons: ['drift', 'skipped'],
    source: 'efd-domain.md §5 (connectors drifting from their config)',
  },
  // ── Schema registries ────────────────────────────────────────────────────────────────────────
  {
    id: 'services.registry.reachable',
    suite: 'services',
    title: 'Schema registry answers',
    description: `The registry lists its subjects. ${SIDES}`,
    reasons: ['connect', 'refused', 'timeout', 'dns', 'unreachable', 'http_status', 'auth'],
  },
  {
    id: 'services.registry.parity',
    suite: 'services',
    title: 'Same subjects and schema ids at Summit and LDF',
    description:
      'The set of subjects and, per subject, the latest version and its schema id are the same in both registries ' +
      '(the LDF registry is fed by replication of the Summit registry storage, so its ids must match).',
    reasons: ['parity', 'skipped'],
    thresholds: {
      concurrency: { default: 16, doc: 'parallel requests per registry while reading subjects' },
    },
    source: 'efd-domain.md §6 (replication conformance), SQR-050 (schemas arriving after their topics)',
  },
  {
    id: 'services.registry.compatibility',
    suite: 'services',
    title: 'Compatibility level as configured',
    description:
      'The global compatibility level of each registry is the configured one, and so is the level in force for every subject ' +
      '(GET /config/<subject>?defaultToGlobal=true). The level comes from the profile (threshold `level`, default BACKWARD): the ' +
      'registry is configured at run time, not in the manifests. ' +
      SIDES,
    reasons: ['policy', 'skipped'],
    thresholds: {
      level: { default: 'BACKWARD', doc: 'expected compatibility level (NONE, BACKWARD, FORWARD, FULL, *_TRANSITIVE)' },
      concurrency: { default: 16, doc: 'parallel requests while reading subject-level configs' },
    },
    source: 'ts_salobj check_schema (BACKWARD with -b), efd-domain.md §1.2',
  },
  // ── InfluxDB ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 'services.influxdb.version',
    suite: 'services',
    title: 'InfluxDB answers /ping with a supported version',
    description: 'GET /ping answers 204 with an X-Influxdb-Version header of at least the minimum version (1.x API, InfluxQL).',
    reasons: ['connect', 'refused', 'timeout', 'dns', 'unreachable', 'http_status', 'policy'],
    thresholds: {
      min_version: { default: '1.8.0', doc: 'lowest accepted InfluxDB version (LDF ran 1.8.5)' },
    },
    source: 'efd-domain.md §4.1 (image influxdb:1.8.5)',
  },
  {
    id: 'services.influxdb.auth',
    suite: 'services',
    title: 'Read-only user accepted, anonymous refused',
    description:
      'A query with the read-only credentials (profile influxdb.read) succeeds, and the same query without credentials is refused with HTTP 401.',
    reasons: ['auth', 'skipped', 'connect', 'refused', 'timeout', 'unreachable'],
    source: 'efd-domain.md §4.1 (http.auth_enabled: true, efdreader user)',
  },
  {
    id: 'services.influxdb.database',
    suite: 'services',
    title: 'Database exists',
    description: 'The profile\'s database (efd) is listed by SHOW DATABASES for the read-only user.',
    reasons: ['missing', 'auth', 'skipped', 'connect', 'refused', 'timeout', 'unreachable'],
  },
  {
    id: 'services.influxdb.retention',
    suite: 'services',
    title: 'Retention as in the manifests',
    description:
      'The duration of the default retention policy of the database (SHOW RETENTION POLICIES) equals the one the manifests declare ' +
      '(CREATE DATABASE … WITH DURATION / CREATE RETENTION POLICY … DEFAULT in a ConfigMap `.iql` key).',
    reasons: ['drift', 'missing', 'auth', 'skipped', 'connect', 'refused', 'timeout', 'unreachable'],
    source: 'plan (6-month mid-term retention at LDF)',
  },
  // ── Phase 2: roll-ups and long-term retention (skips when the manifests declare no CQ) ──────────
  {
    id: 'services.influxdb.cq',
    suite: 'services',
    title: 'Continuous queries as declared',
    description:
      'Every continuous query the manifests\' `.iql` init scripts create exists live (SHOW CONTINUOUS QUERIES, admin credentials) with the ' +
      'declared meaning: RESAMPLE EVERY/FOR, GROUP BY time and tags, SELECT list, INTO and FROM (quoting and spacing aside). Drift names each ' +
      'difference. A live CQ the manifests do not declare, on a database they declare CQs for, warns. Skips when phase 2 is not declared.',
    reasons: ['missing', 'drift', 'skipped', 'auth', 'connect', 'refused', 'timeout', 'unreachable'],
    source: 'plan phase 2 (downsampling and data roll-up); InfluxDB 1.8 cannot alter a CQ, only drop and create it',
  },
  {
    id: 'services.influxdb.rollup_freshness',
    suite: 'services',
    title: 'Roll-ups keep up with the raw data',
    description:
      'For every measurement a declared CQ reads (its FROM, regex expanded with SHOW MEASUREMENTS) that has a raw point in the window: ' +
      'the oldest raw point after the newest rolled-up bucket must not wait more than RESAMPLE EVERY + slack_s after the end of its own ' +
      'bucket (the CQ\'s first run after that end covers it). Judged on the oldest uncovered point, not the newest, so a sparse event ' +
      'topic that just published is not stale and a stalled roll-up is. One finding per CQ.',
    reasons: ['stale', 'skipped', 'auth', 'connect', 'refused', 'timeout', 'unreachable'],
    thresholds: {
      slack_s: { default: 30, unit: 's', doc: 'allowance beyond one CQ interval (the CQ runs just after each boundary; the sink lags a little)' },
      window_s: { default: 600, unit: 's', doc: 'how far back the newest raw and rolled-up points are looked for' },
    },
    source: 'plan phase 2 (aggregator, data roll-up)',
  },
  {
    id: 'services.influxdb.rollup_correctness',
    suite: 'services',
    title: 'Roll-ups equal the aggregate of the raw points',
    description:
      'For the newest bucket no later CQ run recomputes (last interval boundary − RESAMPLE FOR), a sample of the measurements is recomputed ' +
      'with the CQ\'s own SELECT list from the raw points and compared with the row the CQ wrote, column by column: ' +
      '|stored − recomputed| ≤ abs_tolerance + rel_tolerance × |recomputed|. A missing row or column is a mismatch. Measurements rotate ' +
      'from one bucket to the next.',
    reasons: ['mismatch', 'skipped', 'auth', 'connect', 'refused', 'timeout', 'unreachable'],
    thresholds: {
      sample_measurements: { default: 3, doc: 'measurements recomputed per CQ and run' },
      rel_tolerance: { default: 1e-9, doc: 'relative tolerance (floating-point summation order)' },
      abs_tolerance: { default: 1e-9, doc: 'absolute tolerance' },
    },
    source: 'plan phase 2 (downsampling and data roll-up)',
  },
  {
    id: 'services.influxdb.retention_tiers',
    suite: 'services',
    title: 'Retention tiers as declared, and expired data gone',
    description:
      'Every retention policy the manifests declare on a database with CQs (raw and roll-up tiers) exists with its declared duration (the ' +
      'default policy\'s duration is services.influxdb.retention\'s finding, not repeated here); and no ' +
      'point older than duration + the policy\'s shard group duration + enforcement_slack_s is left (InfluxDB drops whole shard groups, ' +
      'every 30 min). One finding per policy.',
    reasons: ['missing', 'drift', 'policy', 'skipped', 'auth', 'connect', 'refused', 'timeout', 'unreachable'],
    thresholds: {
      enforcement_slack_s: { default: 3600, unit: 's', doc: 'time the retention service may take beyond duration + shard group (its check-interval is 30 min)' },
    },
    source: 'plan phase 2 (store data from InfluxDB for 10 years); plan phase 1 (6-month mid-term retention)',
  },
  {
    id: 'services.influxdb.tier_capacity',
    suite: 'services',
    title: 'Storage per retention tier against the budget',
    description:
      'Beside data.capacity.requirement: at the OCS-REQ-0048 rate, each tier holds rate × its share × its duration, the raw tier a share ' +
      'of 1 and a roll-up tier the ratio of values it keeps to raw values, measured over one sampled bucket (values, not bytes: an ' +
      'estimate). The sum against the budget: a shortfall warns while `accepted` (phase 1 accepts the raw tier\'s), fails otherwise.',
    reasons: ['capacity', 'skipped', 'auth', 'connect', 'refused', 'timeout', 'unreachable'],
    thresholds: {
      rate_bytes_per_s: { default: 1.9e6, unit: 'bytes/s', doc: 'OCS-REQ-0048 long-term mean ingest rate' },
      budget_bytes: { default: 4e12, unit: 'bytes', doc: 'storage budget for all tiers (plan: 4 TB; phase 2 defines none yet)' },
      accepted: { default: true, doc: 'a shortfall is accepted: warn instead of fail' },
    },
    source: 'OCS-REQ-0048; plan phase 2 (10 years of EFD data)',
  },
  // ── Replicator licence ─────────────────────────────────────────────────────────────────────────
  {
    id: 'services.connect.licence',
    suite: 'services',
    title: 'Confluent Replicator licence not expiring',
    description:
      'For each live connector whose class is Confluent Replicator (io.confluent.connect.replicator.*): its `confluent.license` JWT is ' +
      'decoded (the signature is not verified: the key is Confluent\'s) for `exp`; without a licence the 30-day trial started when the ' +
      'connector was created, the timestamp of its first record in Connect\'s config topic (read from the LDF broker). Warns warn_days ' +
      'before expiry, fails after. Other connectors are not Confluent\'s and need no licence: a skip, with the creation time looked up ' +
      'all the same as evidence.',
    reasons: ['licence_expiring', 'licence_expired', 'schema', 'missing', 'skipped', 'connect', 'refused', 'timeout', 'unreachable', 'http_status'],
    thresholds: {
      warn_days: { default: 14, unit: 'days', doc: 'warn this many days before the licence or trial ends' },
      trial_days: { default: 30, unit: 'days', doc: 'length of the Replicator trial without a licence key' },
    },
    source: 'plan: "Figure out license with Confluent to run the Replicator connector after the trial period"',
  },
];
