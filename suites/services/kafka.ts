// Services suite, Kafka: both clusters reachable, broker count and controller, partition health, and
// SAL's one-partition rule for event topics. Facts are gathered once per side and shared by the checks.
import { check, nothingToJudge, type Outcome } from '../../src/suite.ts';
import { runContext } from '../../src/context.ts';
import { describeCluster, describeTopics, type ClusterFacts, type TopicFacts } from '../../src/probes/kafka.ts';
import { EVENT_TOPIC, eventPartitionViolations, judgeBrokers, listSome, partitionProblems } from '../../src/services/kafka.ts';
import { errorOutcome, skipBecause } from '../../src/services/outcome.ts';

const { profile } = runContext();
const SIDES = ['summit', 'ldf'] as const;
type Side = (typeof SIDES)[number];

interface SideFacts {
  cluster: ClusterFacts;
  topics: TopicFacts[];
  ms: number;
}

const gathered = new Map<Side, Promise<SideFacts>>();
function facts(side: Side): Promise<SideFacts> {
  let p = gathered.get(side);
  if (!p) {
    const { bootstrap } = profile.kafka[side];
    p = (async () => {
      const t0 = performance.now();
      const cluster = await describeCluster(bootstrap, profile.timeout_ms);
      const topics = await describeTopics(bootstrap, profile.timeout_ms);
      return { cluster, topics, ms: performance.now() - t0 };
    })();
    gathered.set(side, p);
  }
  return p;
}

/** Runs judge per side; a side whose facts could not be gathered is skipped (services.kafka.reachable says why). */
async function perSide(judge: (side: Side, f: SideFacts) => Outcome): Promise<Outcome[]> {
  return Promise.all(
    SIDES.map(async (side) => {
      const target = `kafka-${side}`;
      try {
        return { ...judge(side, await facts(side)), target };
      } catch {
        return skipBecause('services.kafka.reachable', `Kafka ${side} could not be read`, target);
      }
    }),
  );
}

check('services.kafka.reachable', async () =>
  Promise.all(
    SIDES.map(async (side): Promise<Outcome> => {
      const target = `kafka-${side}`;
      try {
        const f = await facts(side);
        return {
          target,
          status: 'pass',
          reason: 'ok',
          message: `Kafka ${side} (${profile.kafka[side].bootstrap.join(',')}) answered: cluster ${f.cluster.clusterId}, ${f.topics.length} topics.`,
          measurements: { latency_ms: Math.round(f.ms), topics: f.topics.length },
        };
      } catch (e) {
        return { ...errorOutcome(e, target), status: 'fail', hint: `Is the ${side} cluster up, and is ${profile.kafka[side].bootstrap.join(',')} reachable from this vantage point?` };
      }
    }),
  ),
);

check('services.kafka.brokers', () =>
  perSide((side, f) => {
    const expected = profile.kafka[side].brokers;
    const v = judgeBrokers(f.cluster, expected);
    const measurements = { brokers: f.cluster.brokers.length, ...(expected !== undefined ? { brokers_expected: expected } : {}) };
    const evidence = { brokers: f.cluster.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`), controller: f.cluster.controller };
    if (!v.ok)
      return {
        status: 'fail',
        reason: 'state',
        message: `Kafka ${side}: ${v.problems.join('; ')}.`,
        hint: 'A broker is down or has left the cluster; compare with profile kafka.' + side + '.brokers.',
        measurements,
        evidence,
      };
    return {
      status: 'pass',
      reason: 'ok',
      message: `Kafka ${side}: ${f.cluster.brokers.length} broker(s)${expected !== undefined ? ' as expected' : ''}, controller node ${f.cluster.controller}.`,
      measurements,
      evidence,
    };
  }),
);

check('services.kafka.partitions', () =>
  perSide((side, f) => {
    const problems = partitionProblems(f.topics);
    const partitions = f.topics.reduce((a, t) => a + t.partitions.length, 0);
    const offline = problems.filter((p) => p.problem === 'offline');
    const under = problems.filter((p) => p.problem === 'under_replicated');
    const measurements = { partitions, partitions_offline: offline.length, partitions_under_replicated: under.length };
    const evidence = { problems: problems.slice(0, 50).map((p) => `${p.topic}:${p.partition} ${p.problem} (${p.detail})`) };
    if (problems.length)
      return {
        status: 'fail',
        reason: 'state',
        message: `Kafka ${side}: ${offline.length} offline and ${under.length} under-replicated of ${partitions} partitions (${listSome(
          problems.map((p) => `${p.topic}:${p.partition}`),
          3,
        )}).`,
        hint: 'A broker holding replicas is down or lagging; look at the brokers (services.kafka.brokers) and their logs.',
        measurements,
        evidence,
      };
    return { status: 'pass', reason: 'ok', message: `Kafka ${side}: all ${partitions} partitions have a leader and in-sync replicas.`, measurements };
  }),
);

check('services.kafka.event_partitions', () =>
  perSide((side, f) => {
    const bad = eventPartitionViolations(f.topics);
    const events = f.topics.filter((t) => EVENT_TOPIC.test(t.name)).length;
    const measurements = { event_topics: events, event_topics_bad: bad.length };
    if (bad.length)
      return {
        status: 'fail',
        reason: 'policy',
        message: `Kafka ${side}: ${bad.length} of ${events} event topics do not have exactly one partition: ${listSome(
          bad.map((b) => `${b.topic} (${b.partitions})`),
          3,
        )}.`,
        hint: 'SAL requires one partition per event topic (ts_xml TopicInfo); recreate the topic with one partition, and check num.partitions / the producer that created it.',
        measurements,
        evidence: { topics: bad.slice(0, 50) },
      };
    if (!events) return nothingToJudge(`Kafka ${side} has no SAL event topic (logevent_*, command_*, ackcmd)`, { measurements });
    return { status: 'pass', reason: 'ok', message: `Kafka ${side}: all ${events} event topics have one partition.`, measurements };
  }),
);
