// Every Kubernetes API read the cluster suite makes, as data: facts.ts makes exactly these, and the gate
// checks that efd-health's RBAC grants nothing beyond them (manifests.rbac.efd_health_reads).
import type { ApiRead } from '../probes/kube.ts';

export interface ReadScope {
  argocdNamespace: string;
  project: string;
  /** the AppProject's destination namespaces */
  namespaces: string[];
  cronjob: { namespace: string; name: string };
  connectNamespace: string;
  /** the TLS Secrets the Ingresses of those namespaces name */
  tlsSecrets: Array<{ namespace: string; name: string }>;
}

export function clusterReads(s: ReadScope): ApiRead[] {
  return [
    { verb: 'get', group: 'argoproj.io', resource: 'appprojects', namespace: s.argocdNamespace, name: s.project },
    { verb: 'list', group: 'argoproj.io', resource: 'applications', namespace: s.argocdNamespace },
    ...s.namespaces.flatMap((namespace): ApiRead[] => [
      { verb: 'list', group: '', resource: 'pods', namespace },
      { verb: 'list', group: '', resource: 'persistentvolumeclaims', namespace },
      { verb: 'list', group: 'networking.k8s.io', resource: 'ingresses', namespace },
    ]),
    { verb: 'list', group: '', resource: 'nodes' },
    { verb: 'get', group: 'batch', resource: 'cronjobs', namespace: s.cronjob.namespace, name: s.cronjob.name },
    { verb: 'list', group: 'kafka.strimzi.io', resource: 'kafkaconnects', namespace: s.connectNamespace },
    { verb: 'list', group: 'kafka.strimzi.io', resource: 'kafkaconnectors', namespace: s.connectNamespace },
    ...s.tlsSecrets.map((t): ApiRead => ({ verb: 'get', group: '', resource: 'secrets', namespace: t.namespace, name: t.name })),
  ];
}

/** Whether an RBAC rule (of a Role in `namespace`, or a ClusterRole when undefined) grants `read`. */
export function grants(rule: { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[] }, namespace: string | undefined, read: ApiRead): boolean {
  if (namespace !== undefined && read.namespace !== namespace) return false;
  const has = (xs: string[] | undefined, x: string) => (xs ?? []).includes(x) || (xs ?? []).includes('*');
  if (!has(rule.apiGroups, read.group) || !has(rule.resources, read.resource) || !has(rule.verbs, read.verb)) return false;
  // list ignores resourceNames in RBAC: a named rule cannot grant it
  if (rule.resourceNames?.length) return read.verb !== 'list' && read.name !== undefined && rule.resourceNames.includes(read.name);
  return true;
}
