// Exemptions, kube-linter style: `efd-health.lsst.io/exempt-<rule id>: "<written reason>"` on the object a
// finding is about (for chart-rendered facts: the Application that installs the chart).
import type { ManifestObject } from '../model/manifest-set.ts';

export const EXEMPT_PREFIX = 'efd-health.lsst.io/exempt-';

/** Rules that judge the exemptions or the schema cannot themselves be exempted. */
export const NOT_EXEMPTABLE = ['manifests.exemptions.reason', 'manifests.schema.valid'];

export function exemptionReason(mo: ManifestObject | undefined, rule: string): string | undefined {
  if (!mo || NOT_EXEMPTABLE.includes(rule)) return undefined;
  const reason = mo.object.metadata.annotations?.[`${EXEMPT_PREFIX}${rule}`];
  // a blank reason does not exempt (and manifests.exemptions.reason reports it)
  return reason !== undefined && String(reason).trim().length >= 10 ? String(reason).trim() : undefined;
}
