// Commands whose work lives elsewhere: `gate` (src/gate/index.ts) and `stack` (scripts/stack/index.ts).
// Both are loaded on demand; the stack's scripts may be missing (the Docker image has none).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../config/profile.ts';
import { InputError } from '../errors.ts';
import { HELP, parse } from './args.ts';

export const GATE_HELP = `Usage: efd-health gate [--env NAME | --manifests DIR] [--format F] [--out FILE]
                      [--server-dry-run [--kubeconfig FILE] [--context NAME]]

Validates the manifests offline (no network) and blocks an Argo CD sync on a violation.
  --env NAME        manifests/NAME of this repository (default: ldf)
  --manifests DIR   a manifests folder (or one file) instead
  --format F        console (or text), json, junit, sarif or github
  --out FILE        write the report to FILE; a one-line summary still goes to stdout
  --server-dry-run  second stage: server-side apply every object with dryRun=All to the API server of
                    --kubeconfig (default: $KUBECONFIG or ~/.kube/config) and --context, and report what
                    the server refuses (its validation, defaulting and admission); nothing is stored
Exit codes: 0 conforms, 1 a violation or a refusal, 3 API server unreachable, 4 invalid input, 5 internal error.
`;

export const STACK_HELP = `Usage: efd-health stack up|down|status [--json]|logs NAME|stop NAME|start NAME|fault …

Controls the local stack ("EFD in a box"); the same as npm run stack -- ….
`;

class Unavailable extends Error {}

/** `export` of a TypeScript file of this repository. The compiled CLI (dist/) has no loader for .ts, so it
 * registers tsx first: only the stack's scripts come this way, and they are for development. */
async function load(relPath: string, exportName: string): Promise<(...a: any[]) => unknown> {
  const file = join(REPO_ROOT, relPath);
  if (!existsSync(file)) throw new Unavailable(`${relPath} is not there`);
  if (!import.meta.url.endsWith('.ts')) {
    try {
      const { register } = await import('tsx/esm/api');
      register();
    } catch {
      throw new Unavailable(`tsx, a development dependency, is not installed to run ${relPath}`);
    }
  }
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const fn = mod[exportName];
  if (typeof fn !== 'function') throw new Unavailable(`${relPath} does not export ${exportName}()`);
  return fn as (...a: any[]) => unknown;
}

function codeOf(result: unknown): number {
  if (typeof result === 'number') return result;
  if (result && typeof result === 'object' && typeof (result as { exitCode?: unknown }).exitCode === 'number') {
    return (result as { exitCode: number }).exitCode;
  }
  return 0;
}

export async function gateCli(args: string[]): Promise<number> {
  const { values: f } = parse<{ help?: boolean; env?: string; manifests?: string; format?: string; out?: string; 'server-dry-run'?: boolean; kubeconfig?: string; context?: string }>('gate', args, {
    ...HELP,
    env: { type: 'string' },
    manifests: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    'server-dry-run': { type: 'boolean' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
  });
  if (f.help) {
    process.stdout.write(GATE_HELP);
    return 0;
  }
  if (f.env !== undefined && f.manifests !== undefined) throw new InputError('use either --env NAME or --manifests DIR, not both');
  const { runGate } = await import('../gate/index.ts');
  const { help: _help, 'server-dry-run': serverDryRun, ...opts } = f;
  if (!serverDryRun && (f.kubeconfig !== undefined || f.context !== undefined)) throw new InputError('--kubeconfig and --context go with --server-dry-run');
  // runGate checks --format itself (exit 4 on an unknown one)
  return runGate({ ...opts, serverDryRun } as Parameters<typeof runGate>[0]);
}

export async function stackCli(args: string[]): Promise<number> {
  if (args.length === 0) throw new InputError('efd-health stack needs a command: up, down, status, logs NAME, stop NAME, start NAME or fault …');
  if (args[0] === '--help' || args[0] === '-h') {
    process.stdout.write(STACK_HELP);
    return 0;
  }
  let main;
  try {
    main = await load('scripts/stack/index.ts', 'main');
  } catch (e) {
    if (!(e instanceof Unavailable)) throw e;
    throw new Error(`efd-health stack is not available in this build (${e.message})`);
  }
  return codeOf(await main(args));
}
