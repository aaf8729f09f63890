import type { CheckSpec } from './types.ts';

// The cluster as the plan describes it (section 2.1: 4 nodes × 4 CPUs / 15 GB, local-path-provisioner) and as
// an SRE checks it after an Argo CD sync. Read through the Kubernetes API with efd-health's own identity.

export const CLUSTER_CHECK_IDS = [
  'cluster.argocd.applications',
  'cluster.pods.ready',
  'cluster.storage.pvcs',
  'cluster.nodes.capacity',
  'cluster.efd_health.cronjob',
  'cluster.strimzi.ready',
  'cluster.ingress.tls_secrets',
] as const;
export type ClusterCheckId = (typeof CLUSTER_CHECK_IDS)[number];

const API_REASONS = ['auth', 'unreachable', 'connect', 'timeout', 'dns', 'http_status', 'missing'] as const;

export const clusterChecks: CheckSpec[] = [
  {
    id: 'cluster.argocd.applications',
    suite: 'cluster',
    title: 'Argo CD Applications of the EFD project are Synced and Healthy',
    description:
      'Every Application of the AppProject (profile kubernetes.project, default efd) in the Argo CD namespace must ' +
      'have sync status Synced and health Healthy. OutOfSync or Degraded names the resources that are not, with ' +
      "Argo CD's own status message.",
    reasons: ['state', ...API_REASONS],
    source: 'plan TL;DR "Deploy the LDF EFD using Argo CD"',
  },
  {
    id: 'cluster.pods.ready',
    suite: 'cluster',
    title: 'The pods of the EFD namespaces are Ready and not restarting',
    description:
      "Pods in the AppProject's destination namespaces must be Ready (a Job's pod may be Succeeded instead). A " +
      'container waiting in CrashLoopBackOff, ImagePullBackOff, ErrImagePull or CreateContainerConfigError fails, ' +
      'naming the container and reason; a container that restarted within the window warns, with its last ' +
      'termination reason.',
    reasons: ['state', ...API_REASONS],
    thresholds: { restart_window_min: { default: 60, unit: 'min', doc: 'a restart that ended within this window warns' } },
    source: 'issue 19',
  },
  {
    id: 'cluster.storage.pvcs',
    suite: 'cluster',
    title: 'PersistentVolumeClaims are Bound on the declared class with the requested size',
    description:
      'Every PVC in the EFD namespaces must be Bound, on the storage class the plan chose (profile ' +
      'kubernetes.storage_class, default local-path), with a capacity at least what it requested.',
    reasons: ['state', 'policy', 'capacity', ...API_REASONS],
    source: 'plan §2.1.1 (local-path-provisioner mount points)',
  },
  {
    id: 'cluster.nodes.capacity',
    suite: 'cluster',
    title: "The EFD's requests fit what the nodes allocate, on a cluster the size of the plan's",
    description:
      'Sums the CPU and memory requests of the pods in the EFD namespaces and compares them with what the Ready ' +
      'nodes allocate: more requested than allocatable fails. Fewer Ready nodes than the plan, or less allocatable ' +
      'than min_fraction of the plan’s totals, warns.',
    reasons: ['capacity', ...API_REASONS],
    thresholds: {
      plan_nodes: { default: 4, unit: 'nodes', doc: 'the plan: Size: 4 nodes' },
      plan_cpu_cores: { default: 16, unit: 'cores', doc: 'the plan: Total cores: 16 vCPUs' },
      plan_memory_gb: { default: 60, unit: 'GB', doc: 'the plan: Total memory: 60 GB (GB = 10^9 bytes)' },
      min_fraction: { default: 0.85, unit: 'ratio', doc: "allocatable may be this fraction of the plan's capacity (system reserve)" },
    },
    source: 'plan §2.1 (4 nodes, 16 vCPUs, 60 GB); TL;DR "enough resources for phase 1"',
  },
  {
    id: 'cluster.efd_health.cronjob',
    suite: 'cluster',
    title: "efd-health's own CronJob last succeeded within two schedule periods",
    description:
      'The inside view beside the Kapacitor deadman: the efd-health CronJob (profile kubernetes.cronjob) must not be ' +
      'suspended, and its status.lastSuccessfulTime must be within periods × its schedule period. A CronJob younger ' +
      'than that with no success yet is a skip.',
    reasons: ['state', 'stale', ...API_REASONS],
    thresholds: { periods: { default: 2, unit: 'periods', doc: 'schedule periods without a success before it fails' } },
    source: 'issue 19; the Kapacitor deadman (manifests/ldf/efd-health/monitoring)',
  },
  {
    id: 'cluster.strimzi.ready',
    suite: 'cluster',
    title: 'Strimzi KafkaConnect and KafkaConnectors are Ready',
    description:
      'Every KafkaConnect and KafkaConnector in the Connect namespace (profile kubernetes.connect_namespace) must ' +
      "have condition Ready=True; otherwise the finding carries Strimzi's reason and message. None at all fails (missing).",
    reasons: ['state', ...API_REASONS],
    source: 'plan (Kafka Connect with the Replicator and the InfluxDB sink)',
  },
  {
    id: 'cluster.ingress.tls_secrets',
    suite: 'cluster',
    title: 'The TLS Secrets the Ingresses name hold valid certificates for their hosts, the ones the ingress serves',
    description:
      "For every Ingress TLS entry in the EFD namespaces: the Secret's tls.crt parses, is valid under the ingress " +
      "suite's expiry thresholds (ingress.tls.expiry), names every host of the entry, and is the certificate the " +
      'ingress serves for those hosts (SHA-256 fingerprints compared). Reading a Secret needs get on that Secret only.',
    reasons: ['cert_expired', 'cert_expiring', 'cert_not_yet_valid', 'hostname_mismatch', 'drift', 'schema', ...API_REASONS],
    source: 'issue 19; ingress.tls.* policy',
  },
];
