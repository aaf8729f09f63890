// bin/efd-health.js runs the compiled CLI (dist/), and falls back to the TypeScript sources through tsx,
// saying so, when dist/ is missing or older than src/ (a development checkout after an edit). Offline.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { ROOT } from './cli-helpers.ts';

function help(root: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.EFD_HEALTH_FROM_SOURCE;
  return spawnSync(process.execPath, [join(root, 'bin/efd-health.js'), '--help'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
}

/** A copy of what the entry point looks at (bin, src, dist, package.json) sharing node_modules. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'efd-start-'));
  for (const d of ['bin', 'src', 'dist', 'package.json']) cpSync(join(ROOT, d), join(dir, d), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

beforeAll(() => {
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stdout + r.stderr).toBe(0);
}, 130_000);

test('after npm run build, the CLI runs dist/ without a word about it', () => {
  const r = help(ROOT);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^Usage: efd-health <command>/);
  expect(r.stderr).toBe('');
});

test('a source newer than the build runs the sources through tsx and says why', () => {
  const dir = copy();
  try {
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'src/errors.ts'), future, future);
    const r = help(dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: efd-health <command>/);
    expect(r.stderr).toBe('efd-health: src/ changed since dist/ was built: running the TypeScript sources through tsx (npm run build compiles them)\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without dist/ the sources run through tsx, and it says so', () => {
  const dir = copy();
  try {
    rmSync(join(dir, 'dist'), { recursive: true });
    const r = help(dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('efd-health: dist/ is not built: running the TypeScript sources through tsx');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
