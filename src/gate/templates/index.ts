// Template registry: rules.yaml names one of these; each is a pure function of the deployment model.
import type { Template } from '../types.ts';
import { argocd_apps, exemption_reasons, exemption_stale, profile_endpoints, value_files } from './argocd.ts';
import { influx_auth, influx_retention } from './influxdb.ts';
import { cq_policies, longterm_retention, rollup_coverage } from './phase2.ts';
import { allowlist_canonical, allowlist_ranges, allowlist_valid, ingress_backends, ingress_hosts, ingress_tls, ingress_tls_secrets } from './ingress.ts';
import { argocd_hooks, cronjob_concurrency, job_backoff, job_deadline, job_non_root, job_resources } from './jobs.ts';
import { marker_carried, replicator_source, replicator_topics, sink_config, sink_topics } from './pipeline.ts';
import { fit_cluster, fit_node, requests_declared } from './resources.ts';
import { argocd_github, chronograf_oauth, images_pinned, kafka_not_exposed, no_secret_literals, rbac_efd_health_reads, rbac_least_privilege, secret_refs } from './security.ts';
import { storage_budget, storage_class } from './storage.ts';
import { schema } from './schema.ts';
import { required_objects } from './required.ts';
import { claim_storage, cron_schedule, duplicate_names, requests_limits, selector_template, service_selector, target_ports } from './api.ts';

export const TEMPLATES: Record<string, Template> = {
  schema, argocd_apps, requests_declared, fit_node, fit_cluster, storage_class, storage_budget, influx_retention, influx_auth,
  ingress_hosts, ingress_tls, allowlist_ranges, allowlist_valid, allowlist_canonical, ingress_backends, ingress_tls_secrets,
  kafka_not_exposed, chronograf_oauth, argocd_github, no_secret_literals, secret_refs, images_pinned, replicator_source,
  replicator_topics, sink_config, sink_topics, marker_carried, cronjob_concurrency, job_deadline, job_backoff,
  job_resources, job_non_root, argocd_hooks, rbac_least_privilege, rbac_efd_health_reads, profile_endpoints, exemption_reasons,
  exemption_stale, required_objects, requests_limits, selector_template, service_selector, target_ports, claim_storage,
  duplicate_names, cron_schedule, value_files, rollup_coverage, longterm_retention, cq_policies,
};
