// `efd-health run`: profile → secrets → preflight → run folder → suites under vitest → findings →
// writers → reports/latest → exit code.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCheck } from '../catalog/index.ts';
import type { SuiteName } from '../catalog/types.ts';
import { displayPath } from '../config/locate.ts';
import { InputError, PreflightError } from '../errors.ts';
import type { Profile } from '../config/types.ts';
import { CONTEXT_ENV, type RunContext } from '../context.ts';
import { renderConsole } from '../report/console-end.ts';
import { crashLine, notApplicableProgressLine, progressLine, styleFor, suiteStartLine, type Style } from '../report/console.ts';
import type { Finding } from '../report/finding.ts';
import { renderJson } from '../report/json.ts';
import type { RunMeta } from '../report/model.ts';
import { isNotApplicable, splitNotApplicable } from '../report/not-applicable.ts';
import { redact, redactDeep } from '../report/redact.ts';
import { FINDINGS_ENV, readFindings } from '../report/sink.ts';
import { writeReportFiles } from '../report/writers.ts';
import { EXIT, exitCode, runStatus } from './exit.ts';
import { preflight } from './preflight.ts';
import { checkReportDir, createRunDir, RUN_FILES, updateLatest, type RunDir } from './rundir.ts';
import { checkSuiteOptions } from './options.ts';
import { resolveProfileSecrets } from './secrets.ts';
import { FindingsTail } from './tail.ts';
import { runSuiteFiles, suiteFiles, suitesDir, type CaseResult, type SuiteRunResult } from './vitest.ts';

export interface RunOptions {
  profile: Profile;
  suites: SuiteName[];
  /** suites left out before the run, with why */
  notes?: Array<{ name: string; note: string }>;
  reportDir?: string;
  strict: boolean;
  json: boolean;
  /** the full verdict table at the end, not only what is wrong */
  verbose?: boolean;
  skipPreflight: boolean;
  /** passed to the suites as ctx.options */
  options: Record<string, string | boolean>;
}

/** Suites that make no network call: no preflight, and the profile's secrets are not needed. */
const OFFLINE: readonly SuiteName[] = ['manifests'];

/** Findings for tests that ended without reporting one (a vitest timeout, a skip), and what is left over. */
function reconcile(run: SuiteRunResult, findings: Finding[], profile: Profile): { extra: Finding[]; internal: string[]; input: string[] } {
  const reported = new Set(findings.map((f) => f.id));
  const extra: Finding[] = [];
  const internal: string[] = [];
  const input: string[] = [];
  for (const c of run.cases) {
    if (reported.has(c.name) || c.state === 'passed' || c.state === 'pending') continue;
    const spec = getCheck(c.name);
    if (!spec) {
      if (c.state === 'failed') internal.push(`test "${c.name}" in ${c.file} failed without reporting a finding: ${c.error}`);
      continue;
    }
    const base = { id: spec.id, suite: spec.suite, target: profile.env, duration_ms: c.durationMs === undefined ? undefined : Math.round(c.durationMs) };
    if (c.state === 'skipped') extra.push({ ...base, status: 'skip', reason: 'skipped', message: 'the suite skipped this check' });
    else {
      const timedOut = /timed out/i.test(c.error ?? '');
      extra.push({
        ...base,
        status: 'error',
        reason: timedOut ? 'timeout' : 'internal',
        message: timedOut ? `the check did not finish within its time limit (${c.error})` : `the check ended without a finding: ${c.error}`,
        hint: 'a probe without a deadline, or a bug in the check; run with EFD_HEALTH_DEBUG=1',
      });
    }
  }
  for (const m of run.moduleErrors) {
    if (m.exitCode === 4) input.push(`suite file ${m.file} could not start: ${m.message}`);
    else internal.push(`suite file ${m.file} crashed before its checks could report: ${m.message}`);
  }
  for (const u of run.unhandledErrors) internal.push(`vitest reported an error outside any check: ${u}`);
  return { extra, internal, input };
}

const NOTHING_RAN: SuiteRunResult = { cases: [], moduleErrors: [], unhandledErrors: [], vitestOutput: '' };

/** Runs the suites, printing each finding as its check ends (read back from the findings file). A suite's
 * checks that do not apply are held back and said in one line when its file ends. */
async function runWithProgress(dir: string, suites: SuiteName[], findingsFile: string, say: (line: string) => void, style: Style): Promise<SuiteRunResult> {
  const tail = new FindingsTail(findingsFile);
  const reported = new Set<string>();
  const held = new Map<string, Finding[]>();
  const sayHeld = () => {
    for (const [suite, fs] of held) {
      const na = splitNotApplicable(suite, fs).notApplicable;
      if (na) say(notApplicableProgressLine(style, na));
    }
    held.clear();
  };
  const result = await runSuiteFiles(dir, suites, {
    onModuleStart: (suite, file) => say(suiteStartLine(style, suite, file)),
    onCase: (c: CaseResult) => {
      for (const f of tail.next()) {
        reported.add(f.id);
        if (isNotApplicable(f)) held.set(f.suite, [...(held.get(f.suite) ?? []), redactDeep(f)]);
        else say(progressLine(style, redactDeep(f)));
      }
      if (c.state === 'failed' && !reported.has(c.name)) say(crashLine(style, `${c.name}: ${c.error}`));
    },
    // on stderr, so that --json keeps stdout for report.json
    onProgress: (line) => process.stderr.write(`${line}\n`),
    onModuleEnd: (_suite, file, errors) => {
      sayHeld();
      for (const e of errors) say(crashLine(style, `${file}: ${e}`));
    },
  });
  sayHeld();
  return result;
}

type Outcome = Pick<RunMeta, 'status' | 'exit_code'> & Partial<Pick<RunMeta, 'internal_errors' | 'input_errors' | 'preflight_error'>>;

function runMeta(opts: RunOptions, started: Date, skipped: RunMeta['skipped_suites'], suites: SuiteName[], outcome: Outcome): RunMeta {
  const { profile } = opts;
  return redactDeep({
    env: profile.env,
    vantage: profile.vantage,
    profile: displayPath(profile.file),
    production: profile.production,
    started_at: started.toISOString(),
    finished_at: new Date().toISOString(),
    suites,
    skipped_suites: skipped,
    internal_errors: [],
    strict: opts.strict,
    options: opts.options,
    ...outcome,
  });
}

/** The run folder. Only a run that already failed its preflight goes on without one (said on stderr): its
 * exit code is the news, and a folder that cannot be made is no reason to hide it. */
function openRunDir(opts: RunOptions, env: string, vantage: string, started: Date, tolerant: boolean): RunDir | undefined {
  try {
    return createRunDir({ reportDir: opts.reportDir, env, vantage, started });
  } catch (e) {
    if (!tolerant) throw e;
    const why = e instanceof InputError ? e.message : `the report folder cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    process.stderr.write(redact(`efd-health: no report for this run: ${why}`) + '\n');
    return undefined;
  }
}

/** Writers, then run.json and the files (so a writer's failure is in them), reports/latest, and the end on
 * the console or --json on stdout. */
async function finish(opts: RunOptions, runDir: RunDir | undefined, meta: RunMeta, findings: Finding[], style: Style): Promise<void> {
  const { profile } = opts;
  if (profile.report.influxdb?.enabled) {
    const { writeInflux } = await import('../report/influx.ts');
    const failure = await writeInflux(profile, meta, findings);
    if (failure) meta.writer_errors = [...(meta.writer_errors ?? []), redact(failure)];
  }
  if (runDir) {
    writeFileSync(join(runDir.dir, RUN_FILES.run), JSON.stringify(meta, null, 2) + '\n');
    writeReportFiles(runDir.dir, meta, findings);
    if (runDir.isDefault) {
      try {
        updateLatest(runDir.dir);
      } catch (e) {
        process.stderr.write(`warning: could not point reports/latest at this run (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      }
    }
  }
  if (opts.json) process.stdout.write(redact(renderJson(meta, findings)));
  else {
    const reportFile = runDir ? displayPath(join(runDir.dir, RUN_FILES.html)) : undefined;
    process.stdout.write(redact(renderConsole(style, meta, findings, { verbose: opts.verbose, reportFile })));
  }
}

export async function runCommand(opts: RunOptions): Promise<number> {
  const { profile } = opts;
  const started = new Date();
  const log = opts.json ? process.stderr : process.stdout;
  const style = styleFor(log);
  const say = (line: string) => log.write(redact(line) + '\n');

  if (opts.reportDir !== undefined) checkReportDir(opts.reportDir);
  await checkSuiteOptions(profile, opts.suites, opts.options);
  const offline = opts.suites.every((s) => OFFLINE.includes(s));
  resolveProfileSecrets(profile, !offline);

  const dir = suitesDir();
  const skipped: RunMeta['skipped_suites'] = [...(opts.notes ?? [])];
  const toRun = opts.suites.filter((s) => {
    if (suiteFiles(dir, s).length) return true;
    skipped.push({ name: s, note: `no suite files in ${displayPath(join(dir, s))}/ yet` });
    return false;
  });
  for (const s of skipped) say(`note: suite ${s.name} not run: ${s.note}`);

  // a run that stops at the preflight still leaves its report: the component that did not answer is the finding
  let preflightError: string | undefined;
  if (!opts.skipPreflight) {
    try {
      await preflight(profile, toRun);
    } catch (e) {
      if (!(e instanceof PreflightError)) throw e;
      preflightError = e.message;
    }
  }

  const runDir = openRunDir(opts, profile.env, profile.vantage, started, preflightError !== undefined);
  if (preflightError !== undefined) {
    const meta = runMeta(opts, started, skipped, [], { preflight_error: preflightError, status: 'error', exit_code: EXIT.preflight });
    if (runDir) writeFileSync(join(runDir.dir, RUN_FILES.findings), '');
    await finish(opts, runDir, meta, [], style);
    process.stderr.write(redact(`efd-health: ${preflightError}`) + '\n');
    return EXIT.preflight;
  }
  const { dir: folder } = runDir!;
  const findingsFile = join(folder, RUN_FILES.findings);
  const contextFile = join(folder, RUN_FILES.context);
  writeFileSync(findingsFile, '');
  const context: RunContext = { profile, runDir: folder, options: opts.options };
  writeFileSync(contextFile, JSON.stringify(context, null, 2) + '\n');
  process.env[CONTEXT_ENV] = contextFile;
  process.env[FINDINGS_ENV] = findingsFile;
  say(`efd-health run: ${profile.env} from ${profile.vantage}, suites ${toRun.join(', ') || '(none)'} → ${displayPath(folder)}`);

  const run = toRun.length ? await runWithProgress(dir, toRun, findingsFile, say, style) : NOTHING_RAN;
  if (process.env.EFD_HEALTH_DEBUG && run.vitestOutput) process.stderr.write(redact(run.vitestOutput));

  const emitted = readFindings(findingsFile);
  const { extra, internal, input } = reconcile(run, emitted, profile);
  const findings = redactDeep([...emitted, ...extra]);
  // rewritten redacted: a worker may have written a secret its own process did not know about
  writeFileSync(findingsFile, findings.map((f) => JSON.stringify(f) + '\n').join(''));

  const code = exitCode({ findings, internalErrors: internal, inputErrors: input, strict: opts.strict });
  const meta = runMeta(opts, started, skipped, toRun, {
    internal_errors: internal,
    input_errors: input,
    status: runStatus(findings, [...internal, ...input]),
    exit_code: code,
  });
  await finish(opts, runDir, meta, findings, style);
  const problems = internal.length ? internal.map((e) => `internal error: ${e}`) : input;
  if (problems.length) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more, see ${displayPath(join(folder, RUN_FILES.json))})` : '';
    process.stderr.write(redact(`efd-health: ${problems[0]}${more}`) + '\n');
  }
  return code;
}
