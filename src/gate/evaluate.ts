// The gate's three steps on one manifests folder: load (malformed YAML, unknown kind → InputError),
// build the deployment model, then run every rule of rules.yaml (schema, plan, cross-object) and sort each
// finding into a violation or, when the object carries a reasoned exemption, an exemption.
import { buildDeployment } from '../model/deployment.ts';
import { displayPath, loadManifestSet } from '../model/manifest-set.ts';
import { findProfile, makeAppOf } from './context.ts';
import { exemptionReason } from './exemptions.ts';
import { loadRules } from './rules.ts';
import { assertKnownKinds } from './schema.ts';
import { TEMPLATES } from './templates/index.ts';
import type { GateContext, GateResult, Violation } from './types.ts';

/** `overrides` replaces scalar rule parameters: { '<rule id>': { '<param>': value } } (profile thresholds). */
export function evaluateGate(dir: string, overrides: Record<string, Record<string, unknown>> = {}): GateResult {
  const started = performance.now();
  const set = loadManifestSet(dir);
  assertKnownKinds(set);
  const d = buildDeployment(set);
  const rules = loadRules();
  const ctx: GateContext = { d, profile: findProfile(d), appOf: makeAppOf(d), ruleIds: rules.map((r) => r.id) };
  // findings that belong to no single object point at the root Application (or the first object)
  const anchor = set.objects.find((o) => o.object.kind === 'Application' && !o.file.includes('/')) ?? set.objects[0];
  const violations: Violation[] = [];
  const exemptions: Violation[] = [];
  for (const rule of rules) {
    const template = TEMPLATES[rule.template];
    if (!template) throw new Error(`rule ${rule.id} names template ${rule.template}, which does not exist`);
    for (const hit of template(ctx, { ...rule.params, ...(overrides[rule.id] ?? {}) })) {
      const mo = hit.origin?.object ?? anchor;
      const v: Violation = {
        rule: rule.id, message: hit.message, file: displayPath(mo.abs),
        line: hit.line ?? (hit.origin ? mo.lineAt(hit.origin.path) : mo.line), object: hit.origin ? mo.ref : undefined,
      };
      const reason = exemptionReason(hit.origin?.object, rule.id);
      if (reason) exemptions.push({ ...v, exempted: reason });
      else violations.push(v);
    }
  }
  return {
    root: set.root, files: set.files.length, objects: set.objects.length, rules, violations, exemptions,
    duration_ms: Math.round(performance.now() - started),
  };
}
