// The gate's steps on one manifests folder: load (malformed YAML, unknown kind, malformed exemption →
// InputError), build the deployment model, run every rule of rules.yaml (schema, plan, API-server
// semantics, cross-object) and sort each finding into a violation or, when an exemption of its object
// lists all its keys, an exemption. Rules about the exemptions themselves run last, on that outcome.
import { buildDeployment } from '../model/deployment.ts';
import { displayPath, loadManifestSet } from '../model/manifest-set.ts';
import { findProfile, makeAppOf } from './context.ts';
import { exemptionFor, findingKeys, parseExemptions } from './exemptions.ts';
import { loadRules } from './rules.ts';
import { assertKnownKinds } from './schema.ts';
import { TEMPLATES } from './templates/index.ts';
import type { GateContext, GateResult, RuleSpec, Violation } from './types.ts';

/** Templates that judge the other rules' outcome (which exemption keys were used) run after them. */
const AFTER_FINDINGS = new Set(['exemption_stale']);

/** `overrides` replaces scalar rule parameters: { '<rule id>': { '<param>': value } } (profile thresholds). */
export function evaluateGate(dir: string, overrides: Record<string, Record<string, unknown>> = {}): GateResult {
  const started = performance.now();
  const set = loadManifestSet(dir);
  assertKnownKinds(set);
  const exemptions = set.objects.flatMap(parseExemptions);
  const d = buildDeployment(set);
  const rules = loadRules();
  const ctx: GateContext = { d, profile: findProfile(d), appOf: makeAppOf(d), ruleIds: rules.map((r) => r.id), exemptions };
  // findings that belong to no single object point at the root Application (or the first object)
  const anchor = set.objects.find((o) => o.object.kind === 'Application' && !o.file.includes('/')) ?? set.objects[0];
  const violations: Violation[] = [];
  const excused: Violation[] = [];
  const ordered = [...rules.filter((r) => !AFTER_FINDINGS.has(r.template)), ...rules.filter((r) => AFTER_FINDINGS.has(r.template))];
  for (const rule of ordered) {
    const template = TEMPLATES[rule.template];
    if (!template) throw new Error(`rule ${rule.id} names template ${rule.template}, which does not exist`);
    for (const hit of template(ctx, { ...rule.params, ...(overrides[rule.id] ?? {}) })) {
      const mo = hit.origin?.object ?? anchor;
      const where = hit.origin ? d.locate(hit.origin) : undefined;
      const v: Violation = {
        rule: rule.id, message: hit.message, file: displayPath(where?.abs ?? mo.abs),
        line: hit.line ?? where?.line ?? mo.line, object: hit.origin ? mo.ref : undefined, keys: findingKeys(hit),
      };
      const e = exemptionFor(exemptions, ctx.ruleIds, rule.id, hit);
      if (e) excused.push({ ...v, exempted: e.reason });
      else violations.push(v);
    }
  }
  // report in rules.yaml order whatever order the rules ran in
  const order = (xs: Violation[]) => rules.flatMap((r: RuleSpec) => xs.filter((x) => x.rule === r.id));
  return {
    root: set.root, files: set.files.length, objects: set.objects.length, rules,
    violations: order(violations), exemptions: order(excused),
    duration_ms: Math.round(performance.now() - started),
  };
}
