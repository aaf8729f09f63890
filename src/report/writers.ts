// Every file writer from the same records. Text passes through redact() on its way to disk, so a secret
// resolved in this process cannot reach a report even if a finding carried it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '../runner/rundir.ts';
import type { Finding } from './finding.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { RunMeta } from './model.ts';
import { redact, redactDeep } from './redact.ts';
import { readTrend } from './trend.ts';

export function writeReportFiles(dir: string, meta: RunMeta, findings: readonly Finding[]): string[] {
  const m = redactDeep(meta);
  const f = redactDeep([...findings]);
  const files: Array<[string, string]> = [
    [RUN_FILES.json, renderJson(m, f)],
    [RUN_FILES.junit, renderJunit(m, f)],
    [RUN_FILES.markdown, renderMarkdown(m, f)],
    // the trend strip reads the earlier run folders beside this one
    [RUN_FILES.html, renderHtml(m, f, readTrend(dir, m, f))],
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), redact(text));
  return files.map(([name]) => join(dir, name));
}
