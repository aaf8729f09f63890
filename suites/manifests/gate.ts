// Manifests suite: the gate's rules (src/gate/rules.yaml) as findings, one check per rule, on the
// profile's manifests folder. `efd-health gate` runs the same rules without vitest; both read one result.
// Offline: no socket is opened.
import { relative } from 'node:path';
import { check, notApplicable, type Outcome } from '../../src/suite.ts';
import { runContext } from '../../src/context.ts';
import { InputError } from '../../src/errors.ts';
import { evaluateGate, loadRules, type GateResult } from '../../src/gate/index.ts';
import { loadManifestSet } from '../../src/model/manifest-set.ts';

const { profile, options } = runContext();
const dir = typeof options.manifests === 'string' ? options.manifests : profile.manifests;

type Verdict = { result?: GateResult; error?: string; notApplicable?: string };
let verdict: Verdict | undefined;

function evaluate(): Verdict {
  if (verdict) return verdict;
  try {
    // the rules judge an Argo CD deployment; a folder without Applications (the local stack's) is not one
    const set = loadManifestSet(dir);
    if (!set.objects.some((o) => o.object.kind === 'Application')) {
      verdict = { notApplicable: `${relative(process.cwd(), dir) || '.'} holds no Argo CD Application, so it is not a deployment the gate's rules apply to` };
    } else {
      verdict = { result: evaluateGate(dir, profile.thresholds) };
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    verdict = { error: e.message };
  }
  return verdict;
}

for (const rule of loadRules()) {
  check(rule.id, async (): Promise<Outcome[]> => {
    const v = evaluate();
    if (v.error) return [{ target: profile.env, status: 'error', reason: 'schema', message: v.error, hint: 'Fix the manifests so they load, then run again.' }];
    if (v.notApplicable) return [notApplicable(v.notApplicable, profile.env)];
    const r = v.result!;
    const mine = r.violations.filter((x) => x.rule === rule.id);
    const exempt = r.exemptions.filter((x) => x.rule === rule.id);
    const outcomes: Outcome[] = [
      ...mine.map((x): Outcome => ({
        target: `${x.file}:${x.line}`, status: 'fail', reason: rule.reason, message: x.message,
        hint: `Plan: "${rule.plan}". Exempt this finding on its object with the annotation efd-health.lsst.io/exempt-${rule.id}: "keys: [${x.keys.join(', ')}]\nreason: <why>".`,
        evidence: { file: x.file, line: x.line, object: x.object, keys: x.keys },
      })),
      ...exempt.map((x): Outcome => ({
        target: `${x.file}:${x.line}`, status: 'skip', reason: 'skipped', message: `Exempted: ${x.message} (reason: ${x.exempted})`,
        evidence: { file: x.file, line: x.line, object: x.object, exemption: x.exempted },
      })),
    ];
    if (!mine.length) outcomes.unshift({ target: profile.env, status: 'pass', reason: 'ok', message: `${rule.title}: no violation in ${r.objects} objects of ${r.files} files.`, measurements: { objects: r.objects, files: r.files } });
    return outcomes;
  });
}
