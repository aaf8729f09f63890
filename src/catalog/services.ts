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
];
