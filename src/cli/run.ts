// efd-health run: flags → RunOptions.
import { SUITES } from '../catalog/types.ts';
import { InputError } from '../errors.ts';
import { runCommand } from '../runner/run.ts';
import { HELP, parse } from './args.ts';
import { chooseProfile, parseSuites } from './common.ts';

export const RUN_HELP = `Usage: efd-health run [--profile FILE | --env NAME] [--suite a,b] [--vantage NAME]
                      [--report-dir DIR] [--strict] [--json] [--verbose] [suite options]

Runs the live suites against the deployment a profile describes and writes the reports.

  --profile FILE      profile YAML (default: profiles/local.yaml, the local stack)
  --env NAME          same as --profile profiles/NAME.yaml
  --suite a,b         suites to run (default: all): ${SUITES.join(', ')}
  --vantage NAME      where this run is made from (overrides the profile's vantage): in-cluster, tucson, vpn …
  --report-dir DIR    write the reports to DIR instead of reports/<UTC time>-<env>-<vantage>/
  --strict            warnings fail the run (exit 2)
  --json              print report.json on stdout (progress goes to stderr)
  --verbose           end with the full verdict table, not only what failed or warned (the report
                      files always hold every check)
  --skip-preflight    do not stop when a prerequisite is unreachable; let the checks report it

Suite options (passed to the suites as ctx.options; the load suite checks them before anything runs):
  --rate RATE         load rate, e.g. 1.9MB/s (MB = 10^6 bytes), 500kB/s, 2MiB/s
  --duration TIME     length of the measured load window, e.g. 90s, 10m (default 60s; ramp 10m)
  --shape SHAPE       load shape: steady, burst or ramp
  --warmup TIME       bound of the unjudged warm-up before it (default 4m): it ends as soon as both lags
                      stay low (load.pipeline.warmup); not steady within TIME is a failure. 0: no warm-up
  --burst-factor N    burst peak = rate × N;  --burst-length TIME  how long the burst lasts
  --ramp-step TIME    ramp step length;       --ramp-factor N      rate multiplier per step
  --k6                also run the k6 HTTP scenarios
  --delete-topics     delete the load topics afterwards, not only their records
  --allow-production  allow the load suite on a profile marked production: true (without it, a default
                      run of such a profile leaves the load suite out)
  --manifests DIR     manifests folder for the manifests suite (default: the profile's)
  --opt KEY=VALUE     any other suite option (repeatable)

Exit codes: 0 all passed (warnings allowed), 1 a check failed, 2 warnings under --strict,
3 a prerequisite unreachable before the checks, 4 invalid input, 5 internal error.
`;

/** Suite options the run command knows by name (read by src/load/plan.ts and suites/manifests). */
const VALUE_OPTIONS = ['rate', 'duration', 'shape', 'warmup', 'burst-factor', 'burst-length', 'ramp-step', 'ramp-factor', 'manifests'] as const;
const FLAG_OPTIONS = ['k6', 'delete-topics', 'allow-production'] as const;

const OPTIONS: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
  ...HELP,
  profile: { type: 'string' },
  env: { type: 'string' },
  suite: { type: 'string' },
  vantage: { type: 'string' },
  'report-dir': { type: 'string' },
  strict: { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'skip-preflight': { type: 'boolean' },
  opt: { type: 'string', multiple: true },
  ...Object.fromEntries(VALUE_OPTIONS.map((n) => [n, { type: 'string' }])),
  ...Object.fromEntries(FLAG_OPTIONS.map((n) => [n, { type: 'boolean' }])),
} as const;

type RunFlags = Record<string, string | boolean | string[] | undefined> & {
  help?: boolean;
  profile?: string;
  env?: string;
  suite?: string;
  vantage?: string;
  'report-dir'?: string;
  strict?: boolean;
  json?: boolean;
  verbose?: boolean;
  'skip-preflight'?: boolean;
  opt?: string[];
};

/** ctx.options for the suites: the named suite options given, then any --opt KEY=VALUE. */
export function suiteOptions(f: RunFlags): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const n of FLAG_OPTIONS) if (f[n]) out[n] = true;
  for (const n of VALUE_OPTIONS) if (typeof f[n] === 'string') out[n] = f[n] as string;
  for (const kv of f.opt ?? []) {
    const m = /^([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/.exec(kv);
    if (!m) throw new InputError(`--opt ${JSON.stringify(kv)} must be KEY=VALUE`);
    out[m[1]] = m[2] === 'true' ? true : m[2] === 'false' ? false : m[2];
  }
  return out;
}

export async function runCli(args: string[]): Promise<number> {
  const { values: f } = parse<RunFlags>('run', args, OPTIONS);
  if (f.help) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  const suites = parseSuites(f.suite);
  const options = suiteOptions(f);
  if (f.vantage !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(f.vantage)) {
    throw new InputError(`--vantage ${JSON.stringify(f.vantage)} must be a short lower-case name (letters, digits, - or _)`);
  }
  const profile = chooseProfile(f);
  if (f.vantage) profile.vantage = f.vantage;
  // a default run of a production profile (the CronJob) leaves the load suite out unless allowed
  const notes: Array<{ name: string; note: string }> = [];
  if (f.suite === undefined && profile.production && !options['allow-production']) {
    suites.splice(suites.indexOf('load'), 1);
    notes.push({ name: 'load', note: 'the profile is marked production: true; run it with --suite load --allow-production' });
  }
  return runCommand({
    profile,
    suites,
    notes,
    reportDir: f['report-dir'],
    strict: Boolean(f.strict),
    json: Boolean(f.json),
    verbose: Boolean(f.verbose),
    skipPreflight: Boolean(f['skip-preflight']),
    options,
  });
}
