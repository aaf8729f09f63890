// How long `efd-health gate --env ldf` takes on the repo's manifests (issue 6: under 5 s, offline).
//   npx tsx scripts/bench/gate.ts [runs]
// Cold: a fresh process per run (`node bin/efd-health.js gate --env ldf --format json`), as CI runs it:
// process start, tsx, module loading, YAML parsing, schema compilation and all rules.
// Warm: evaluateGate() again in this process (what the mutation tests pay per case).
// Wall time of the whole process and the gate's own time (summary.duration_ms) are both printed: on a loaded
// machine (other processes on the cores) both grow; the load average is printed with them.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { evaluateGate } from '../../src/gate/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const runs = Number(process.argv[2] ?? 5);

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)];
  return `median ${median.toFixed(0)} ms, min ${s[0].toFixed(0)} ms, max ${s.at(-1)!.toFixed(0)} ms`;
}

const coldWall: number[] = [];
const coldOwn: number[] = [];
let summary = '';
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['bin/efd-health.js', 'gate', '--env', 'ldf', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
  coldWall.push(performance.now() - t);
  if (r.status !== 0) throw new Error(`gate exited ${r.status}: ${r.stderr}`);
  const j = JSON.parse(r.stdout);
  coldOwn.push(j.summary.duration_ms);
  summary = `${j.summary.rules} rules, ${j.summary.objects} objects, ${j.summary.files} files, ${j.summary.violations} violations, ${j.summary.exemptions} exempted findings`;
}

const warm: number[] = [];
evaluateGate(resolve(ROOT, 'manifests/ldf'));
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  evaluateGate(resolve(ROOT, 'manifests/ldf'));
  warm.push(performance.now() - t);
}

console.log(`efd-health gate --env ldf (${summary})`);
console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${runs} runs each`);
console.log(`cold process, wall time: ${stats(coldWall)}  (budget 5000 ms)`);
console.log(`cold process, gate's own time (load + schemas + rules, as reported in summary.duration_ms): ${stats(coldOwn)}`);
console.log(`warm, in process: ${stats(warm)}`);
