// Runs suite files through vitest's Node API with a configuration of our own (never the project's test
// config): one file at a time in forked workers, no watch, and only our reporter, so vitest prints nothing
// and the runner decides what the user sees.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Reporter, TestCase, TestModule, TestSpecification } from 'vitest/node';
import { REPO_ROOT } from '../config/profile.ts';
import { PROGRESS_TAG } from '../load/progress.ts';

export const SUITES_DIR_ENV = 'EFD_HEALTH_SUITES_DIR';

/** suites/ of the project; EFD_HEALTH_SUITES_DIR points elsewhere only in the project's own tests. */
export function suitesDir(): string {
  const override = process.env[SUITES_DIR_ENV];
  return override ? resolve(override) : join(REPO_ROOT, 'suites');
}

/** Suite files: the top-level `*.ts` of suites/<suite>/ (helpers live in subfolders or start with `_`). */
export function suiteFiles(dir: string, suite: string): string[] {
  const folder = join(dir, suite);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.ts') && !n.endsWith('.d.ts') && !n.startsWith('_') && statSync(join(folder, n)).isFile())
    .sort()
    .map((n) => join(folder, n));
}

export interface CaseResult {
  /** the test name, which check() makes the check id */
  name: string;
  suite: string;
  file: string;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  error?: string;
  durationMs?: number;
}

export interface SuiteRunResult {
  cases: CaseResult[];
  /** a suite file that could not be loaded or crashed outside its tests */
  moduleErrors: Array<{ suite: string; file: string; message: string; exitCode?: number }>;
  /** errors vitest could not pin to a test */
  unhandledErrors: string[];
  /** what vitest itself printed (kept for EFD_HEALTH_DEBUG) */
  vitestOutput: string;
}

export interface RunHooks {
  onModuleStart?: (suite: string, file: string) => void;
  onCase?: (c: CaseResult) => void;
  onModuleEnd?: (suite: string, file: string, errors: string[]) => void;
  /** a suite's progress line (src/load/progress.ts, PROGRESS_TAG) written to stderr without a terminal */
  onProgress?: (line: string) => void;
}

function firstLine(s: string | undefined): string {
  return (s ?? 'unknown error').split('\n')[0].trim();
}

export async function runSuiteFiles(dir: string, suites: readonly string[], hooks: RunHooks = {}): Promise<SuiteRunResult> {
  // loaded here, not at the top: vitest takes seconds to import and most commands never need it
  const { BaseSequencer, startVitest } = await import('vitest/node');
  const suiteOf = (moduleId: string) => relative(dir, moduleId).split(/[\\/]/)[0];
  const relFile = (moduleId: string) => relative(process.cwd(), moduleId) || moduleId;
  const result: SuiteRunResult = { cases: [], moduleErrors: [], unhandledErrors: [], vitestOutput: '' };

  const reporter: Reporter = {
    onTestModuleStart(m: TestModule) {
      hooks.onModuleStart?.(suiteOf(m.moduleId), relFile(m.moduleId));
    },
    onTestCaseResult(tc: TestCase) {
      const r = tc.result();
      const c: CaseResult = {
        name: tc.name,
        suite: suiteOf(tc.module.moduleId),
        file: relFile(tc.module.moduleId),
        state: r.state,
        error: r.state === 'failed' ? firstLine(r.errors?.[0]?.message) : undefined,
        durationMs: tc.diagnostic()?.duration,
      };
      result.cases.push(c);
      hooks.onCase?.(c);
    },
    onTestModuleEnd(m: TestModule) {
      const errors = m.errors();
      for (const e of errors) {
        // an InputError/PreflightError keeps its exitCode across the worker boundary
        const exitCode = typeof e.exitCode === 'number' ? e.exitCode : undefined;
        result.moduleErrors.push({ suite: suiteOf(m.moduleId), file: relFile(m.moduleId), message: firstLine(e.message), exitCode });
      }
      hooks.onModuleEnd?.(suiteOf(m.moduleId), relFile(m.moduleId), errors.map((e) => firstLine(e.message)));
    },
    // a worker's stderr reaches the runner only as a user console log: pass on the progress lines, keep the rest
    onUserConsoleLog(log) {
      const lines = log.content.split('\n').filter(Boolean);
      for (const line of lines) {
        if (log.type === 'stderr' && line.startsWith(PROGRESS_TAG) && hooks.onProgress) hooks.onProgress(line);
        else result.vitestOutput += `${line}\n`;
      }
    },
    onTestRunEnd(_modules, unhandled) {
      for (const e of unhandled) result.unhandledErrors.push(firstLine(e.message));
    },
  };

  // files in the order the suites were asked for, then by name
  const order = new Map(suites.map((s, i) => [s, i]));
  class SuiteOrder extends BaseSequencer {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      const key = (f: TestSpecification) => order.get(suiteOf(f.moduleId)) ?? 99;
      return [...files].sort((a, b) => key(a) - key(b) || a.moduleId.localeCompare(b.moduleId));
    }
  }

  const capture = new Writable({
    write(chunk, _enc, done) {
      result.vitestOutput += String(chunk);
      done();
    },
  });
  const saved = process.exitCode;
  const vitest = await startVitest(
    'test',
    [],
    {
      watch: false,
      config: false,
      root: REPO_ROOT,
      dir,
      include: suites.map((s) => `${s}/*.ts`),
      exclude: ['**/_*.ts', '**/*.d.ts', '**/node_modules/**'],
      pool: 'forks',
      fileParallelism: false,
      reporters: [reporter],
      passWithNoTests: true,
      testTimeout: 300_000,
      hookTimeout: 300_000,
      sequence: { sequencer: SuiteOrder },
    },
    { cacheDir: join(REPO_ROOT, 'node_modules/.vite'), logLevel: 'silent' },
    { stdout: capture, stderr: capture },
  );
  try {
    await vitest.close();
  } finally {
    process.exitCode = saved; // vitest sets it on failure; the runner owns the exit code
  }
  return result;
}
