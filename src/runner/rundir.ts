// The folder one run writes to: reports/<UTC time>-<env>-<vantage>/, and reports/latest pointing at it.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';

export const RUN_FILES = {
  context: 'context.json',
  findings: 'findings.jsonl',
  run: 'run.json',
  json: 'report.json',
  junit: 'junit.xml',
  markdown: 'summary.md',
  html: 'report.html',
} as const;

export function reportsRoot(): string {
  return resolve(process.cwd(), 'reports');
}

/** 20260101T120000Z: sortable, and safe in a file name on every OS. */
export function utcStamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

export interface RunDir {
  dir: string;
  /** true when the folder is under reports/ and `latest` should follow it */
  isDefault: boolean;
}

/** --report-dir must be a new or empty-of-runs folder; checked before anything runs. */
export function checkReportDir(reportDir: string): void {
  const dir = resolve(reportDir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(`--report-dir ${reportDir} exists and is not a folder`);
  if (existsSync(dir) && readdirSync(dir).includes(RUN_FILES.findings)) {
    throw new InputError(`--report-dir ${reportDir} already holds a run (findings.jsonl); choose an empty or new folder`);
  }
}

export function createRunDir(opts: { reportDir?: string; env: string; vantage: string; started: Date }): RunDir {
  if (opts.reportDir) {
    const dir = resolve(opts.reportDir);
    checkReportDir(opts.reportDir);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new InputError(`--report-dir ${opts.reportDir} cannot be created (${(e as NodeJS.ErrnoException).code})`);
    }
    return { dir, isDefault: false };
  }
  const root = reportsRoot();
  const name = `${utcStamp(opts.started)}-${opts.env}-${opts.vantage}`;
  let dir = join(root, name);
  for (let i = 2; existsSync(dir); i++) dir = join(root, `${name}-${i}`);
  mkdirSync(dir, { recursive: true });
  return { dir, isDefault: true };
}

/** Points <reports>/latest at the run folder (relative, so the reports folder can move). */
export function updateLatest(runDir: string): void {
  const link = join(dirname(runDir), 'latest');
  const tmp = `${link}.${process.pid}.tmp`;
  symlinkSync(basename(runDir), tmp);
  try {
    renameSync(tmp, link);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
}
