// Brings the local stack up before the tests (installing it on first use) and stops it afterwards only if
// this run started it from nothing. EFD_SKIP_STACK=1 skips this for tests that need no live service.
export default async function setup(): Promise<(() => Promise<void>) | void> {
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
