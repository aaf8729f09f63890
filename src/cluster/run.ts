// One cluster run: the facts, then the verdicts; a suite that does not apply says so for every check.
import { CLUSTER_CHECK_IDS, type ClusterCheckId } from '../catalog/cluster.ts';
import type { Profile } from '../config/types.ts';
import type { Outcome } from '../suite.ts';
import { gatherCluster } from './facts.ts';
import { kubernetesOf } from './profile.ts';
import { clusterThresholds, judgeCluster } from './verdicts.ts';

export async function runCluster(profile: Profile): Promise<Record<ClusterCheckId, Outcome[]>> {
  if (!kubernetesOf(profile)) {
    const why = `the profile has no kubernetes block (kubeconfig or in_cluster), so the cluster's own view is not read`;
    const na: Outcome = { status: 'skip', reason: 'not_applicable', message: why };
    return Object.fromEntries(CLUSTER_CHECK_IDS.map((id) => [id, [na]])) as Record<ClusterCheckId, Outcome[]>;
  }
  const th = clusterThresholds(profile);
  return judgeCluster(await gatherCluster(profile), th);
}
