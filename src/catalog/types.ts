import type { Reason } from '../report/finding.ts';

export const SUITES = ['replication', 'ingress', 'services', 'data', 'load', 'manifests', 'cluster'] as const;
export type SuiteName = (typeof SUITES)[number];

export interface Threshold {
  default: number | string | boolean;
  unit?: string;
  doc: string;
}

/** What `efd-health list` and `explain` show, and what a profile may tune under `thresholds.<id>`. */
export interface CheckSpec {
  id: string;
  suite: SuiteName;
  title: string;
  description: string;
  /** The reasons this check can fail with. */
  reasons: Reason[];
  thresholds?: Record<string, Threshold>;
  /** Where the requirement comes from (the plan, OCS-REQ-0048, design.md …). */
  source?: string;
}
