// efd-health report RUN_DIR: re-renders every report file of a finished run from its findings.jsonl and
// run.json (after a writer changed, or to get report.html from a CronJob's files).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from '../config/locate.ts';
import { InputError } from '../errors.ts';
import { renderConsole } from '../report/console-end.ts';
import { styleFor } from '../report/console.ts';
import type { Finding } from '../report/finding.ts';
import { renderJson } from '../report/json.ts';
import type { RunMeta } from '../report/model.ts';
import { writeReportFiles } from '../report/writers.ts';
import { exitCode, runStatus } from '../runner/exit.ts';
import { RUN_FILES } from '../runner/rundir.ts';
import { HELP, parse } from './args.ts';

export const REPORT_HELP = `Usage: efd-health report RUN_DIR [--json] [--verbose]

Re-renders report.json, junit.xml, summary.md and report.html of a run from its findings.jsonl and
run.json, then prints the end of the run as \`efd-health run\` does: what failed or warned, the counts
(or report.json with --json; the full verdict table with --verbose). InfluxDB points are not re-sent.
`;

function readJsonLines(file: string): Finding[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l, i) => [l, i + 1] as const)
    .filter(([l]) => l.trim())
    .map(([l, n]) => {
      try {
        return JSON.parse(l) as Finding;
      } catch {
        throw new InputError(`${displayPath(file)}:${n}: not a JSON finding`);
      }
    });
}

export function reportCli(args: string[]): number {
  const { values: f, positionals } = parse<{ help?: boolean; json?: boolean; verbose?: boolean }>(
    'report',
    args,
    { ...HELP, json: { type: 'boolean' }, verbose: { type: 'boolean' } },
    1,
  );
  if (f.help) {
    process.stdout.write(REPORT_HELP);
    return 0;
  }
  const dir = positionals[0];
  if (!dir) throw new InputError('efd-health report needs a RUN_DIR (e.g. reports/latest)');
  const runFile = join(dir, RUN_FILES.run);
  const findingsFile = join(dir, RUN_FILES.findings);
  for (const file of [runFile, findingsFile]) {
    if (!existsSync(file)) throw new InputError(`${displayPath(dir)} is not a run folder: ${displayPath(file)} is missing`);
  }
  let meta: RunMeta;
  try {
    meta = JSON.parse(readFileSync(runFile, 'utf8')) as RunMeta;
  } catch {
    throw new InputError(`${displayPath(runFile)}: not valid JSON`);
  }
  const findings = readJsonLines(findingsFile);
  // the verdict follows the findings, in case they were edited (e.g. an agreed exemption)
  meta.status = runStatus(findings, [...(meta.internal_errors ?? []), ...(meta.input_errors ?? [])]);
  meta.exit_code = exitCode({ findings, internalErrors: meta.internal_errors ?? [], inputErrors: meta.input_errors, strict: Boolean(meta.strict) });
  writeReportFiles(dir, meta, findings);
  if (f.json) process.stdout.write(renderJson(meta, findings));
  else {
    const reportFile = displayPath(join(dir, RUN_FILES.html));
    process.stdout.write(renderConsole(styleFor(process.stdout), meta, findings, { verbose: Boolean(f.verbose), reportFile }));
  }
  return 0;
}
