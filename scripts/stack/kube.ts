// The box's Kubernetes control plane on loopback: etcd (Debian's), kube-apiserver (TLS, client certificates
// from the stack's CA, RBAC, service-account tokens), kube-controller-manager, kube-scheduler, and KWOK, which
// plays the kubelets of four simulated nodes. State lives in .stack/kube: etcd's data, the PKI, kubeconfigs.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { $ } from 'zx';
import { daysLeft, issuedBy, sign } from './certs.ts';
import { REPO, PROBE_MS, state, type Ports } from './paths.ts';
import { startDaemon } from './proc.ts';

export const kubeFile = (f: string) => join(state.kube, f);
const pki = (f: string) => join(state.kube, 'pki', f);
const caCrt = () => join(state.certs, 'ca.crt');

/** The two kubeconfigs the `cluster` suite reads. */
export const ADMIN_KUBECONFIG = 'admin.kubeconfig';
export const EFD_HEALTH_KUBECONFIG = 'efd-health.kubeconfig';

/** Service network of the box (the API server's own Service address is its first IP). */
const SERVICE_CIDR = '10.96.0.0/16';
const SERVICE_IP = '10.96.0.1';

/** Client identities: each component authenticates with a certificate from the stack's root CA. */
const CLIENTS = {
  admin: '/O=system:masters/CN=efd-health-admin',
  'controller-manager': '/CN=system:kube-controller-manager',
  scheduler: '/CN=system:kube-scheduler',
  // KWOK writes node and pod status for every node it simulates, as kubelets do
  kwok: '/O=system:masters/CN=kwok',
} as const;
export type KubeClient = keyof typeof CLIENTS;

/** The box's PKI under .stack/kube/pki, issued by the stack's root CA; re-issued when the CA changed or near expiry. */
export async function ensureKubePki(): Promise<void> {
  mkdirSync(pki(''), { recursive: true });
  const fresh = (name: string) => existsSync(pki(`${name}.crt`)) && existsSync(pki(`${name}.key`)) &&
    issuedBy(pki(`${name}.crt`), caCrt()) && daysLeft(pki(`${name}.crt`)) >= 45;
  if (!fresh('apiserver')) {
    await sign({
      dir: pki(''), name: 'apiserver', subject: '/CN=kube-apiserver', ca: 'ca', caDir: state.certs, days: 365,
      ext: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth',
        `subjectAltName=IP:127.0.0.1,IP:${SERVICE_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local`],
    });
  }
  for (const [name, subject] of Object.entries(CLIENTS)) {
    if (fresh(name)) continue;
    await sign({
      dir: pki(''), name, subject, ca: 'ca', caDir: state.certs, days: 365,
      ext: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth'],
    });
  }
  // the key pair that signs and verifies service-account tokens
  if (!existsSync(pki('sa.key')) || !existsSync(pki('sa.pub'))) {
    await $`openssl genrsa -out ${pki('sa.key')} 2048`.quiet();
    await $`openssl rsa -in ${pki('sa.key')} -pubout -out ${pki('sa.pub')}`.quiet();
  }
}

const b64 = (f: string) => readFileSync(f).toString('base64');

function kubeconfig(p: Ports, name: string, user: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': name,
    clusters: [{ name: 'efd-box', cluster: { server: `https://127.0.0.1:${p.kube_apiserver}`, 'certificate-authority-data': b64(caCrt()) } }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: 'efd-box', user: name } }],
  }, null, 2) + '\n';
}

/** A kubeconfig authenticating with one of the box's client certificates (admin.kubeconfig for the admin). */
export function writeCertKubeconfig(p: Ports, client: KubeClient): string {
  const file = kubeFile(client === 'admin' ? ADMIN_KUBECONFIG : `${client}.kubeconfig`);
  writeFileSync(file, kubeconfig(p, client === 'admin' ? 'efd-box-admin' : client, {
    'client-certificate-data': b64(pki(`${client}.crt`)), 'client-key-data': b64(pki(`${client}.key`)),
  }), { mode: 0o600 });
  return file;
}

/** A kubeconfig authenticating with a bearer token (the efd-health ServiceAccount's). */
export function writeTokenKubeconfig(p: Ports, file: string, name: string, token: string): void {
  writeFileSync(file, kubeconfig(p, name, { token }), { mode: 0o600 });
}

export function startEtcd(p: Ports, etcd: string): void {
  const data = kubeFile('etcd');
  mkdirSync(data, { recursive: true });
  startDaemon({
    proc: 'kube-etcd', cmd: etcd, args: [
      '--name', 'efd-box', '--data-dir', data,
      '--listen-client-urls', `http://127.0.0.1:${p.kube_etcd}`, '--advertise-client-urls', `http://127.0.0.1:${p.kube_etcd}`,
      '--listen-peer-urls', `http://127.0.0.1:${p.kube_etcd_peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${p.kube_etcd_peer}`,
      '--initial-cluster', `efd-box=http://127.0.0.1:${p.kube_etcd_peer}`,
      // a box's API objects: small, so a small backend and frequent compaction are enough
      '--quota-backend-bytes', String(512 * 1024 * 1024), '--auto-compaction-retention', '1h', '--log-level', 'warn',
    ],
  });
}

export async function etcdReady(p: Ports): Promise<boolean> {
  const r = await fetch(`http://127.0.0.1:${p.kube_etcd}/health`, { signal: AbortSignal.timeout(PROBE_MS) });
  return r.ok && (await r.json()).health === 'true';
}

export async function startApiserver(p: Ports, bin: string): Promise<void> {
  await ensureKubePki();
  startDaemon({
    proc: 'kube-apiserver', cmd: bin, args: [
      `--etcd-servers=http://127.0.0.1:${p.kube_etcd}`,
      `--secure-port=${p.kube_apiserver}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1',
      `--tls-cert-file=${pki('apiserver.crt')}`, `--tls-private-key-file=${pki('apiserver.key')}`,
      `--client-ca-file=${caCrt()}`, '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki('sa.pub')}`, `--service-account-signing-key-file=${pki('sa.key')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      // on loopback the endpoint reconciler refuses 127.0.0.1 as the advertised address; nothing in the box needs it
      '--endpoint-reconciler-type=none', '--profiling=false',
      // etcd 3.4 cannot back streaming lists (no RequestWatchProgress): a client asking for one (KWOK does) got
      // watches that kept ending, so its lease informer went stale, the node leases were not renewed and the
      // node controller marked the nodes NotReady. Refused outright, clients fall back to list-and-watch.
      '--feature-gates=WatchList=false',
    ],
  });
}

/** GET a path of a loopback HTTPS server; `client` authenticates with that box certificate. */
function httpsGet(port: number, path: string, client?: KubeClient): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path, method: 'GET', timeout: PROBE_MS,
      // the API server's certificate is checked against the stack's CA; the control-plane daemons serve
      // self-signed health endpoints on loopback, which are only probed
      ...(client ? { ca: readFileSync(caCrt()), cert: readFileSync(pki(`${client}.crt`)), key: readFileSync(pki(`${client}.key`)) } : { rejectUnauthorized: false }),
    }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export async function apiserverReady(p: Ports): Promise<boolean> {
  if (!existsSync(pki('admin.crt'))) return false;
  return (await httpsGet(p.kube_apiserver, '/readyz', 'admin')).status === 200;
}

/** The server's certificate as the stack's CA sees it (for the README's claim and tests). */
export function apiserverCert(): X509Certificate {
  return new X509Certificate(readFileSync(pki('apiserver.crt')));
}

export function startControllerManager(p: Ports, bin: string): void {
  startDaemon({
    proc: 'kube-controller-manager', cmd: bin, args: [
      `--kubeconfig=${writeCertKubeconfig(p, 'controller-manager')}`,
      `--secure-port=${p.kube_controller_manager}`, '--bind-address=127.0.0.1',
      `--service-account-private-key-file=${pki('sa.key')}`, `--root-ca-file=${caCrt()}`,
      '--use-service-account-credentials', '--leader-elect=false',
      // no pod CIDRs to hand out: KWOK gives pods their addresses
      '--controllers=*,-nodeipam', '--profiling=false',
    ],
  });
}

export function startScheduler(p: Ports, bin: string): void {
  startDaemon({
    proc: 'kube-scheduler', cmd: bin, args: [
      `--kubeconfig=${writeCertKubeconfig(p, 'scheduler')}`,
      `--secure-port=${p.kube_scheduler}`, '--bind-address=127.0.0.1', '--leader-elect=false', '--profiling=false',
    ],
  });
}

/** KWOK manages only the nodes annotated as its own, with its default stages and the box's fault stages. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

export function startKwok(p: Ports, bin: string, stages: string): void {
  const config = kubeFile('kwok-stages.yaml');
  writeFileSync(config, readFileSync(stages, 'utf8') + '---\n' + readFileSync(join(REPO, 'fixtures', 'stack', 'kube', 'kwok-box-stages.yaml'), 'utf8'));
  startDaemon({
    proc: 'kwok', cmd: bin, args: [
      `--kubeconfig=${writeCertKubeconfig(p, 'kwok')}`, `--config=${config}`,
      '--manage-all-nodes=false', `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
      `--server-address=127.0.0.1:${p.kwok}`, '--node-lease-duration-seconds=40', '--cidr=10.244.0.0/16',
    ],
  });
}

export async function healthz(port: number): Promise<boolean> {
  return (await httpsGet(port, '/healthz')).status === 200;
}

export async function kwokReady(p: Ports): Promise<boolean> {
  const r = await fetch(`http://127.0.0.1:${p.kwok}/healthz`, { signal: AbortSignal.timeout(PROBE_MS) });
  return r.ok;
}
