// The state of the pods behind a failing check, attached as evidence (what the RBAC comment promised): a
// replication or services check that fails says whether the pods it depends on are running, restarting or
// crash-looping. Only with a `kubernetes` profile block; bounded by the profile's deadline; never throws.
import type { Profile } from '../config/types.ts';
import { kubeApi, kubeRead } from '../probes/kube.ts';
import { kubernetesOf } from './profile.ts';

/** Check id prefix → the components whose pods stand behind it. */
const BEHIND: Array<[string, Component[]]> = [
  ['replication.marker.replication_hop', ['connect']],
  ['replication.marker.sink_hop', ['connect', 'influxdb']],
  ['replication.marker.e2e_latency', ['connect', 'influxdb']],
  ['services.connect.', ['connect']],
  ['services.registry.', ['registry']],
  ['services.influxdb.', ['influxdb']],
  ['services.kafka.', ['kafka']],
  ['data.sink.', ['connect']],
];

type Component = 'connect' | 'registry' | 'influxdb' | 'kafka';

/** Where each component runs in the LDF deployment (manifests/ldf/apps). */
const NAMESPACE: Record<Component, (k: NonNullable<ReturnType<typeof kubernetesOf>>) => string> = {
  connect: (k) => k.connect_namespace,
  registry: () => 'cp-helm-charts',
  kafka: () => 'cp-helm-charts',
  influxdb: () => 'influxdb',
};

export interface PodState {
  pod: string;
  phase: string;
  ready: boolean;
  restarts: number;
  /** a container waiting (CrashLoopBackOff …) or its last termination reason */
  why?: string;
}

export function namespacesBehind(checkId: string, profile: Pick<Profile, 'kubernetes'>): string[] {
  const k = kubernetesOf(profile);
  if (!k) return [];
  const comps = BEHIND.find(([prefix]) => checkId.startsWith(prefix))?.[1] ?? [];
  return [...new Set(comps.map((c) => NAMESPACE[c](k)))];
}

/** Pods of the namespaces behind `checkId`, or an `error` sentence; undefined when nothing applies. */
export async function podEvidence(checkId: string, profile: Profile): Promise<Record<string, PodState[] | string> | undefined> {
  const namespaces = namespacesBehind(checkId, profile);
  if (!namespaces.length) return undefined;
  const k = kubernetesOf(profile)!;
  const out: Record<string, PodState[] | string> = {};
  try {
    const api = kubeApi({ kubeconfig: k.kubeconfig, context: k.context, inCluster: k.in_cluster, timeoutMs: Math.min(profile.timeout_ms, 3000) });
    await Promise.all(
      namespaces.map(async (namespace) => {
        try {
          const pods = await kubeRead(api, { verb: 'list', group: '', resource: 'pods', namespace }, () => api.core.listNamespacedPod({ namespace }));
          out[namespace] = pods.items.map((p) => {
            const cs = p.status?.containerStatuses ?? [];
            const waiting = cs.find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
            const last = cs.find((c) => c.lastState?.terminated?.reason)?.lastState?.terminated?.reason;
            return {
              pod: p.metadata?.name ?? '?',
              phase: p.status?.phase ?? 'Unknown',
              ready: (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
              restarts: cs.reduce((s, c) => s + c.restartCount, 0),
              ...(waiting ? { why: waiting } : last ? { why: `last terminated: ${last}` } : {}),
            };
          });
        } catch (e) {
          out[namespace] = (e as Error).message;
        }
      }),
    );
  } catch (e) {
    return { error: (e as Error).message };
  }
  return out;
}
