// nginx as the LDF TLS ingress. Phase "deployed": the four plan hosts by SNI (Schema Registry and InfluxDB
// proxied to the local services, Argo CD and Chronograf answered by stand-ins). Phase "pre-deploy": only
// Argo CD exists; every other host shows its valid certificate and answers 404, as the plan expects of
// the ingress before deployment. Unknown hosts always get the default (fake) certificate and 404.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { $ } from 'zx';
import { StackError } from './errors.ts';
import { PROBE_MS, FIXTURES, PLAN_HOSTS, state, type Ports } from './paths.ts';
import { ourPid, startDaemon } from './proc.ts';
import { fill, readTemplate } from './render.ts';

export type Phase = 'deployed' | 'pre-deploy';
export const PHASES: Phase[] = ['deployed', 'pre-deploy'];

const phaseFile = () => join(state.root, 'ingress-phase');

export function currentPhase(): Phase {
  const f = phaseFile();
  const v = existsSync(f) ? readFileSync(f, 'utf8').trim() : 'deployed';
  return v === 'pre-deploy' ? 'pre-deploy' : 'deployed';
}

function confPath(): string {
  return join(state.conf, 'nginx.conf');
}

export function renderNginx(p: Ports, phase: Phase): string {
  const dir = state.ingress;
  for (const d of ['tmp', 'html/argocd']) mkdirSync(join(dir, d), { recursive: true });
  copyFileSync(join(FIXTURES, 'nginx', 'argocd-login.html'), join(dir, 'html/argocd/index.html'));
  const common = {
    HTTP_PORT: p.ingress_http, HTTPS_PORT: p.ingress_https, CERT_DIR: state.certs, INGRESS_DIR: dir,
    LOG_DIR: state.logs, REGISTRY_LDF_PORT: p.registry_ldf, INFLUXDB_PORT: p.influxdb, PHASE: phase,
  };
  const sites: Array<[keyof typeof PLAN_HOSTS, string]> = [
    ['argocd', 'Argo CD (stand-in: login page)'],
    ['registry', 'Schema Registry (LDF registry, Confluent API at the root path)'],
    ['influxdb', 'InfluxDB'],
    ['chronograf', 'Chronograf (stand-in: GitHub OAuth redirect)'],
  ];
  const live = sites.filter(([k]) => phase === 'deployed' || k === 'argocd');
  const servers = sites.map(([k, what]) => {
    const deployed = live.some(([l]) => l === k);
    const vars = { ...common, HOST: PLAN_HOSTS[k], WHAT: deployed ? what : `${what}: not deployed yet` };
    const template = deployed ? `nginx/${k}.locations` : 'nginx/notfound.locations';
    const locations = fill(readTemplate(template), vars, template);
    return fill(readTemplate('nginx/server.conf'), { ...vars, LOCATIONS: locations.trimEnd() }, 'nginx/server.conf');
  });
  const redirect = fill(readTemplate('nginx/redirect.conf'), { ...common, HOSTS: live.map(([k]) => PLAN_HOSTS[k]).join(' ') }, 'nginx/redirect.conf');
  const conf = fill(readTemplate('nginx/nginx.conf'), { ...common, SERVERS: servers.join('\n'), HTTP_REDIRECT: redirect }, 'nginx/nginx.conf');
  mkdirSync(state.conf, { recursive: true });
  writeFileSync(confPath(), conf);
  return confPath();
}

function nginxArgs(): string[] {
  return ['-p', `${state.ingress}/`, '-c', confPath(), '-e', join(state.logs, 'ingress.log')];
}

export async function startIngress(p: Ports): Promise<void> {
  renderNginx(p, currentPhase());
  const t = await $`nginx ${nginxArgs()} -t`.nothrow().quiet();
  if (t.exitCode !== 0) throw new StackError(`ingress: nginx rejects ${confPath()}: ${t.stderr.trim().split('\n').pop()}`);
  startDaemon({ proc: 'ingress', cmd: 'nginx', args: [...nginxArgs(), '-g', 'daemon off;'] });
}

/** Switches the phase; a running nginx reloads its configuration (graceful, no dropped connections). */
export async function setPhase(p: Ports, phase: Phase): Promise<void> {
  writeFileSync(phaseFile(), phase + '\n');
  renderNginx(p, phase);
  const pid = ourPid('ingress');
  if (pid === undefined) return;
  const r = await $`nginx ${nginxArgs()} -s reload`.nothrow().quiet();
  if (r.exitCode !== 0) throw new StackError(`ingress: nginx reload failed: ${r.stderr.trim().split('\n').pop()}`);
  // the new workers answer within moments; wait so callers see the new phase
  await new Promise((r) => setTimeout(r, 500));
}

/** The ingress answers when the Argo CD host (present in both phases) serves its page over TLS by SNI. */
export async function ingressReady(p: Ports): Promise<boolean> {
  const { request } = await import('node:https');
  return new Promise((resolve) => {
    const req = request({
      host: '127.0.0.1', port: p.ingress_https, servername: PLAN_HOSTS.argocd, path: '/',
      headers: { host: PLAN_HOSTS.argocd }, ca: readFileSync(join(state.certs, 'ca.crt')), timeout: PROBE_MS,
    }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
