// What the phase 2 and licence checks add to a services run (issue 18: under 2 s). Runs
// `efd-health run --suite services` alternately with the suite files as they are and with copies cut at
// their phase 2 and licence sections (suites/services/influxdb.ts and connect.ts), and prints the wall
// times and the difference of the medians, beside the phase 2 and licence checks' own durations.
//   npx tsx scripts/bench/phase2.ts [rounds]
// Read-only against the running stack (no lock needed). The copies live in a folder beside suites/ (their
// relative imports must resolve the same), removed at the end.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');
const rounds = Number(process.argv[2] ?? 3);
const SECTIONS: Record<string, string> = { 'influxdb.ts': '// ── Phase 2:', 'connect.ts': '// ── The Replicator licence clock' };

const without = join(REPO, '.bench-suites-without-phase2');
rmSync(without, { recursive: true, force: true });
cpSync(join(REPO, 'suites'), without, { recursive: true });
for (const [file, marker] of Object.entries(SECTIONS)) {
  const path = join(without, 'services', file);
  const text = readFileSync(path, 'utf8');
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`suites/services/${file} has no section "${marker}"`);
  writeFileSync(path, text.slice(0, at));
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
