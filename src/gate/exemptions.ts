// Exemptions, as narrow as their reason: the annotation
//   efd-health.lsst.io/exempt-<rule id>: |
//     keys: [<finding key>, …]
//     reason: <written reason>
// on the object a finding is about (for chart-rendered facts: the Application that installs the chart)
// excuses only the findings of that rule on that object whose keys are all listed. Any other finding of
// the rule on the object still fails, and a listed key that excuses nothing is stale (a finding itself).
import { parse } from 'yaml';
import { InputError } from '../errors.ts';
import { displayPath, type ManifestObject, type YamlPath } from '../model/manifest-set.ts';
import type { Hit } from './types.ts';

export const EXEMPT_PREFIX = 'efd-health.lsst.io/exempt-';

/** Rules that judge the exemptions or the schema cannot themselves be exempted. */
export const NOT_EXEMPTABLE = ['manifests.exemptions.reason', 'manifests.exemptions.stale', 'manifests.schema.valid'];

/** A reason shorter than this is not a written reason. */
export const MIN_REASON = 10;

export interface Exemption {
  object: ManifestObject;
  /** the annotation key */
  annotation: string;
  rule: string;
  keys: string[];
  reason: string;
  /** keys that excused at least one finding in this run */
  used: Set<string>;
}

/** `spec.rules[0].host`: the default key of a finding that names no value of its own. */
export function pathKey(path: YamlPath): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : String(k)), '') || '(object)';
}

/** The keys of a finding: the values it names, else the key path it points at. */
export function findingKeys(hit: Hit): string[] {
  return hit.keys?.length ? hit.keys : [pathKey(hit.origin?.path ?? [])];
}

function malformed(mo: ManifestObject, annotation: string, why: string): InputError {
  const line = mo.lineAt(['metadata', 'annotations', annotation]);
  return new InputError(`${displayPath(mo.abs)}:${line}: annotation ${annotation} of ${mo.ref} ${why}; write it as YAML "keys: [<finding key>, …]" and "reason: <why>"`);
}

/** The exemption annotations of one object. A value that is not the keys/reason mapping is invalid input. */
export function parseExemptions(mo: ManifestObject): Exemption[] {
  const out: Exemption[] = [];
  for (const [annotation, raw] of Object.entries(mo.object.metadata.annotations ?? {})) {
    if (!annotation.startsWith(EXEMPT_PREFIX)) continue;
    const rule = annotation.slice(EXEMPT_PREFIX.length);
    let value: unknown;
    try {
      value = String(raw ?? '').trim() ? parse(String(raw)) : {};
    } catch (e) {
      throw malformed(mo, annotation, `is not YAML (${(e as Error).message.split('\n')[0]})`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw malformed(mo, annotation, 'is not a mapping');
    const v = value as Record<string, unknown>;
    const extra = Object.keys(v).filter((k) => k !== 'keys' && k !== 'reason');
    if (extra.length) throw malformed(mo, annotation, `has unknown field ${extra.join(', ')}`);
    if (v.keys !== undefined && v.keys !== null && (!Array.isArray(v.keys) || v.keys.some((k) => k === null || typeof k === 'object'))) {
      throw malformed(mo, annotation, 'has keys that are not a list of values');
    }
    if (v.reason !== undefined && v.reason !== null && typeof v.reason !== 'string') throw malformed(mo, annotation, 'has a reason that is not text');
    out.push({
      object: mo, annotation, rule,
      keys: ((v.keys as unknown[] | null) ?? []).map((k) => String(k).trim()),
      reason: String(v.reason ?? '').trim(), used: new Set(),
    });
  }
  return out;
}

/** Only an exemption of a known rule with keys and a written reason excuses anything. */
export function isValid(e: Exemption, ruleIds: string[]): boolean {
  return ruleIds.includes(e.rule) && !NOT_EXEMPTABLE.includes(e.rule) && e.keys.length > 0 && e.reason.length >= MIN_REASON;
}

/**
 * The exemption that excuses this finding (every key of the finding listed), marking the keys it used;
 * undefined when the finding stands.
 */
export function exemptionFor(exemptions: Exemption[], ruleIds: string[], rule: string, hit: Hit): Exemption | undefined {
  const mo = hit.origin?.object;
  if (!mo) return undefined;
  const keys = findingKeys(hit);
  const e = exemptions.find((x) => x.object === mo && x.rule === rule && isValid(x, ruleIds) && keys.every((k) => x.keys.includes(k)));
  if (e) for (const k of keys) e.used.add(k);
  return e;
}
