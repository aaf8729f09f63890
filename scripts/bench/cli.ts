// How long a fresh `efd-health` process takes (issue 17), before and after compiling the CLI, in one run:
//   npm run bench:cli [-- --runs 10]
// "before" runs the TypeScript sources through tsx (EFD_HEALTH_FROM_SOURCE=1, what bin/efd-health.js did
// before dist/), "after" the compiled dist/ (npm run build first). The two alternate run by run, so a
// change in the machine's load hits both alike; the load average is printed with the figures.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench:cli: --runs must be a whole number ≥ 1, got "${values.runs}"`);
  process.exit(4);
}

const COMMANDS = [['--help'], ['list'], ['gate', '--env', 'ldf']];
const TARGETS: Record<string, number> = { '--help': 250, 'gate --env ldf': 1000 };

function once(args: string[], fromSource: boolean): number {
  const env = { ...process.env, NO_COLOR: '1', EFD_HEALTH_FROM_SOURCE: fromSource ? '1' : '0' };
  const t = performance.now();
  const r = spawnSync(process.execPath, ['bin/efd-health.js', ...args], { cwd: ROOT, env, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`efd-health ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
if (build.status !== 0) throw new Error(`npm run build failed: ${build.stdout}${build.stderr}`);

const before = loadavg()[0];
console.log(`efd-health start-up, fresh process, median of ${runs} (Node ${process.versions.node}, ${cpus().length} CPUs)`);
console.log('| command | before: tsx from src/ | after: dist/ | after/before | target |');
console.log('|---|---|---|---|---|');
for (const args of COMMANDS) {
  const name = args.join(' ');
  once(args, true); // the first run of each warms the page cache for both
  once(args, false);
  const src: number[] = [];
  const dist: number[] = [];
  for (let i = 0; i < runs; i++) {
    src.push(once(args, true));
    dist.push(once(args, false));
  }
  const [a, b] = [median(src), median(dist)];
  const target = TARGETS[name];
  const verdict = target === undefined ? '–' : `< ${target} ms: ${b < target ? 'met' : 'missed'}`;
  console.log(`| \`${name}\` | ${(a / 1000).toFixed(3)} s | ${(b / 1000).toFixed(3)} s | ${(b / a).toFixed(2)} | ${verdict} |`);
}
console.log(`load average (1 min) ${before.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end`);
