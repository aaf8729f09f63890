// The ingress suite against the local stack's own nginx: in the deployed phase every check passes for the
// four plan hosts. Also runs the suite file itself through the runner (src/runner/vitest.ts), so what
// `efd-health run` sees is what is tested here. Read-only, but under the stack lock, so that another
// test's fault on the shared stack (an ingress restart, the pre-deploy phase) is not in progress.
import { describe, expect, test } from 'vitest';
import { defaultProfilePath, loadProfile } from '../src/config/profile.ts';
import { runIngress } from '../src/ingress/run.ts';
import { ingressTargets } from '../src/ingress/targets.ts';
import { withStackLock } from '../scripts/stack/lock.ts';

/** Another test may hold the stack lock for minutes (a fault, a soak run); these wait for it. */
const LOCK_WAIT_MS = 600_000;

const PLAN_HOSTS = [
  'lsst-argocd-ldf.ncsa.illinois.edu',
  'lsst-schema-registry-ldf-efd.ncsa.illinois.edu',
  'lsst-influxdb-nts-ldf.ncsa.illinois.edu',
  'lsst-chronograf-ldf-efd.ncsa.illinois.edu',
];

describe.skipIf(process.env.EFD_SKIP_STACK === '1')('ingress of the local stack', () => {
  test('the local profile names the four plan hosts, one of each service', () => {
    const targets = ingressTargets(loadProfile(defaultProfilePath()));
    expect(targets.map((t) => t.host).sort()).toEqual([...PLAN_HOSTS].sort());
    expect(targets.map((t) => t.kind).sort()).toEqual(['argocd', 'chronograf', 'influxdb', 'schema-registry']);
  });

  test('deployed phase: every check passes for the four plan hosts', async () => {
    const profile = { ...loadProfile(defaultProfilePath()), phase: 'deployed' as const };
    const run = await withStackLock(() => runIngress(profile));
    const problems = run.verdicts
      .filter((v) => v.outcome.status !== 'pass' && v.outcome.status !== 'skip')
      .map((v) => `${v.outcome.target} ${v.id}: ${v.outcome.status} ${v.outcome.reason}: ${v.outcome.message}`);
    expect(problems).toEqual([]);
    for (const host of PLAN_HOSTS) {
      const passed = run.verdicts.filter((v) => v.outcome.target === host && v.outcome.status === 'pass').map((v) => v.id);
      // everything but the vantage check (inside the allowlist) and, for the registry, the anonymous-access rule
      expect(passed.length, host).toBeGreaterThanOrEqual(13);
    }
  }, LOCK_WAIT_MS);
});

describe.skipIf(process.env.EFD_SKIP_STACK === '1')('suites/ingress through the runner', () => {
  test('every ingress check passes on the local stack', async () => {
    const { runSuiteFiles, suitesDir } = await import('../src/runner/vitest.ts');
    const result = await withStackLock(() => runSuiteFiles(suitesDir(), ['ingress']));
    expect(result.moduleErrors).toEqual([]);
    expect(result.cases.map((c) => c.name).sort()).toEqual([...(await import('../src/catalog/ingress.ts')).INGRESS_CHECK_IDS].sort());
    expect(result.cases.filter((c) => c.state !== 'passed').map((c) => `${c.name}: ${c.error}`)).toEqual([]);
  }, LOCK_WAIT_MS);
});
