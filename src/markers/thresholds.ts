// The replication suite's thresholds, resolved once per run: the profile's override, else the catalog default.
import { thresholdOf } from '../catalog/index.ts';
import type { Profile } from '../config/types.ts';

export interface MarkerThresholds {
  replicationSlaMs: number;
  topicWaitMs: number;
  e2eSlaMs: number;
  deadlineMs: number;
  pollIntervalMs: number;
  ldfSchemaWaitMs: number;
  maxDuplicates: number;
  timeToleranceUs: number;
  jmxToleranceMs: number;
  jmxTimeoutMs: number;
}

const value = (profile: Profile, id: string, name: string) => Number(thresholdOf(profile.thresholds, id, name));

export function markerThresholds(profile: Profile): MarkerThresholds {
  return {
    replicationSlaMs: value(profile, 'replication.marker.replication_hop', 'sla_ms'),
    topicWaitMs: value(profile, 'replication.marker.replication_hop', 'topic_wait_ms'),
    e2eSlaMs: value(profile, 'replication.marker.e2e_latency', 'sla_ms'),
    deadlineMs: value(profile, 'replication.marker.e2e_latency', 'deadline_ms'),
    // the issue bounds the resolution: never poll slower than every 50 ms while markers are in flight
    pollIntervalMs: Math.min(50, value(profile, 'replication.marker.sink_hop', 'poll_interval_ms')),
    ldfSchemaWaitMs: value(profile, 'replication.preflight.schema', 'ldf_wait_ms'),
    maxDuplicates: value(profile, 'replication.marker.duplicates', 'max'),
    timeToleranceUs: value(profile, 'replication.marker.influx_time', 'tolerance_us'),
    jmxToleranceMs: value(profile, 'replication.marker.mm2_crosscheck', 'tolerance_ms'),
    jmxTimeoutMs: value(profile, 'replication.marker.mm2_crosscheck', 'timeout_ms'),
  };
}
