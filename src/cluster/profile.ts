// The profile's `kubernetes` block with its defaults: what the LDF's own deployment uses (Argo CD in
// `argocd`, the `efd` AppProject, efd-health's CronJob, Strimzi Connect in `kafka-connect`, the plan's
// local-path storage class).
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { Profile } from '../config/types.ts';
import { InputError } from '../errors.ts';

export interface KubernetesProfile {
  kubeconfig?: string;
  context?: string;
  in_cluster: boolean;
  argocd_namespace: string;
  project: string;
  cronjob: { namespace: string; name: string };
  storage_class: string;
  connect_namespace: string;
}

/** Undefined when the profile has no kubernetes block, or neither a kubeconfig nor in_cluster. */
export function kubernetesOf(profile: Pick<Profile, 'kubernetes'>): KubernetesProfile | undefined {
  const k = profile.kubernetes;
  if (!k || (!k.kubeconfig && !k.in_cluster)) return undefined;
  const [namespace, name] = (k.cronjob ?? 'efd-health/efd-health').split('/');
  return {
    kubeconfig: k.kubeconfig,
    context: k.context,
    in_cluster: k.in_cluster ?? false,
    argocd_namespace: k.argocd_namespace ?? 'argocd',
    project: k.project ?? 'efd',
    cronjob: { namespace, name },
    storage_class: k.storage_class ?? 'local-path',
    connect_namespace: k.connect_namespace ?? 'kafka-connect',
  };
}

/** The kubeconfig must be there and name a cluster before the suite runs: else an input error naming the key. */
export function checkKubeconfig(profile: Pick<Profile, 'file' | 'kubernetes'>): void {
  const k = kubernetesOf(profile);
  if (!k?.kubeconfig) return;
  if (!existsSync(k.kubeconfig)) throw new InputError(`${profile.file}: kubernetes.kubeconfig ${k.kubeconfig} does not exist`);
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(k.kubeconfig);
  } catch (e) {
    throw new InputError(`${profile.file}: kubernetes.kubeconfig ${k.kubeconfig} is not a kubeconfig: ${(e as Error).message.split('\n')[0]}`);
  }
  if (k.context && !kc.getContexts().some((c) => c.name === k.context))
    throw new InputError(`${profile.file}: kubernetes.context ${k.context} is not in ${k.kubeconfig} (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
  if (!kc.getCurrentCluster() && !k.context) throw new InputError(`${profile.file}: kubernetes.kubeconfig ${k.kubeconfig} has no current context; set kubernetes.context`);
}
