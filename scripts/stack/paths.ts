// Where the stack keeps things and which loopback ports it uses.
// State (pids, logs, data, certs, secrets) lives in <repo>/.stack (override: EFD_STACK_DIR);
// downloads and builds live in ~/.cache/efd-health (override: EFD_HEALTH_CACHE).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { StackError } from './errors.ts';

export const REPO = resolve(new URL('../..', import.meta.url).pathname);
export const FIXTURES = join(REPO, 'fixtures', 'stack');
export const MANIFESTS = join(REPO, 'manifests', 'local');

export function stateDir(): string {
  return resolve(process.env.EFD_STACK_DIR || join(REPO, '.stack'));
}

export function cacheDir(): string {
  return resolve(process.env.EFD_HEALTH_CACHE || join(homedir(), '.cache', 'efd-health'));
}

export const state = {
  get root() { return stateDir(); },
  get pids() { return join(stateDir(), 'pids'); },
  get logs() { return join(stateDir(), 'logs'); },
  get conf() { return join(stateDir(), 'conf'); },
  get data() { return join(stateDir(), 'data'); },
  get certs() { return join(stateDir(), 'certs'); },
  get secrets() { return join(stateDir(), 'secrets'); },
  get ingress() { return join(stateDir(), 'ingress'); },
  /** the box's Kubernetes: etcd data, PKI, kubeconfigs (admin.kubeconfig, efd-health.kubeconfig) */
  get kube() { return join(stateDir(), 'kube'); },
};

export const cache = {
  get root() { return cacheDir(); },
  get kafkaLibs() { return join(cacheDir(), 'libs', 'kafka'); },
  get vendor() { return join(cacheDir(), 'vendor'); },
  get bin() { return join(cacheDir(), 'bin'); },
  get logs() { return join(cacheDir(), 'logs'); },
};

/** Default loopback ports; each can be overridden with EFD_STACK_PORT_<KEY> or .stack/ports.json {"<key>": n}. */
export const DEFAULT_PORTS = {
  kafka_summit: 19092,
  kafka_summit_controller: 19093,
  kafka_ldf: 29092,
  kafka_ldf_controller: 29093,
  registry_summit: 18081,
  registry_summit_management: 18091,
  registry_ldf: 28081,
  registry_ldf_management: 28091,
  connect: 8083,
  connect_jmx: 9999,
  influxdb: 8086,
  influxdb_rpc: 8088,
  ingress_https: 8443,
  ingress_http: 8080,
  kube_etcd: 12379,
  kube_etcd_peer: 12380,
  kube_apiserver: 16443,
  kube_controller_manager: 10257,
  kube_scheduler: 10259,
  kwok: 10247,
} as const;

export type PortKey = keyof typeof DEFAULT_PORTS;
export type Ports = Record<PortKey, number>;

export function ports(): Ports {
  const out: Ports = { ...DEFAULT_PORTS };
  const file = join(stateDir(), 'ports.json');
  if (existsSync(file)) {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new StackError(`${file} is not valid JSON; expected {"<port key>": <number>}.`, 4);
    }
    for (const [k, v] of Object.entries(json)) setPort(out, k, v, `${file} key ${k}`);
  }
  for (const k of Object.keys(DEFAULT_PORTS)) {
    const env = `EFD_STACK_PORT_${k.toUpperCase()}`;
    if (process.env[env]) setPort(out, k, process.env[env], `environment variable ${env}`);
  }
  return out;
}

function setPort(out: Ports, key: string, value: unknown, where: string): void {
  if (!(key in DEFAULT_PORTS)) {
    throw new StackError(`${where}: unknown port key; known keys are ${Object.keys(DEFAULT_PORTS).join(', ')}.`, 4);
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new StackError(`${where}: port must be an integer between 1 and 65535, got ${JSON.stringify(value)}.`, 4);
  }
  out[key as PortKey] = n;
}

export const HOST = '127.0.0.1';

/** Deadline of one health probe: generous, because a 2-core machine under load answers slowly. */
export const PROBE_MS = 5000;

/** The four LDF host names of the plan, served by the ingress by SNI. */
export const PLAN_HOSTS = {
  argocd: 'lsst-argocd-ldf.ncsa.illinois.edu',
  registry: 'lsst-schema-registry-ldf-efd.ncsa.illinois.edu',
  influxdb: 'lsst-influxdb-nts-ldf.ncsa.illinois.edu',
  chronograf: 'lsst-chronograf-ldf-efd.ncsa.illinois.edu',
} as const;

/** Topic that Apicurio's kafkasql storage journals into (mirrored summit → ldf by MirrorMaker 2). */
export const JOURNAL_TOPIC = 'kafkasql-journal';
/** Apicurio's snapshots topic (local to each cluster, not mirrored). */
export const SNAPSHOTS_TOPIC = 'kafkasql-snapshots';

export const VERSIONS = {
  kafka: '4.1.1',
  apicurio: '3.3.3',
  telegraf: '1.39.3',
  influxdb: '1.8.10',
} as const;

/** The box's Kubernetes (kube-build.ts): API server and controller manager from k8s.io/kubernetes, and KWOK. */
export const KUBE_VERSIONS = {
  kubernetes: 'v1.37.2',
  kwok: 'v0.8.0',
} as const;

/** GOGC for the sink's Go processes (Telegraf, influxd). Telegraf's Avro parser allocates maps per record:
 * with Go's default of 100, a sixth of Telegraf's CPU went to garbage collection at 1.9 MB/s, which the
 * 2-core box cannot spare. 400 trades some heap for it. */
export const SINK_GOGC = '400';
