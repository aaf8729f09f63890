// Every rule of the gate can fail, alone: a copy of manifests/ldf broken in exactly one way fails with
// exactly that rule id; the unbroken manifests pass. Offline (run with EFD_SKIP_STACK=1).
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadRules } from '../src/gate/index.ts';
import { evaluateGate, LDF_PHASE2, removeFile, removeScratch, replaceOnce, ruleIds, scratchCopy, writeFile } from './gate-helpers.ts';

/** `base`: the manifests to break (default manifests/ldf; the phase 2 rules need the phase 2 overlay). */
type Mutation = { what: string; apply: (dir: string) => void; base?: string };

/** A small, otherwise conforming Deployment whose selector is `sel` and pod label `label`. */
function deployment(sel: string, label: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: efd-health-web
  namespace: efd-health
spec:
  replicas: 1
  selector:
    matchLabels: { app.kubernetes.io/name: ${sel} }
  template:
    metadata:
      labels: { app.kubernetes.io/name: ${label} }
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
          ports: [{ containerPort: 8080, name: http }]
          resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { cpu: 100m, memory: 64Mi } }
`;
}

function service(selector: string, targetPort: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: efd-health-web
  namespace: efd-health
spec:
  selector: { ${selector} }
  ports:
    - { name: http, port: 80, targetPort: ${targetPort} }
`;
}

const SINK = 'kafka-connect/influxdb-sink.yaml';
const MM2 = 'kafka-connect/replicator.yaml';
const CRON = 'efd-health/jobs/cronjob.yaml';
const RBAC = 'efd-health/config/rbac.yaml';

// One mutation per rule. Each breaks the manifests in the way the rule exists to catch.
export const MUTATIONS: Record<string, Mutation> = {
  'manifests.schema.valid': {
    what: 'a VaultSecret gets a field its schema does not have',
    apply: (d) => replaceOnce(d, 'secrets/credentials.yaml', 'path: secret/k8s_operator/lsst-ldf-efd/chronograf-oauth', 'path: secret/k8s_operator/lsst-ldf-efd/chronograf-oauth\n  colour: blue'),
  },
  'manifests.argocd.apps': {
    what: 'an object in a folder no Application syncs',
    apply: (d) => writeFile(d, 'orphans/extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: efd-health\ndata:\n  a: b\n'),
  },
  'manifests.values.files': {
    what: 'InfluxDB values from a values-ldf.yaml inside the upstream chart repository, unreadable offline',
    apply: (d) => replaceOnce(d, 'apps/influxdb.yaml', '      releaseName: influxdb\n', '      releaseName: influxdb\n      valueFiles:\n        - values-ldf.yaml\n'),
  },
  'manifests.resources.requests': {
    what: 'Chronograf loses its requests',
    apply: (d) => replaceOnce(d, 'apps/chronograf.yaml', 'requests: { cpu: 100m, memory: 256Mi }\n', ''),
  },
  'manifests.resources.fit_node': {
    what: 'InfluxDB requests 5 CPU (limit 6)',
    apply: (d) => replaceOnce(d, 'apps/influxdb.yaml', 'requests: { cpu: "2", memory: 12Gi }\n          limits: { cpu: "4", memory: 14Gi }', 'requests: { cpu: "5", memory: 12Gi }\n          limits: { cpu: "6", memory: 14Gi }'),
  },
  'manifests.resources.fit_cluster': {
    what: 'ten Kafka Connect workers',
    apply: (d) => replaceOnce(d, 'kafka-connect/connect.yaml', 'replicas: 3', 'replicas: 10'),
  },
  'manifests.storage.local_path': {
    what: 'Kafka volumes on another storage class',
    apply: (d) => replaceOnce(d, 'apps/kafka.yaml', 'size: 300Gi\n          storageClass: local-path', 'size: 300Gi\n          storageClass: standard'),
  },
  'manifests.storage.budget': {
    what: 'InfluxDB volume of 3500 GiB',
    apply: (d) => replaceOnce(d, 'apps/influxdb.yaml', 'size: 2560Gi', 'size: 3500Gi'),
  },
  'manifests.influxdb.retention': {
    what: 'efd keeps 30 days',
    apply: (d) => replaceOnce(d, 'apps/influxdb.yaml', 'CREATE DATABASE "efd" WITH DURATION 4380h', 'CREATE DATABASE "efd" WITH DURATION 30d'),
  },
  'manifests.influxdb.auth': {
    what: 'InfluxDB authentication off',
    apply: (d) => replaceOnce(d, 'apps/influxdb.yaml', 'auth_enabled: true', 'auth_enabled: false'),
  },
  'manifests.ingress.hosts': {
    what: 'Chronograf served under the old NCSA name',
    apply: (d) => {
      replaceOnce(d, 'ingress/chronograf.yaml', '        - lsst-chronograf-ldf-efd.ncsa.illinois.edu', '        - lsst-chronograf-efd.ncsa.illinois.edu');
      replaceOnce(d, 'ingress/chronograf.yaml', 'host: lsst-chronograf-ldf-efd.ncsa.illinois.edu', 'host: lsst-chronograf-efd.ncsa.illinois.edu');
    },
  },
  'manifests.ingress.tls': {
    what: 'the InfluxDB Ingress without TLS',
    apply: (d) => replaceOnce(d, 'ingress/influxdb.yaml', '  tls:\n    - hosts:\n        - lsst-influxdb-nts-ldf.ncsa.illinois.edu\n      secretName: lsst-influxdb-nts-ldf-tls\n', ''),
  },
  'manifests.ingress.allowlist': {
    what: 'the VPN range dropped from the InfluxDB allowlist',
    apply: (d) => replaceOnce(d, 'ingress/influxdb.yaml', '"140.252.32.0/23,140.252.33.0/23,140.252.90.0/23"', '"140.252.32.0/23,140.252.33.0/23"'),
  },
  'manifests.ingress.cidr_valid': {
    what: 'a typo in an allowlist address',
    apply: (d) => replaceOnce(d, 'ingress/schema-registry.yaml', '140.252.90.0/23"', '140.252.90.0/23,140.252.300.0/23"'),
  },
  'manifests.ingress.cidr_canonical': {
    what: 'the plan\'s non-canonical range without its exemption',
    apply: (d) => replaceOnce(d, 'ingress/chronograf.yaml', 'efd-health.lsst.io/exempt-manifests.ingress.cidr_canonical', 'note'),
  },
  'manifests.ingress.backend_service': {
    what: 'the Chronograf Ingress on the container port instead of the Service port',
    apply: (d) => replaceOnce(d, 'ingress/chronograf.yaml', 'number: 80', 'number: 8888'),
  },
  'manifests.ingress.tls_secret': {
    what: 'a TLS secret name nobody provides',
    apply: (d) => replaceOnce(d, 'ingress/influxdb.yaml', 'secretName: lsst-influxdb-nts-ldf-tls', 'secretName: influxdb-tls'),
  },
  'manifests.kafka.not_exposed': {
    what: 'NodePorts on the LDF brokers',
    apply: (d) => replaceOnce(d, 'apps/kafka.yaml', 'nodeport:\n          enabled: false', 'nodeport:\n          enabled: true'),
  },
  'manifests.chronograf.oauth': {
    what: 'Chronograf open to a second organization',
    apply: (d) => replaceOnce(d, 'apps/chronograf.yaml', 'GH_ORGS: lsst-sqre', 'GH_ORGS: "lsst-sqre,lsst-ts"'),
  },
  'manifests.argocd.github_org': {
    what: 'the dex GitHub connector without an org restriction',
    apply: (d) => replaceOnce(d, 'argocd/argocd-cm.yaml', '          orgs:\n            - name: lsst-sqre\n', ''),
  },
  'manifests.secrets.no_literals': {
    what: 'the sink password written in the connector config',
    apply: (d) => replaceOnce(d, SINK, 'connect.influx.password: ${secrets:kafka-connect/influxdb-auth:influxdb-password}', 'connect.influx.password: s3cret-s3cret'),
  },
  'manifests.secrets.refs_provided': {
    what: 'the CronJob reading a Secret nobody provides',
    apply: (d) => replaceOnce(d, CRON, 'secretKeyRef: { name: efd-health, key: influxdb-read-user }', 'secretKeyRef: { name: efd-health-creds, key: influxdb-read-user }'),
  },
  'manifests.images.pinned': {
    what: 'Chronograf on latest',
    apply: (d) => replaceOnce(d, 'apps/chronograf.yaml', 'tag: 1.9.4', 'tag: latest'),
  },
  'manifests.replication.source': {
    what: 'the replicator reading the old NCSA broker instead of the Summit',
    apply: (d) => replaceOnce(d, MM2, 'MirrorSourceConnector\n  tasksMax: 10\n  config:\n    source.cluster.alias: summit\n    target.cluster.alias: ldf\n    source.cluster.bootstrap.servers: kafka-0-summit-efd.lsst.codes:31090', 'MirrorSourceConnector\n  tasksMax: 10\n  config:\n    source.cluster.alias: summit\n    target.cluster.alias: ldf\n    source.cluster.bootstrap.servers: lsst-kafka-0-efd.ncsa.illinois.edu:31090'),
  },
  'manifests.replication.topics': {
    what: 'the replicator forgets _schemas',
    apply: (d) => replaceOnce(d, MM2, 'MirrorSourceConnector\n  tasksMax: 10\n  config:\n    source.cluster.alias: summit\n    target.cluster.alias: ldf\n    source.cluster.bootstrap.servers: kafka-0-summit-efd.lsst.codes:31090\n    target.cluster.bootstrap.servers: cp-helm-charts-cp-kafka-headless.cp-helm-charts:9092\n    # topic names (and so Schema Registry subjects) stay those of the Summit\n    replication.policy.class: org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n    # the SAL topics and the Schema Registry\'s own topic, on all three connectors (SQR-050)\n    topics: "_schemas,', 'MirrorSourceConnector\n  tasksMax: 10\n  config:\n    source.cluster.alias: summit\n    target.cluster.alias: ldf\n    source.cluster.bootstrap.servers: kafka-0-summit-efd.lsst.codes:31090\n    target.cluster.bootstrap.servers: cp-helm-charts-cp-kafka-headless.cp-helm-charts:9092\n    # topic names (and so Schema Registry subjects) stay those of the Summit\n    replication.policy.class: org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n    # the SAL topics and the Schema Registry\'s own topic, on all three connectors (SQR-050)\n    topics: "'),
  },
  'manifests.sink.config': {
    what: 'the sink takes the time from private_sndStamp (TAI)',
    apply: (d) => replaceOnce(d, SINK, 'WITHTIMESTAMP private_efdStamp', 'WITHTIMESTAMP private_sndStamp'),
  },
  'manifests.sink.topics': {
    what: 'the sink skips the ESS topics',
    apply: (d) => replaceOnce(d, SINK, 'topics.regex: "lsst\\\\.sal\\\\..*"', 'topics.regex: "lsst\\\\.sal\\\\.(?!ESS\\\\.).*"'),
  },
  'manifests.markers.carried': {
    what: 'the replicator excludes the efd-health topics',
    apply: (d) => replaceOnce(d, MM2, 'MirrorSourceConnector\n  tasksMax: 10\n  config:\n    source.cluster.alias: summit\n    target.cluster.alias: ldf\n    source.cluster.bootstrap.servers: kafka-0-summit-efd.lsst.codes:31090\n    target.cluster.bootstrap.servers: cp-helm-charts-cp-kafka-headless.cp-helm-charts:9092\n    # topic names (and so Schema Registry subjects) stay those of the Summit\n    replication.policy.class: org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n    # the SAL topics and the Schema Registry\'s own topic, on all three connectors (SQR-050)\n    topics: "_schemas,lsst\\\\.sal\\\\..*"\n    topics.exclude: "', 'MirrorSourceConnector\n  tasksMax: 10\n  config:\n    source.cluster.alias: summit\n    target.cluster.alias: ldf\n    source.cluster.bootstrap.servers: kafka-0-summit-efd.lsst.codes:31090\n    target.cluster.bootstrap.servers: cp-helm-charts-cp-kafka-headless.cp-helm-charts:9092\n    # topic names (and so Schema Registry subjects) stay those of the Summit\n    replication.policy.class: org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n    # the SAL topics and the Schema Registry\'s own topic, on all three connectors (SQR-050)\n    topics: "_schemas,lsst\\\\.sal\\\\..*"\n    topics.exclude: "lsst\\\\.sal\\\\.EFDHealth\\\\..*,'),
  },
  'manifests.jobs.concurrency': {
    what: 'overlapping CronJob runs allowed',
    apply: (d) => replaceOnce(d, CRON, 'concurrencyPolicy: Forbid', 'concurrencyPolicy: Allow'),
  },
  'manifests.jobs.deadline': {
    what: 'the smoke Job without a deadline',
    apply: (d) => replaceOnce(d, 'efd-health/jobs/smoke.yaml', '  activeDeadlineSeconds: 600\n', ''),
  },
  'manifests.jobs.backoff': {
    what: 'the preflight Job without a backoff limit',
    apply: (d) => replaceOnce(d, 'efd-health/jobs/preflight.yaml', '  backoffLimit: 0\n', ''),
  },
  'manifests.jobs.resources': {
    what: 'the CronJob container without limits',
    apply: (d) => replaceOnce(d, CRON, '                limits: { cpu: "1", memory: 512Mi }\n', ''),
  },
  'manifests.jobs.non_root': {
    what: 'the smoke Job allowed to run as root',
    apply: (d) => replaceOnce(d, 'efd-health/jobs/smoke.yaml', 'runAsNonRoot: true', 'runAsNonRoot: false'),
  },
  'manifests.hooks.annotations': {
    what: 'the preflight hook without BeforeHookCreation',
    apply: (d) => replaceOnce(d, 'efd-health/jobs/preflight.yaml', '    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\n', ''),
  },
  'manifests.rbac.least_privilege': {
    what: 'a Role that lets someone delete pods',
    apply: (d) =>
      writeFile(d, 'efd-health/config/writer.yaml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: pod-cleaner\n  namespace: chronograf\nrules:\n  - apiGroups: [""]\n    resources: [pods]\n    verbs: [list, delete]\n'),
  },
  'manifests.rbac.efd_health_reads': {
    what: 'efd-health allowed to watch nodes, which it never does',
    apply: (d) => replaceOnce(d, RBAC, '    resources: [nodes]\n    verbs: [list]', '    resources: [nodes]\n    verbs: [list, watch]'),
  },
  'manifests.profile.endpoints': {
    what: 'the profile names a Connect Service that does not exist',
    apply: (d) => replaceOnce(d, 'efd-health/config/profile.yaml', 'url: "http://efd-connect-api.kafka-connect:8083"', 'url: "http://connect.kafka-connect:8083"'),
  },
  'manifests.api.requests_limits': {
    what: 'InfluxDB requests more memory than its limit',
    apply: (d) => replaceOnce(d, 'apps/influxdb.yaml', 'limits: { cpu: "4", memory: 14Gi }', 'limits: { cpu: "4", memory: 10Gi }'),
  },
  'manifests.api.selector_template': {
    what: 'a Deployment whose selector misses its own pod labels',
    apply: (d) => writeFile(d, 'efd-health/config/web.yaml', deployment('efd-health-web', 'efd-health-www')),
  },
  'manifests.api.service_selector': {
    what: 'a Service selecting pods nobody makes',
    apply: (d) => writeFile(d, 'efd-health/config/svc.yaml', service('app.kubernetes.io/name: efd-health-web', 8080)),
  },
  'manifests.api.target_ports': {
    what: 'a Service on the CronJob pods, which expose no port',
    apply: (d) => writeFile(d, 'efd-health/config/svc.yaml', service('app.kubernetes.io/component: cronjob', 8080)),
  },
  'manifests.api.claim_storage': {
    what: 'a volume claim without a size',
    apply: (d) => writeFile(d, 'efd-health/config/pvc.yaml', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: reports\n  namespace: efd-health\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: local-path\n'),
  },
  'manifests.api.duplicate_names': {
    what: 'the profile ConfigMap declared twice',
    apply: (d) => cpSync(join(d, 'efd-health/config/profile.yaml'), join(d, 'efd-health/config/profile-copy.yaml')),
  },
  'manifests.api.cron_schedule': {
    what: 'a four-field CronJob schedule',
    apply: (d) => replaceOnce(d, CRON, 'schedule: "*/15 * * * *"', 'schedule: "*/15 * * *"'),
  },
  'manifests.required.cronjob': {
    what: 'the CronJob file deleted',
    apply: (d) => removeFile(d, CRON),
  },
  'manifests.required.hooks': {
    what: 'the PostSync smoke Job deleted',
    apply: (d) => removeFile(d, 'efd-health/jobs/smoke.yaml'),
  },
  'manifests.required.rbac': {
    what: 'the efd-health ServiceAccount dropped',
    apply: (d) => replaceOnce(d, RBAC, 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: efd-health\n  namespace: efd-health\n  labels:\n    app.kubernetes.io/name: efd-health\n---\n', ''),
  },
  'manifests.required.retention_script': {
    what: 'the InfluxDB init scripts turned off',
    apply: (d) => replaceOnce(d, 'apps/influxdb.yaml', 'initScripts:\n          enabled: true', 'initScripts:\n          enabled: false'),
  },
  'manifests.required.storage_class': {
    what: 'the local-path-provisioner chart no longer creates the class',
    apply: (d) => replaceOnce(d, 'apps/local-path-provisioner.yaml', 'create: true', 'create: false'),
  },
  'manifests.exemptions.reason': {
    what: 'an exemption without a reason',
    apply: (d) => replaceOnce(d, CRON, '    app.kubernetes.io/component: cronjob\nspec:', '    app.kubernetes.io/component: cronjob\n  annotations:\n    efd-health.lsst.io/exempt-manifests.images.pinned: "keys: [lsstsqre/efd-health:0.1.0]"\nspec:'),
  },
  'manifests.exemptions.stale': {
    what: 'the InfluxDB allowlist fixed, its exemption left behind',
    apply: (d) => replaceOnce(d, 'ingress/influxdb.yaml', '"140.252.32.0/23,140.252.33.0/23,140.252.90.0/23"', '"140.252.32.0/23,140.252.90.0/23"'),
  },
  'manifests.rollup.coverage': {
    what: 'the phase 2 CQ rolls up only telemetry of MTMount, not every SAL family the sink writes',
    base: LDF_PHASE2,
    apply: (d) => replaceOnce(d, 'apps/influxdb.yaml', String.raw`FROM "efd"."autogen"./^lsst\.sal\./`, String.raw`FROM "efd"."autogen"./^lsst\.sal\.MTMount\./`),
  },
  'manifests.rollup.longterm_retention': {
    what: 'the roll-up policy keeps 1 year instead of 10',
    base: LDF_PHASE2,
    apply: (d) => replaceOnce(d, 'apps/influxdb.yaml', 'CREATE RETENTION POLICY "downsampled" ON "efd" DURATION 87600h', 'CREATE RETENTION POLICY "downsampled" ON "efd" DURATION 8760h'),
  },
  'manifests.rollup.cq_policies': {
    what: 'the CQ writes into a retention policy no init script creates',
    base: LDF_PHASE2,
    apply: (d) => {
      replaceOnce(d, 'apps/influxdb.yaml', 'INTO "efd"."downsampled".:MEASUREMENT', 'INTO "efd"."downsampled_1m".:MEASUREMENT');
      // keep the 10-year policy a CQ writes into, so only the missing one is found
      replaceOnce(d, 'apps/influxdb.yaml', 'CREATE RETENTION POLICY "downsampled" ON "efd" DURATION 87600h REPLICATION 1 SHARD DURATION 30d', 'CREATE RETENTION POLICY "downsampled" ON "efd" DURATION 87600h REPLICATION 1 SHARD DURATION 30d\n              CREATE CONTINUOUS QUERY "rollup_1h" ON "efd" BEGIN SELECT mean(*) INTO "efd"."downsampled".:MEASUREMENT FROM "efd"."autogen"./^lsst\\.sal\\./ GROUP BY time(1h), * END');
    },
  },
};

let dir: string | undefined;
afterEach(() => {
  if (dir) removeScratch(dir);
  dir = undefined;
});

describe('gate rules (mutation tests)', () => {
  test('the unbroken manifests pass, with the plan allowlist and Argo CD backend as counted exemptions', () => {
    dir = scratchCopy();
    const r = evaluateGate(dir);
    expect(r.violations).toEqual([]);
    expect([...new Set(r.exemptions.map((e) => e.rule))].sort()).toEqual(['manifests.ingress.backend_service', 'manifests.ingress.cidr_canonical']);
    expect(r.exemptions.every((e) => e.exempted && e.exempted.length > 10)).toBe(true);
    // counted per finding: on each of the 4 Ingresses 140.252.33.0/23 is not canonical and overlaps 140.252.32.0/23
    expect(r.exemptions).toHaveLength(9);
  });

  test('the phase 2 overlay passes too, with the same exemptions', () => {
    dir = scratchCopy(LDF_PHASE2);
    const r = evaluateGate(dir);
    expect(r.violations).toEqual([]);
    expect(r.exemptions).toHaveLength(9);
  });

  test('every rule of rules.yaml has a mutation here', () => {
    expect(Object.keys(MUTATIONS).sort()).toEqual(loadRules().map((r) => r.id).sort());
  });

  for (const [rule, m] of Object.entries(MUTATIONS)) {
    test(`${rule}: ${m.what}`, () => {
      dir = scratchCopy(m.base);
      m.apply(dir);
      const r = evaluateGate(dir);
      expect(ruleIds(r), r.violations.map((v) => `${v.rule}: ${v.message}`).join('\n')).toEqual([rule]);
      for (const v of r.violations) {
        expect(v.file).toMatch(/\.yaml$/);
        expect(v.line).toBeGreaterThan(0);
      }
    });
  }
});
