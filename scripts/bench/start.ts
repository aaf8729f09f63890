// `npm start` as a new user meets it, repeated: each round stops the stack (`stack down`, or `down --purge`
// with --purge: fresh data, installed binaries kept), then runs `npm start` (stack up + every suite) and reads
// the run's findings. Reports per round the exit code, the time of `stack up` and of the run, the failing
// checks, and the passes without evidence: a pass whose message says "nothing to judge", or whose finding
// carries neither measurements nor evidence.
//   npm run bench:start -- [--runs 5] [--purge]
import { spawn } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../../src/config/profile.ts';
import type { Finding } from '../../src/report/finding.ts';

const { values: a } = parseArgs({ options: { runs: { type: 'string', default: '5' }, purge: { type: 'boolean', default: false } } });
const runs = Number(a.runs);

/** Runs a command with its output passed through; resolves with the exit code and the wall time. */
function timed(cmd: string, args: string[]): Promise<{ code: number; s: number }> {
  const t0 = Date.now();
  return new Promise((res) => {
    const p = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, EFD_HEALTH_NO_TTY: '1' } });
    p.on('close', (code) => res({ code: code ?? -1, s: (Date.now() - t0) / 1000 }));
  });
}

const hasEvidence = (f: Finding) => Object.keys(f.measurements ?? {}).length > 0 || Object.keys(f.evidence ?? {}).length > 0;

interface Round { code: number; upS: number; runS: number; failing: string[]; vacuous: string[]; bare: string[]; counts: Record<string, number> }
const rounds: Round[] = [];
for (let i = 1; i <= runs; i++) {
  console.error(`\n=== round ${i}/${runs}: stack down${a.purge ? ' --purge' : ''}, then npm start ===`);
  await timed(process.execPath, ['bin/efd-health.js', 'stack', 'down', ...(a.purge ? ['--purge'] : [])]);
  // npm start is exactly these two steps; timing them apart shows where the minutes go
  const up = await timed(process.execPath, ['bin/efd-health.js', 'stack', 'up']);
  const run = up.code === 0 ? await timed(process.execPath, ['bin/efd-health.js', 'run']) : { code: up.code, s: 0 };
  const dir = realpathSync(join(REPO_ROOT, 'reports', 'latest'));
  const findings: Finding[] = readFileSync(join(dir, 'findings.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.status] = (counts[f.status] ?? 0) + 1;
  rounds.push({
    code: run.code,
    upS: up.s,
    runS: run.s,
    failing: findings.filter((f) => f.status === 'fail' || f.status === 'error').map((f) => `${f.id} [${f.target}] ${f.reason}: ${f.message}`),
    vacuous: findings.filter((f) => f.status === 'pass' && /nothing to judge/i.test(f.message)).map((f) => `${f.id} [${f.target}]`),
    bare: findings.filter((f) => f.status === 'pass' && !hasEvidence(f)).map((f) => `${f.id} [${f.target}]`),
    counts,
  });
}

console.log(`\nnpm start × ${runs}, each after stack down${a.purge ? ' --purge' : ''} (times in s)`);
console.log('round  exit  stack up  run    total  pass  warn  fail  skip  vacuous passes  passes without measurements or evidence');
rounds.forEach((r, i) =>
  console.log(
    `${String(i + 1).padEnd(6)} ${String(r.code).padEnd(5)} ${r.upS.toFixed(0).padEnd(9)} ${r.runS.toFixed(0).padEnd(6)} ${(r.upS + r.runS).toFixed(0).padEnd(6)} ` +
      `${String(r.counts.pass ?? 0).padEnd(5)} ${String(r.counts.warn ?? 0).padEnd(5)} ${String((r.counts.fail ?? 0) + (r.counts.error ?? 0)).padEnd(5)} ${String(r.counts.skip ?? 0).padEnd(5)} ` +
      `${String(r.vacuous.length).padEnd(15)} ${r.bare.length}${r.bare.length ? ` (${[...new Set(r.bare)].join(', ')})` : ''}`,
  ),
);
for (const [i, r] of rounds.entries()) for (const f of r.failing) console.log(`round ${i + 1} failing: ${f}`);
const ok = rounds.filter((r) => r.code === 0).length;
console.log(`${ok} of ${runs} exit 0; longest total ${Math.max(...rounds.map((r) => r.upS + r.runS)).toFixed(0)} s; vacuous passes ${rounds.reduce((s, r) => s + r.vacuous.length, 0)}`);
process.exit(ok === runs ? 0 : 1);
