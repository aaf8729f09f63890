// What the phase 2 and licence checks add to a services run (issue 18: under 2 s). Runs
// `efd-health run --suite services` alternately with every suite file and without suites/services/
// phase2.ts and licence.ts (a suites folder of symlinks), and prints the wall times and the difference of
// the medians, beside the phase 2 and licence checks' own durations from the findings.
//   npx tsx scripts/bench/phase2.ts [rounds]
// Read-only against the running stack (no lock needed).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');
const rounds = Number(process.argv[2] ?? 3);
const PHASE2_FILES = ['phase2.ts', 'licence.ts'];

const without = mkdtempSync(join(tmpdir(), 'efd-bench-phase2-'));
for (const suite of readdirSync(join(REPO, 'suites'))) {
  mkdirSync(join(without, suite));
  for (const f of readdirSync(join(REPO, 'suites', suite)))
    if (!(suite === 'services' && PHASE2_FILES.includes(f))) symlinkSync(join(REPO, 'suites', suite, f), join(without, suite, f));
}

function run(suitesDir?: string): { ms: number; ownMs: number; checks: number } {
  const out = mkdtempSync(join(tmpdir(), 'efd-bench-run-'));
  const env = { ...process.env, ...(suitesDir ? { EFD_HEALTH_SUITES_DIR: suitesDir } : {}) };
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(REPO, 'bin/efd-health.js'), 'run', '--suite', 'services', '--report-dir', out], { env, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`efd-health exited ${r.status}: ${r.stderr.slice(-500)}`);
  const findings = readFileSync(join(out, 'findings.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  // the facts are gathered once per file, inside the first check's duration
  const firstOf = (prefix: string[]) => findings.filter((f) => prefix.includes(f.id)).slice(0, 1).reduce((a, f) => a + (f.duration_ms ?? 0), 0);
  const ownMs = firstOf(['services.influxdb.cq']) + firstOf(['services.connect.licence']);
  rmSync(out, { recursive: true, force: true });
  return { ms, ownMs, checks: new Set(findings.map((f) => f.id)).size };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const withAll: number[] = [];
const withoutP2: number[] = [];
const own: number[] = [];
for (let i = 0; i < rounds; i++) {
  const a = run();
  const b = run(without);
  withAll.push(a.ms);
  withoutP2.push(b.ms);
  own.push(a.ownMs);
  console.log(`round ${i + 1}: with phase 2 ${a.ms.toFixed(0)} ms (${a.checks} checks), without ${b.ms.toFixed(0)} ms (${b.checks} checks); phase 2 + licence facts ${a.ownMs} ms`);
}
rmSync(without, { recursive: true, force: true });
console.log(
  `services run, ${rounds} rounds: median ${median(withAll).toFixed(0)} ms with phase 2 and licence, ${median(withoutP2).toFixed(0)} ms without: ` +
    `+${(median(withAll) - median(withoutP2)).toFixed(0)} ms; their facts median ${median(own)} ms (load average ${loadavg()[0].toFixed(1)})`,
);
