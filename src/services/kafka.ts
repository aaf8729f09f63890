// Judging Kafka cluster facts: broker count and controller, partition health, SAL's one-partition rule.
import type { PartitionMeta, TopicMeta } from '../probes/kafka-batch.ts';

/** SAL event topics: `lsst.sal.<CSC>.logevent_<name>` (ts_xml TopicInfo requires one partition). */
export const EVENT_TOPIC = /^lsst\.sal\.[^.]+\.logevent_[^.]+$/;

export interface BrokerVerdict {
  ok: boolean;
  problems: string[];
}

export function judgeBrokers(facts: { brokers: Array<{ nodeId: number }>; controller: number | null }, expected?: number): BrokerVerdict {
  const problems: string[] = [];
  const n = facts.brokers.length;
  if (expected !== undefined && n !== expected) problems.push(`${n} broker${n === 1 ? '' : 's'} answer, ${expected} expected`);
  if (facts.controller === null || facts.controller === undefined || facts.controller < 0) problems.push('no controller is known');
  else if (!facts.brokers.some((b) => b.nodeId === facts.controller))
    problems.push(`the controller (node ${facts.controller}) is not among the brokers`);
  return { ok: problems.length === 0, problems };
}

export interface PartitionProblem {
  topic: string;
  partition: number;
  problem: 'offline' | 'under_replicated';
  detail: string;
}

export function partitionProblem(topic: string, p: PartitionMeta): PartitionProblem | undefined {
  if (p.leader === null || p.leader === undefined || p.leader < 0)
    return { topic, partition: p.partition, problem: 'offline', detail: 'no leader' };
  if (p.offlineReplicas.length)
    return { topic, partition: p.partition, problem: 'offline', detail: `offline replicas ${p.offlineReplicas.join(',')}` };
  if (p.isr.length < p.replicas.length)
    return { topic, partition: p.partition, problem: 'under_replicated', detail: `isr ${p.isr.length} of ${p.replicas.length} replicas` };
  return undefined;
}

export function partitionProblems(topics: TopicMeta[]): PartitionProblem[] {
  return topics.flatMap((t) => t.partitions.map((p) => partitionProblem(t.name, p)).filter((x): x is PartitionProblem => !!x));
}

/** Event topics with a partition count other than 1. */
export function eventPartitionViolations(topics: TopicMeta[]): Array<{ topic: string; partitions: number }> {
  return topics.filter((t) => EVENT_TOPIC.test(t.name) && t.partitions.length !== 1).map((t) => ({ topic: t.name, partitions: t.partitions.length }));
}

/** "a, b, c and 12 more" */
export function listSome(items: string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
