// `efd-health gate [--env NAME | --manifests DIR] [--format F] [--out FILE] [--server-dry-run …]`: the
// conformance gate. Offline, except the optional second stage (server-dry-run.ts). Exit 0 pass, 1 a violation
// or a refusal, 3 API server unreachable, 4 invalid input (one sentence naming file and line).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { REPO_ROOT } from '../config/profile.ts';
import { loadManifestSet } from '../model/manifest-set.ts';
import { evaluateGate } from './evaluate.ts';
import { dryRunTarget, serverDryRun, UnreachableServer, type DryRunTarget } from './server-dry-run.ts';
import { FORMATS, formatGate, summaryLine, type GateFormat } from './format.ts';

export { evaluateGate } from './evaluate.ts';
export { loadRules } from './rules.ts';
export type { GateResult, Violation, RuleSpec } from './types.ts';

export interface GateOptions {
  /** environment name: manifests/<env> of the repository (default ldf) */
  env?: string;
  /** a manifests folder (or one file), instead of --env */
  manifests?: string;
  /** console (alias text), json, junit, sarif or github */
  format?: GateFormat | 'text';
  /** write the report here instead of stdout (a one-line summary still goes to stdout) */
  out?: string;
  /** second stage: server-side dry-run apply of every object to the API server of this kubeconfig/context */
  serverDryRun?: boolean;
  kubeconfig?: string;
  context?: string;
}

export function gateFolder(opts: GateOptions): string {
  if (opts.env && opts.manifests) throw new InputError('give --env or --manifests, not both');
  if (opts.manifests) return resolve(opts.manifests);
  const env = opts.env ?? 'ldf';
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(env)) throw new InputError(`--env ${env} is not an environment name (manifests/<env>)`);
  return resolve(REPO_ROOT, 'manifests', env);
}

/** Server-side dry-run of every object; prints what the server refused; answers how many it refused. */
async function secondStage(folder: string, target: DryRunTarget): Promise<number> {
  const t0 = performance.now();
  const { objects } = loadManifestSet(folder);
  const r = await serverDryRun(objects, target);
  for (const x of r.refused) process.stdout.write(`✗ ${x.file}:${x.line}  server dry-run  ${x.ref}: ${x.message}\n`);
  const ms = Math.round(performance.now() - t0);
  process.stdout.write(
    `${r.refused.length ? 'FAIL' : 'PASS'}: server dry-run on ${r.server}: ${r.applied} of ${r.applied + r.refused.length} objects accepted, ${r.refused.length} refused (${ms} ms)\n`,
  );
  return r.refused.length;
}

export async function runGate(opts: GateOptions = {}): Promise<number> {
  try {
    const format = (opts.format === 'text' ? 'console' : opts.format ?? 'console') as GateFormat;
    if (!FORMATS.includes(format)) throw new InputError(`--format ${format} is not one of ${FORMATS.join(', ')}`);
    const target = opts.serverDryRun ? dryRunTarget(opts) : undefined;
    const result = evaluateGate(gateFolder(opts));
    const text = formatGate(result, format);
    if (opts.out) {
      mkdirSync(dirname(resolve(opts.out)), { recursive: true });
      writeFileSync(opts.out, text);
      process.stdout.write(`${summaryLine(result)}; report in ${opts.out}\n`);
    } else {
      process.stdout.write(text);
    }
    let refused = 0;
    if (target) refused = await secondStage(gateFolder(opts), target);
    return result.violations.length || refused ? 1 : 0;
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`efd-health gate: ${e.message}\n`);
      return 4;
    }
    if (e instanceof UnreachableServer) {
      process.stderr.write(`efd-health gate: ${e.message}\n`);
      return 3;
    }
    process.stderr.write(`efd-health gate: internal error: ${(e as Error).stack ?? e}\n`);
    return 5;
  }
}
