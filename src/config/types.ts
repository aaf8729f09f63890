// The resolved profile: where to reach each system from one vantage point. Secrets are references
// (env var or file), resolved only where they are used (src/config/secrets.ts), never stored here.

export type SecretRef = { env: string } | { file: string };

export interface Credentials {
  username: SecretRef;
  password: SecretRef;
}

export interface KafkaEndpoint {
  /** host:port list */
  bootstrap: string[];
  /** expected broker count */
  brokers?: number;
}

export interface Profile {
  /** absolute path of the profile file it came from */
  file: string;
  env: string;
  vantage: string;
  production: boolean;
  /** pre-deploy: every host but Argo CD answers 404 from the ingress; deployed: the services answer */
  phase: 'pre-deploy' | 'deployed';
  /** manifests folder the live checks compare against (absolute) */
  manifests: string;
  kafka: { summit: KafkaEndpoint; ldf: KafkaEndpoint };
  registry: { summit: { url: string }; ldf: { url: string } };
  /** config_topic: the worker's config.storage.topic (else taken from a KafkaConnect in the manifests) */
  connect: { url: string; jmx?: string; config_topic?: string };
  influxdb: {
    url: string;
    database: string;
    /** the read-only user (EFD client users) */
    read?: Credentials;
    /** a user allowed to write markers' cleanup and efd_health points */
    admin?: Credentials;
  };
  ingress: {
    /** https port the ingress answers on (443 in production) */
    https_port: number;
    /** plain http port, for the redirect check (80 in production) */
    http_port: number;
    /** extra CA bundle (PEM) trusted besides the system store */
    ca_bundle?: string;
    /** host -> address:port, like curl --resolve */
    resolve: Record<string, string>;
    /** hosts added to those in the manifests' Ingresses */
    extra_hosts: string[];
    /** this vantage is outside the allowlist: connections must be refused (or 403) */
    expect_refused: boolean;
  };
  markers: { topic: string; count: number };
  load: { topic_prefix: string; max_rate_bytes_per_s: number; max_duration_s: number };
  /** thresholds.<check id>.<name> overrides the catalog default */
  thresholds: Record<string, Record<string, number | string | boolean>>;
  report: {
    influxdb?: { enabled: boolean; url: string; database: string; credentials?: Credentials };
  };
  /** the Kubernetes API the cluster suite reads (absent: the suite does not apply) */
  kubernetes?: {
    kubeconfig?: string;
    context?: string;
    in_cluster?: boolean;
    argocd_namespace?: string;
    project?: string;
    /** namespace/name */
    cronjob?: string;
    storage_class?: string;
    connect_namespace?: string;
  };
  /** per-call deadline for network probes */
  timeout_ms: number;
}
