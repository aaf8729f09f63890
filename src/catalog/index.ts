// Every check id, in one place, so `list`, `explain`, profile validation and the sink agree.
import { clusterChecks } from './cluster.ts';
import { dataChecks } from './data.ts';
import { ingressChecks } from './ingress.ts';
import { loadChecks } from './load.ts';
import { manifestsChecks } from './manifests.ts';
import { replicationChecks } from './replication.ts';
import { servicesChecks } from './services.ts';
import type { CheckSpec } from './types.ts';

export * from './types.ts';

export const CHECKS: readonly CheckSpec[] = [
  ...replicationChecks, ...ingressChecks, ...servicesChecks, ...dataChecks, ...loadChecks, ...manifestsChecks, ...clusterChecks,
];

const byId = new Map(CHECKS.map((c) => [c.id, c]));

export function getCheck(id: string): CheckSpec | undefined {
  return byId.get(id);
}
