// Does the whole local pipeline keep up at 1.9 MB/s, and where does the CPU go? Runs
// `efd-health run --suite load` (steady, MB = 10^6 bytes of Avro value) N times in a row on the local stack
// and, for each run, measures the CPU of every stack process and of the load run itself (its process tree)
// over the load's measured window, from /proc (percent of one core; the machine has os.cpus().length cores).
//   npx tsx scripts/bench/pipeline.ts [--runs 3] [--rate 1.9MB/s] [--duration 60s]
// The first run on a freshly started stack pays for the JVMs' JIT warm-up (see test/load.test.ts). Holds the
// stack lock.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../../src/config/profile.ts';
import { parseDuration } from '../../src/load/units.ts';
import { withStackLock } from '../stack/lock.ts';
import { pidFile } from '../stack/proc.ts';

const { values: a } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, rate: { type: 'string', default: '1.9MB/s' }, duration: { type: 'string', default: '60s' } },
});
const COMPONENTS = ['kafka-summit', 'kafka-ldf', 'registry-summit', 'registry-ldf', 'connect', 'influxdb', 'telegraf', 'ingress'];
const TICK = 100; // USER_HZ on Linux

/** The fields of /proc/<pid>/stat after the command name (state is [0], ppid [1], utime [11], stime [12]). */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // the process is gone
  }
}

/** utime + stime of one process, in clock ticks (0 when it is gone). */
function ticks(pid: number): number {
  const f = statFields(pid);
  return f ? Number(f[11]) + Number(f[12]) : 0;
}

/** Every descendant of `root` (the load run: CLI, vitest workers, tsx). */
function tree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    const f = statFields(d);
    if (f) parent.set(Number(d), Number(f[1]));
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [p, pp] of parent) if (pp === out[i]) out.push(p);
  return out;
}

function stackPids(): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of COMPONENTS) if (existsSync(pidFile(c))) m.set(c, Number(readFileSync(pidFile(c), 'utf8').trim()));
  return m;
}

interface RunResult {
  cpu: Record<string, number>;
  verdicts: string[];
  code: number | null;
}

async function oneRun(i: number, durationS: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'efd-bench-pipeline-'));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/efd-health.js'), 'run', '--suite', 'load', '--rate', a.rate!, '--duration', a.duration!, '--report-dir', dir], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pids = stackPids();
  // the measured window: after the run's set-up and its warm-up (a fifth of the duration, at least 10 s)
  const lead = 20 + Math.max(10, durationS * 0.2);
  const windowS = durationS - Math.max(10, durationS * 0.2) - 2;
  await new Promise((r) => setTimeout(r, lead * 1000));
  const loadTree = tree(child.pid!);
  const before = new Map([...pids].map(([c, p]) => [c, ticks(p)]));
  const loadBefore = loadTree.reduce((s, p) => s + ticks(p), 0);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, windowS * 1000));
  const secs = (Date.now() - t0) / 1000;
  const pct = (t: number) => Math.round((1000 * t) / TICK / secs) / 10;
  const cpu: Record<string, number> = {};
  for (const [c, p] of pids) cpu[c] = pct(ticks(p) - before.get(c)!);
  cpu['load run (generator)'] = pct(loadTree.reduce((s, p) => s + ticks(p), 0) - loadBefore);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  let verdicts: string[] = [];
  try {
    verdicts = readFileSync(join(dir, 'findings.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((f) => f.id.startsWith('load.pipeline.') || f.id === 'load.generator.rate')
      .map((f) => `${f.status.toUpperCase().padEnd(4)} ${f.id}: ${f.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nrun ${i}: exit ${code}; CPU over ${secs.toFixed(0)} s of the measured window (% of one core, ${cpus().length} cores):`);
  const rows = Object.entries(cpu).sort((x, y) => y[1] - x[1]);
  for (const [c, v] of rows) console.log(`  ${v.toFixed(1).padStart(6)} %  ${c}`);
  console.log(`  ${rows.reduce((s, [, v]) => s + v, 0).toFixed(1).padStart(6)} %  total`);
  for (const v of verdicts) console.log(`  ${v}`);
  return { cpu, verdicts, code };
}

const durationS = parseDuration(a.duration!);
const results: RunResult[] = [];
await withStackLock(async () => {
  for (let i = 1; i <= Number(a.runs); i++) results.push(await oneRun(i, durationS));
});
console.log(`\n${results.filter((r) => r.code === 0).length} of ${results.length} runs at ${a.rate} kept up (exit 0)`);
