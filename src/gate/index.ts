// `efd-health gate [--env NAME | --manifests DIR] [--format F] [--out FILE]`: the offline conformance gate.
// No network. Exit 0 pass, 1 a violation, 4 invalid input (one sentence naming file and line).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { REPO_ROOT } from '../config/profile.ts';
import { evaluateGate } from './evaluate.ts';
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
}

export function gateFolder(opts: GateOptions): string {
  if (opts.env && opts.manifests) throw new InputError('give --env or --manifests, not both');
  if (opts.manifests) return resolve(opts.manifests);
  const env = opts.env ?? 'ldf';
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(env)) throw new InputError(`--env ${env} is not an environment name (manifests/<env>)`);
  return resolve(REPO_ROOT, 'manifests', env);
}

export async function runGate(opts: GateOptions = {}): Promise<number> {
  try {
    const format = (opts.format === 'text' ? 'console' : opts.format ?? 'console') as GateFormat;
    if (!FORMATS.includes(format)) throw new InputError(`--format ${format} is not one of ${FORMATS.join(', ')}`);
    const result = evaluateGate(gateFolder(opts));
    const text = formatGate(result, format);
    if (opts.out) {
      mkdirSync(dirname(resolve(opts.out)), { recursive: true });
      writeFileSync(opts.out, text);
      process.stdout.write(`${summaryLine(result)}; report in ${opts.out}\n`);
    } else {
      process.stdout.write(text);
    }
    return result.violations.length ? 1 : 0;
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`efd-health gate: ${e.message}\n`);
      return 4;
    }
    process.stderr.write(`efd-health gate: internal error: ${(e as Error).stack ?? e}\n`);
    return 5;
  }
}
