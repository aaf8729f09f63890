// The stack's components: what each needs first, how it starts, how we know it answers, and what
// `up` re-applies every time (topics, users, registry rule, connectors) so that `up` also repairs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectReady, connectorAction, connectorsRunning, desiredConnectors, ensureConnectors, startConnect } from './connect.ts';
import type { Installed, Say } from './install.ts';
import { ensureInfluxSetup, influxReady, startInflux } from './influx.ts';
import { ingressReady, startIngress } from './ingress.ts';
import { deployBox, makeKubectl } from './kube-deploy.ts';
import { apiserverReady, etcdReady, healthz, kwokReady, startApiserver, startControllerManager, startEtcd, startKwok, startScheduler, writeCertKubeconfig } from './kube.ts';
import { ensureRegistryTopics, kafkaReady, startKafka } from './kafka.ts';
import { state, type PortKey, type Ports } from './paths.ts';
import { running, waitFor } from './proc.ts';
import { CCOMPAT, ensureGlobalCompatibility, registryReady, startRegistry } from './registry.ts';
import { settleTelegraf, startTelegraf, startWatcher, telegrafReady } from './telegraf.ts';
import { startSummit, summitReady, waitForSummitInInflux } from './summit-control.ts';

export interface Ctx {
  ports: Ports;
  installed: Installed;
  say: Say;
}

export interface Component {
  name: string;
  /** pid-file names; the first is the component's main process */
  procs: string[];
  ports: PortKey[];
  deps: string[];
  /** how long a start may take on a busy 2-core machine */
  timeoutMs: number;
  endpoint(p: Ports): string;
  start(ctx: Ctx): Promise<void>;
  healthy(p: Ports): Promise<boolean>;
  /** idempotent set-up run by every `up` once the component answers */
  ensure?(ctx: Ctx): Promise<void>;
}

const kafka = (name: 'kafka-summit' | 'kafka-ldf', port: PortKey, controller: PortKey): Component => ({
  name,
  procs: [name],
  ports: [port, controller],
  deps: [],
  timeoutMs: 120_000,
  endpoint: (p) => `127.0.0.1:${p[port]}`,
  start: (c) => startKafka(name, c.ports[port], c.ports[controller], c.installed.java, c.installed.kafkaClasspath),
  healthy: (p) => kafkaReady(p[port]),
  // the registry's topics exist before it starts: one partition, never deleted
  ensure: (c) => ensureRegistryTopics(c.ports[port]),
});

const registry = (name: 'registry-summit' | 'registry-ldf', port: PortKey, mgmt: PortKey, kafkaPort: PortKey): Component => ({
  name,
  procs: [name],
  ports: [port, mgmt],
  deps: [name === 'registry-summit' ? 'kafka-summit' : 'kafka-ldf'],
  timeoutMs: 180_000,
  endpoint: (p) => `http://127.0.0.1:${p[port]}${CCOMPAT}`,
  start: async (c) => startRegistry({
    name, port: c.ports[port], managementPort: c.ports[mgmt], kafkaPort: c.ports[kafkaPort],
    readOnly: name === 'registry-ldf', jar: c.installed.apicurioJar, java: c.installed.java21,
  }),
  healthy: (p) => registryReady(p[port]),
  // the rule is written at summit and reaches LDF through the mirrored journal
  ensure: name === 'registry-summit' ? (c) => ensureGlobalCompatibility(c.ports[port]) : undefined,
});

/** The box's Kubernetes (kube.ts): a control plane on loopback, KWOK's simulated nodes, and the deployment
 *  applied as Argo CD would (kube-deploy.ts), after Connect so the KafkaConnectors' state is real. */
const KUBE: Component[] = [
  {
    name: 'kube-etcd',
    procs: ['kube-etcd'],
    ports: ['kube_etcd', 'kube_etcd_peer'],
    deps: [],
    timeoutMs: 30_000,
    endpoint: (p) => `http://127.0.0.1:${p.kube_etcd}`,
    start: async (c) => startEtcd(c.ports, c.installed.etcd),
    healthy: (p) => etcdReady(p),
  },
  {
    name: 'kube-apiserver',
    procs: ['kube-apiserver'],
    ports: ['kube_apiserver'],
    deps: ['kube-etcd'],
    timeoutMs: 90_000,
    endpoint: (p) => `https://127.0.0.1:${p.kube_apiserver} (.stack/kube/admin.kubeconfig)`,
    start: (c) => startApiserver(c.ports, c.installed.kubeApiserver),
    healthy: (p) => apiserverReady(p),
  },
  {
    name: 'kube-controller-manager',
    procs: ['kube-controller-manager'],
    ports: ['kube_controller_manager'],
    deps: ['kube-apiserver'],
    timeoutMs: 60_000,
    endpoint: (p) => `https://127.0.0.1:${p.kube_controller_manager}/healthz`,
    start: async (c) => startControllerManager(c.ports, c.installed.kubeControllerManager),
    healthy: (p) => healthz(p.kube_controller_manager),
  },
  {
    name: 'kube-scheduler',
    procs: ['kube-scheduler'],
    ports: ['kube_scheduler'],
    deps: ['kube-apiserver'],
    timeoutMs: 60_000,
    endpoint: (p) => `https://127.0.0.1:${p.kube_scheduler}/healthz`,
    start: async (c) => startScheduler(c.ports, c.installed.kubeScheduler),
    healthy: (p) => healthz(p.kube_scheduler),
  },
  {
    name: 'kwok',
    procs: ['kwok'],
    ports: ['kwok'],
    deps: ['kube-controller-manager', 'kube-scheduler', 'connect'],
    timeoutMs: 30_000,
    endpoint: (p) => `http://127.0.0.1:${p.kwok} (4 simulated nodes)`,
    start: async (c) => {
      // a previous KWOK's node leases would keep this one from managing the nodes until they expire (40 s)
      await makeKubectl(c.installed.kubectl, writeCertKubeconfig(c.ports, 'admin'))(['delete', 'leases', '-n', 'kube-node-lease', '--all', '--ignore-not-found']);
      startKwok(c.ports, c.installed.kwok, c.installed.kwokStages);
    },
    healthy: (p) => kwokReady(p),
    ensure: (c) => deployBox(c.ports, c.installed.kubectl, c.say),
  },
];

export const COMPONENTS: Component[] = [
  kafka('kafka-summit', 'kafka_summit', 'kafka_summit_controller'),
  kafka('kafka-ldf', 'kafka_ldf', 'kafka_ldf_controller'),
  registry('registry-summit', 'registry_summit', 'registry_summit_management', 'kafka_summit'),
  registry('registry-ldf', 'registry_ldf', 'registry_ldf_management', 'kafka_ldf'),
  {
    name: 'connect',
    procs: ['connect'],
    ports: ['connect', 'connect_jmx'],
    deps: ['kafka-summit', 'kafka-ldf'],
    timeoutMs: 180_000,
    endpoint: (p) => `http://127.0.0.1:${p.connect}`,
    start: async (c) => startConnect(c.ports, c.installed.java, c.installed.kafkaClasspath),
    healthy: (p) => connectReady(p),
    ensure: async (c) => {
      await ensureConnectors(c.ports);
      if (await waitFor(() => connectorsRunning(c.ports), 10_000) === 'ok') return;
      // repair what a fault left behind: resume paused connectors, restart failed ones
      for (const d of desiredConnectors(c.ports)) {
        await connectorAction(c.ports, d.name, 'resume').catch(() => {});
        await connectorAction(c.ports, d.name, 'restart').catch(() => {});
      }
      if (await waitFor(() => connectorsRunning(c.ports), 90_000, () => running('connect'), 1000) !== 'ok') {
        throw new Error(`the MirrorMaker 2 connectors (${desiredConnectors(c.ports).map((d) => d.name).join(', ')}) are not all RUNNING`);
      }
    },
  },
  {
    name: 'influxdb',
    procs: ['influxdb'],
    ports: ['influxdb', 'influxdb_rpc'],
    deps: [],
    timeoutMs: 60_000,
    endpoint: (p) => `http://127.0.0.1:${p.influxdb}`,
    start: async (c) => startInflux(c.ports, c.installed.influxd),
    healthy: (p) => influxReady(p),
    ensure: (c) => ensureInfluxSetup(c.ports),
  },
  {
    name: 'telegraf',
    procs: ['telegraf', 'telegraf-watcher'],
    ports: [],
    deps: ['kafka-ldf', 'influxdb', 'registry-ldf'],
    timeoutMs: 30_000,
    endpoint: (p) => `telegraf-efd@127.0.0.1:${p.kafka_ldf} → http://127.0.0.1:${p.influxdb}/efd`,
    start: async (c) => {
      await startTelegraf(c.ports, c.installed.telegraf);
      await settleTelegraf();
    },
    healthy: () => telegrafReady(),
    ensure: async (c) => {
      if (!running('telegraf-watcher')) startWatcher(c.ports);
    },
  },
  {
    // the living Summit: SAL-shaped records at their cadences (fixtures/stack/summit.yaml); started last, and
    // `up` waits until its topics are in InfluxDB, so a stack that is up carries data end to end
    name: 'summit',
    procs: ['summit'],
    ports: [],
    deps: ['registry-summit', 'registry-ldf', 'connect', 'telegraf'],
    timeoutMs: 120_000,
    endpoint: (p) => `SAL producer → 127.0.0.1:${p.kafka_summit}`,
    start: async (c) => startSummit(c.ports),
    healthy: () => summitReady(),
    ensure: async (c) => {
      const missing = await waitForSummitInInflux(c.ports, 180_000);
      if (missing.length)
        throw new Error(`${missing.length} of its topics never reached InfluxDB (e.g. ${missing[0]}): look at replicator-mirror-source and the telegraf log`);
    },
  },
  {
    name: 'ingress',
    procs: ['ingress'],
    ports: ['ingress_https', 'ingress_http'],
    deps: [],
    timeoutMs: 20_000,
    endpoint: (p) => `https://127.0.0.1:${p.ingress_https}`,
    start: (c) => startIngress(c.ports),
    healthy: async (p) => existsSync(join(state.certs, 'ca.crt')) && ingressReady(p),
  },
  ...KUBE,
];


export const ALIASES: Record<string, string> = { nginx: 'ingress', influxd: 'influxdb', sink: 'telegraf', producer: 'summit' };

export function component(name: string): Component | undefined {
  return COMPONENTS.find((c) => c.name === (ALIASES[name] ?? name));
}
