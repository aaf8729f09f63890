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

/** A threshold: the profile's `thresholds.<check id>.<name>` override, else the catalog default. The one
 * resolver every area uses; a name the catalog does not declare is a bug, not input. */
export function thresholdOf(thresholds: Record<string, Record<string, number | string | boolean>> | undefined, checkId: string, name: string): number | string | boolean {
  const spec = getCheck(checkId)?.thresholds?.[name];
  if (!spec) throw new Error(`threshold ${name} is not declared for ${checkId} in the catalog`);
  return thresholds?.[checkId]?.[name] ?? spec.default;
}
