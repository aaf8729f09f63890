// Every Kubernetes API read the cluster suite makes, as data: facts.ts makes these, and the gate checks that
// efd-health's RBAC grants nothing beyond them (manifests.rbac.efd_health_reads). The box runs the suite with
// exactly that RBAC (test/cluster-live.test.ts), so a read facts.ts made beyond this list would be forbidden
// there and fail its check with reason auth.
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
