// Loads the gate's rules (rules.yaml): data, not code. Each names a template and its parameters.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../root.ts';
import { REASONS, type Reason } from '../report/finding.ts';
import type { RuleSpec } from './types.ts';

// from the repository root: the compiled gate (dist/) reads the same file as the sources
export const RULES_FILE = join(REPO_ROOT, 'src/gate/rules.yaml');

let cached: RuleSpec[] | undefined;

export function loadRules(): RuleSpec[] {
  if (cached) return cached;
  const raw = parse(readFileSync(RULES_FILE, 'utf8')) as { rules: any[] };
  const seen = new Set<string>();
  cached = raw.rules.map((r, i) => {
    const where = `${RULES_FILE}: rule #${i + 1}`;
    for (const k of ['id', 'title', 'description', 'plan', 'template', 'reason']) {
      if (typeof r[k] !== 'string' || !r[k].trim()) throw new Error(`${where} has no ${k}`);
    }
    if (!/^manifests\.[a-z_]+\.[a-z_]+$/.test(r.id)) throw new Error(`${where}: id ${r.id} is not manifests.<group>.<name>`);
    if (seen.has(r.id)) throw new Error(`${where}: duplicate id ${r.id}`);
    if (!REASONS.includes(r.reason)) throw new Error(`${where}: reason ${r.reason} is not in REASONS`);
    seen.add(r.id);
    return { id: r.id, title: r.title, description: r.description.trim(), plan: r.plan.trim(), template: r.template, reason: r.reason as Reason, params: r.params ?? {} };
  });
  return cached;
}
