// Prepares the machine for the tests: Debian's Chromium (the report.html test renders the page in it) and the
// local stack, brought up before the tests (installing it on first use) and stopped afterwards only if this run
// started it from nothing. EFD_SKIP_STACK=1 skips the stack for tests that need no live service.
import { existsSync } from 'node:fs';
import { $ } from 'zx';

const CHROMIUM = '/usr/bin/chromium';

/** A fresh machine lacks Chromium; as root on Debian it is installed here rather than by hand. */
async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM) || process.getuid?.() !== 0) return;
  console.log('chromium … installing (Debian package, for the report.html test)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await $({ env })`apt-get update`.nothrow().quiet();
  const r = await $({ env })`apt-get install -y --no-install-recommends chromium`.nothrow().quiet();
  if (r.exitCode !== 0) console.log(`chromium … not installed (apt-get exit ${r.exitCode}); the report.html test will be skipped`);
}

export default async function setup(): Promise<(() => Promise<void>) | void> {
  await ensureChromium();
  if (process.env.EFD_SKIP_STACK === '1') return;
  const stack = await import('../scripts/stack/index.ts');
  // a stack with any part running belongs to someone (a developer, another test run): never stop it
  const wasRunning = stack.anyRunning();
  await stack.up({ quiet: false });
  if (wasRunning || process.env.EFD_KEEP_STACK === '1') return;
  return async () => {
    await stack.down();
  };
}
