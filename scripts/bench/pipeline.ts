// Does the whole local pipeline keep up at 1.9 MB/s, and where does the CPU go? Runs
// `efd-health run --suite load` (steady, MB = 10^6 bytes of Avro value) N times in a row on the local stack
// and, for each run, measures the CPU of every stack process and of the load run itself (its process tree)
// in each phase, the warm-up (until the pipeline is steady) and the measured window, from /proc (percent of
// one core; the machine has os.cpus().length cores).
//   npx tsx scripts/bench/pipeline.ts [--runs 3] [--rate 1.9MB/s] [--duration 60s]
// The first run on a freshly started stack pays for the JVMs' JIT warm-up: its warm-up phase is the longest.
// Holds the stack lock.
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
const COMPONENTS = ['kafka-summit', 'kafka-ldf', 'registry-summit', 'registry-ldf', 'connect', 'influxdb', 'telegraf', 'summit', 'ingress'];
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
  /** % of one core per component, per phase */
  phases: Record<Phase, Record<string, number>>;
  warmupS?: number;
  verdicts: string[];
  code: number | null;
}

type Phase = 'warm-up' | 'measured';
type Snapshot = { atMs: number; stack: Map<string, number>; load: number };

/** CPU ticks of every stack process and of the load run's process tree, now. */
function snapshot(pids: Map<string, number>, loadRoot: number): Snapshot {
  return { atMs: Date.now(), stack: new Map([...pids].map(([c, p]) => [c, ticks(p)])), load: tree(loadRoot).reduce((s, p) => s + ticks(p), 0) };
}

/** % of one core per component between two snapshots. */
function usage(a: Snapshot, b: Snapshot): Record<string, number> {
  const secs = (b.atMs - a.atMs) / 1000;
  const pct = (t: number) => Math.round((1000 * t) / TICK / secs) / 10;
  const out: Record<string, number> = {};
  for (const [c, t] of b.stack) out[c] = pct(t - (a.stack.get(c) ?? t));
  out['load run (generator)'] = pct(b.load - a.load);
  return out;
}

/**
 * One load run; the phases follow the run's own progress lines (stderr): the warm-up starts with the load
 * ("load: steady at …"), ends with "steady after N s warm-up", and the measured window lasts --duration.
 */
async function oneRun(i: number, durationS: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'efd-bench-pipeline-'));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/efd-health.js'), 'run', '--suite', 'load', '--rate', a.rate!, '--duration', a.duration!, '--report-dir', dir], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', EFD_HEALTH_NO_TTY: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const pids = stackPids();
  const marks: Partial<Record<'load' | 'steady' | 'end', Snapshot>> = {};
  let warmupS: number | undefined;
  let endTimer: NodeJS.Timeout | undefined;
  child.stderr!.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    const text = chunk.toString();
    if (!marks.load && /load: (steady|burst|ramp) \d.* over \d+ topics/.test(text)) marks.load = snapshot(pids, child.pid!);
    const steady = /steady after a (\d+) s warm-up/.exec(text);
    if (steady && !marks.steady) {
      warmupS = Number(steady[1]);
      marks.steady = snapshot(pids, child.pid!);
      endTimer = setTimeout(() => (marks.end = snapshot(pids, child.pid!)), (durationS - 1) * 1000);
    }
  });
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearTimeout(endTimer);
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
  const phases = {
    'warm-up': marks.load && marks.steady ? usage(marks.load, marks.steady) : {},
    measured: marks.steady && marks.end ? usage(marks.steady, marks.end) : {},
  };
  console.log(`\nrun ${i}: exit ${code}; warm-up ${warmupS ?? '–'} s; CPU in % of one core (${cpus().length} cores):`);
  const names = Object.keys({ ...phases['warm-up'], ...phases.measured }).sort((x, y) => (phases.measured[y] ?? 0) - (phases.measured[x] ?? 0));
  console.log(`  ${'component'.padEnd(22)} ${'warm-up'.padStart(8)} ${'measured'.padStart(9)}`);
  const cell = (v?: number) => (v === undefined ? '–' : v.toFixed(1)).padStart(8);
  for (const c of names) console.log(`  ${c.padEnd(22)} ${cell(phases['warm-up'][c])} ${cell(phases.measured[c])} `);
  const total = (r: Record<string, number>) => (Object.keys(r).length ? Object.values(r).reduce((x, y) => x + y, 0) : undefined);
  console.log(`  ${'total'.padEnd(22)} ${cell(total(phases['warm-up']))} ${cell(total(phases.measured))} `);
  for (const v of verdicts) console.log(`  ${v}`);
  return { phases, warmupS, verdicts, code };
}

const durationS = parseDuration(a.duration!);
const results: RunResult[] = [];
await withStackLock(async () => {
  for (let i = 1; i <= Number(a.runs); i++) results.push(await oneRun(i, durationS));
});
console.log(`\n${results.filter((r) => r.code === 0).length} of ${results.length} runs at ${a.rate} kept up (exit 0)`);
