#!/usr/bin/env node
// Entry point: runs the compiled CLI, dist/src/cli.js (`npm run build`, which npm install runs as
// `prepare`), so a start costs no TypeScript compilation. When dist/ is missing or older than a file of
// src/ and tsx is installed (a development checkout), it runs the sources through tsx instead and says so:
// an edit is never silently ignored. EFD_HEALTH_FROM_SOURCE=1 asks for the sources, =0 for dist/ whatever
// the file times say (the Docker image, where vitest brings tsx along).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = `${root}dist/BUILT`;

function builtAt() {
  return existsSync(stamp) ? statSync(stamp).mtimeMs : -1;
}

function sourcesNewerThan(t) {
  for (const f of readdirSync(`${root}src`, { recursive: true })) {
    if (typeof f === 'string' && f.endsWith('.ts') && statSync(`${root}src/${f}`).mtimeMs > t) return true;
  }
  return false;
}

async function fromSource(why) {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    return false;
  }
  if (why) process.stderr.write(`efd-health: ${why}: running the TypeScript sources through tsx (npm run build compiles them)\n`);
  register();
  await import('../src/cli.ts');
  return true;
}

const t = builtAt();
const choice = process.env.EFD_HEALTH_FROM_SOURCE;
if (choice === '1') {
  if (!(await fromSource(''))) throw new Error('EFD_HEALTH_FROM_SOURCE=1 needs tsx, a development dependency');
} else if (choice !== '0' && (t < 0 || sourcesNewerThan(t))) {
  const why = t < 0 ? 'dist/ is not built' : 'src/ changed since dist/ was built';
  if (!(await fromSource(why))) {
    if (t < 0) {
      process.stderr.write('efd-health: dist/src/cli.js is missing and tsx is not installed: run npm run build\n');
      process.exit(5);
    }
    await import('../dist/src/cli.js'); // an image without tsx: the build it shipped with
  }
} else {
  await import('../dist/src/cli.js');
}
