// The ingress suite in one call: targets from the profile and manifests, facts for every host (bounded
// parallelism), then verdicts. Suites and the project's tests both come through here.
import type { Profile } from '../config/types.ts';
import { loadTrustStore } from './chain.ts';
import { gatherIngress, type HostFacts } from './facts.ts';
import { ingressPolicy } from './policy.ts';
import { ingressTargets } from './targets.ts';
import { evaluateHost, type Verdict } from './verdicts.ts';

/** Hosts probed at once; each host opens about nine connections (handshake, four protocol probes, HTTP). */
export const MAX_PARALLEL_HOSTS = 8;

export interface IngressRun {
  facts: HostFacts[];
  verdicts: Verdict[];
  duration_ms: number;
}

export async function runIngress(profile: Profile, opts: { now?: Date; maxParallel?: number } = {}): Promise<IngressRun> {
  const t0 = performance.now();
  const policy = ingressPolicy(profile);
  const targets = ingressTargets(profile);
  const store = loadTrustStore(profile.ingress.ca_bundle);
  const facts = await gatherIngress(
    targets,
    {
      phase: profile.phase,
      expectRefused: profile.ingress.expect_refused ?? false,
      timeoutMs: profile.timeout_ms,
      resolve: profile.ingress.resolve ?? {},
      policy,
    },
    opts.maxParallel ?? MAX_PARALLEL_HOSTS,
  );
  const now = opts.now ?? new Date();
  const verdicts = facts.flatMap((f) => evaluateHost(f, policy, store, now));
  return { facts, verdicts, duration_ms: Math.round(performance.now() - t0) };
}
