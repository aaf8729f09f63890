// Judges the cluster's facts (facts.ts): a pure function from facts, thresholds and the time to one list of
// outcomes per check id. A part that could not be read fails only the checks that needed it, with the read
// that failed (a 403 names the verb and resource RBAC refused).
import { X509Certificate } from 'node:crypto';
import { thresholdOf } from '../catalog/index.ts';
import { CLUSTER_CHECK_IDS, type ClusterCheckId } from '../catalog/cluster.ts';
import type { Profile } from '../config/types.ts';
import { nameMatches } from '../ingress/verdicts.ts';
import { cronPeriodMs } from '../model/cron.ts';
import type { Outcome } from '../suite.ts';
import type { ClusterFacts, Part, PodFacts, ReadError } from './facts.ts';

export interface ClusterThresholds {
  restartWindowMin: number;
  planNodes: number;
  planCpuCores: number;
  planMemoryGb: number;
  minFraction: number;
  cronPeriods: number;
  tlsWarnDays: number;
  tlsFailDays: number;
}

export function clusterThresholds(profile: Pick<Profile, 'thresholds'>): ClusterThresholds {
  const v = (id: string, name: string) => Number(thresholdOf(profile.thresholds, id, name));
  return {
    restartWindowMin: v('cluster.pods.ready', 'restart_window_min'),
    planNodes: v('cluster.nodes.capacity', 'plan_nodes'),
    planCpuCores: v('cluster.nodes.capacity', 'plan_cpu_cores'),
    planMemoryGb: v('cluster.nodes.capacity', 'plan_memory_gb'),
    minFraction: v('cluster.nodes.capacity', 'min_fraction'),
    cronPeriods: v('cluster.efd_health.cronjob', 'periods'),
    tlsWarnDays: v('ingress.tls.expiry', 'warn_days'),
    tlsFailDays: v('ingress.tls.expiry', 'fail_days'),
  };
}

const pass = (message: string, extra: Partial<Outcome> = {}): Outcome => ({ status: 'pass', reason: 'ok', message, ...extra });
const fail = (reason: Outcome['reason'], message: string, extra: Partial<Outcome> = {}): Outcome => ({ status: 'fail', reason, message, ...extra });
const warn = (reason: Outcome['reason'], message: string, extra: Partial<Outcome> = {}): Outcome => ({ status: 'warn', reason, message, ...extra });
const skip = (message: string): Outcome => ({ status: 'skip', reason: 'skipped', message });

/** A read that failed: auth (forbidden) and the rest keep their reason; the finding says what was tried. */
function unread(e: ReadError, what: string): Outcome {
  return fail(e.reason === 'internal' ? 'unreachable' : e.reason, `${what} cannot be read: ${e.message}`, {
    hint: e.reason === 'auth' ? "grant efd-health's Role exactly this read (manifests/ldf/efd-health/config/rbac.yaml), nothing more" : undefined,
  });
}

function judged<T>(p: Part<T>, what: string, judge: (v: T) => Outcome[]): Outcome[] {
  return p.error ? [unread(p.error, what)] : judge(p.value);
}

const list = (xs: string[], n = 5) => (xs.length > n ? `${xs.slice(0, n).join('; ')}; … ${xs.length - n} more` : xs.join('; '));
const gb = (bytes: number) => Math.round((bytes / 1e9) * 10) / 10;
const cores = (n: number) => Math.round(n * 100) / 100;

function applications(f: ClusterFacts): Outcome[] {
  return judged(f.applications, `Argo CD Applications in ${f.config.argocd_namespace}`, (apps) => {
    if (!apps.length) return [fail('missing', `no Argo CD Application belongs to project ${f.project} in namespace ${f.config.argocd_namespace}`)];
    return apps.map((a) => {
      const target = `application/${a.name}`;
      if (a.sync === 'Synced' && a.health === 'Healthy') return pass(`${a.name} is Synced and Healthy`, { target });
      const resources = a.problems.map((r) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${[r.sync, r.health].filter(Boolean).join(', ')}${r.message ? ` (${r.message})` : ''}`);
      return fail('state', `${a.name} is ${a.sync} and ${a.health}${a.message ? `: ${a.message}` : ''}${resources.length ? `; resources: ${list(resources)}` : ''}`, {
        target,
        evidence: { sync: a.sync, health: a.health, resources: a.problems },
        hint: a.sync !== 'Synced' ? `argocd app diff ${a.name} shows what differs from Git` : `argocd app get ${a.name} shows which resource is ${a.health}`,
      });
    });
  });
}

const BROKEN_WAITING = new Set(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName']);

function pod(p: PodFacts, th: ClusterThresholds, now: Date): Outcome {
  const target = `${p.namespace}/${p.name}`;
  const evidence = { phase: p.phase, containers: p.containers };
  const broken = p.containers.filter((c) => c.waiting && BROKEN_WAITING.has(c.waiting.reason));
  if (broken.length)
    return fail('state', broken.map((c) => `container ${c.name} is ${c.waiting!.reason}${c.waiting!.message ? ` (${c.waiting!.message})` : ''} after ${c.restarts} restart(s)${c.lastTermination?.reason ? `, last terminated: ${c.lastTermination.reason}${c.lastTermination.exitCode !== undefined ? ` exit ${c.lastTermination.exitCode}` : ''}` : ''}`).join('; '), { target, evidence });
  if (p.job && p.phase === 'Succeeded') return pass(`Job pod ${p.name} Succeeded`, { target });
  if (p.phase === 'Failed') return fail('state', `pod ${p.name} Failed`, { target, evidence });
  if (!p.ready) {
    const waiting = p.containers.filter((c) => !c.ready).map((c) => `${c.name}${c.waiting ? ` ${c.waiting.reason}` : ' not ready'}`);
    return fail('state', `pod ${p.name} is ${p.phase} and not Ready${waiting.length ? ` (${waiting.join(', ')})` : ''}`, { target, evidence });
  }
  const since = now.getTime() - th.restartWindowMin * 60_000;
  const recent = p.containers.filter((c) => c.restarts > 0 && c.lastTermination?.finishedAt && Date.parse(c.lastTermination.finishedAt) >= since);
  if (recent.length)
    return warn('state', `pod ${p.name} is Ready, but ${recent.map((c) => `container ${c.name} restarted (${c.restarts} in all; last ${c.lastTermination!.reason ?? 'terminated'} at ${c.lastTermination!.finishedAt})`).join('; ')} within ${th.restartWindowMin} min`, { target, evidence });
  return pass(`pod ${p.name} is Ready${p.containers.some((c) => c.restarts) ? ` (old restarts: ${p.containers.map((c) => c.restarts).reduce((a, b) => a + b, 0)})` : ''}`, { target });
}

function pods(f: ClusterFacts, th: ClusterThresholds, now: Date): Outcome[] {
  return judged(f.pods, 'pods of the EFD namespaces', (ps) => (ps.length ? ps.map((p) => pod(p, th, now)) : [fail('missing', `no pod runs in the EFD namespaces (${(f.namespaces.value ?? []).join(', ')})`)]));
}

function pvcs(f: ClusterFacts): Outcome[] {
  const cls = f.config.storage_class;
  return judged(f.pvcs, 'PersistentVolumeClaims of the EFD namespaces', (cs) => {
    if (!cs.length) return [skip(`no PersistentVolumeClaim in the EFD namespaces (${(f.namespaces.value ?? []).join(', ')}); nothing to judge.`)];
    return cs.map((c) => {
      const target = `${c.namespace}/${c.name}`;
      const measurements = { ...(c.requestedBytes !== undefined ? { requested_gb: gb(c.requestedBytes) } : {}), ...(c.capacityBytes !== undefined ? { capacity_gb: gb(c.capacityBytes) } : {}) };
      if (c.phase !== 'Bound') return fail('state', `PVC ${c.name} is ${c.phase}, not Bound`, { target, measurements, hint: `kubectl -n ${c.namespace} describe pvc ${c.name} shows the provisioner's events` });
      if (c.storageClass !== cls) return fail('policy', `PVC ${c.name} is on storage class ${c.storageClass ?? '(none)'}, not ${cls}`, { target, measurements });
      if (c.requestedBytes !== undefined && (c.capacityBytes ?? 0) < c.requestedBytes)
        return fail('capacity', `PVC ${c.name} got ${gb(c.capacityBytes ?? 0)} GB of the ${gb(c.requestedBytes)} GB it requested`, { target, measurements });
      return pass(`PVC ${c.name} is Bound on ${cls} with ${gb(c.capacityBytes ?? 0)} GB (requested ${gb(c.requestedBytes ?? 0)} GB)`, { target, measurements });
    });
  });
}

function capacity(f: ClusterFacts, th: ClusterThresholds): Outcome[] {
  if (f.nodes.error) return [unread(f.nodes.error, 'nodes')];
  if (f.pods.error) return [unread(f.pods.error, 'pods of the EFD namespaces (their requests)')];
  const ready = f.nodes.value.filter((n) => n.ready);
  const alloc = ready.reduce((s, n) => ({ cpu: s.cpu + n.allocatable.cpu, memory: s.memory + n.allocatable.memory }), { cpu: 0, memory: 0 });
  const live = f.pods.value.filter((p) => p.phase !== 'Succeeded' && p.phase !== 'Failed');
  const req = live.reduce((s, p) => ({ cpu: s.cpu + p.requests.cpu, memory: s.memory + p.requests.memory }), { cpu: 0, memory: 0 });
  const measurements = {
    nodes_ready: ready.length,
    allocatable_cpu_cores: cores(alloc.cpu),
    allocatable_memory_gb: gb(alloc.memory),
    requested_cpu_cores: cores(req.cpu),
    requested_memory_gb: gb(req.memory),
    plan_nodes: th.planNodes,
    plan_cpu_cores: th.planCpuCores,
    plan_memory_gb: th.planMemoryGb,
  };
  const sizes = `${ready.length} Ready node(s) allocate ${cores(alloc.cpu)} cores / ${gb(alloc.memory)} GB; the EFD requests ${cores(req.cpu)} cores / ${gb(req.memory)} GB`;
  if (!ready.length) return [fail('capacity', `no node is Ready (${f.nodes.value.length} in all)`, { measurements })];
  if (req.cpu > alloc.cpu || req.memory > alloc.memory)
    return [fail('capacity', `the EFD's requests do not fit: ${sizes}`, { measurements, hint: 'pods that do not fit stay Pending; phase 1 sizing is in the plan §2.1' })];
  const small = [
    ready.length < th.planNodes ? `${ready.length} Ready nodes where the plan has ${th.planNodes}` : '',
    alloc.cpu < th.minFraction * th.planCpuCores ? `${cores(alloc.cpu)} allocatable cores, under ${th.minFraction} × the plan's ${th.planCpuCores}` : '',
    alloc.memory < th.minFraction * th.planMemoryGb * 1e9 ? `${gb(alloc.memory)} GB allocatable, under ${th.minFraction} × the plan's ${th.planMemoryGb} GB` : '',
  ].filter(Boolean);
  if (small.length) return [warn('capacity', `the requests fit, but the cluster is smaller than the plan's: ${small.join('; ')} (${sizes})`, { measurements })];
  return [pass(`${sizes}: they fit, on a cluster the size of the plan's (${th.planNodes} nodes, ${th.planCpuCores} cores, ${th.planMemoryGb} GB)`, { measurements })];
}

function cronjob(f: ClusterFacts, th: ClusterThresholds, now: Date): Outcome[] {
  const { namespace, name } = f.config.cronjob;
  return judged(f.cronjob, `CronJob ${namespace}/${name}`, (c) => {
    const target = `${namespace}/${name}`;
    if (c.suspend) return [fail('state', `CronJob ${target} is suspended: efd-health does not run`, { target, hint: `kubectl -n ${namespace} patch cronjob ${name} -p '{"spec":{"suspend":false}}'` })];
    const period = cronPeriodMs(c.schedule);
    if (!period) return [fail('state', `CronJob ${target} has a schedule efd-health cannot read a period from: "${c.schedule}"`, { target })];
    const bound = th.cronPeriods * period;
    const minutes = (ms: number) => Math.round(ms / 60_000);
    const evidence = { schedule: c.schedule, last_success: c.lastSuccessfulTime, last_schedule: c.lastScheduleTime, created: c.created };
    if (!c.lastSuccessfulTime) {
      const age = c.created ? now.getTime() - Date.parse(c.created) : Infinity;
      if (age < bound) return [skip(`CronJob ${target} is ${minutes(age)} min old and has not succeeded yet (it has ${minutes(bound)} min); nothing to judge.`)];
      return [fail('stale', `CronJob ${target} has never succeeded (schedule "${c.schedule}", ${th.cronPeriods} periods = ${minutes(bound)} min)`, { target, evidence })];
    }
    const age = now.getTime() - Date.parse(c.lastSuccessfulTime);
    const measurements = { last_success_age_min: minutes(age), bound_min: minutes(bound) };
    if (age > bound)
      return [fail('stale', `CronJob ${target} last succeeded ${minutes(age)} min ago (${c.lastSuccessfulTime}), more than ${th.cronPeriods} periods of "${c.schedule}" (${minutes(bound)} min)`, { target, measurements, evidence, hint: `kubectl -n ${namespace} get jobs shows the failed runs` })];
    return [pass(`CronJob ${target} last succeeded ${minutes(age)} min ago, within ${th.cronPeriods} periods of "${c.schedule}"`, { target, measurements, evidence })];
  });
}

function strimzi(f: ClusterFacts): Outcome[] {
  const ns = f.config.connect_namespace;
  return judged(f.strimzi, `Strimzi objects in ${ns}`, (objs) => {
    if (!objs.length) return [fail('missing', `no KafkaConnect or KafkaConnector in namespace ${ns}`)];
    return objs.map((o) => {
      const target = `${o.kind.toLowerCase()}/${o.name}`;
      const ready = o.conditions.find((c) => c.type === 'Ready');
      if (ready?.status === 'True') return pass(`${o.kind} ${o.name} is Ready`, { target });
      const others = o.conditions.filter((c) => c.type !== 'Ready' && c.status === 'True').map((c) => `${c.type}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`);
      const why = ready ? `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}${ready.message ? `: ${ready.message}` : ''}` : 'no Ready condition';
      return fail('state', `${o.kind} ${o.name} is not Ready: ${why}${others.length ? `; ${others.join('; ')}` : ''}`, { target, evidence: { conditions: o.conditions } });
    });
  });
}

function tlsSecrets(f: ClusterFacts, th: ClusterThresholds, now: Date): Outcome[] {
  return judged(f.tlsSecrets, 'Ingresses of the EFD namespaces', (secrets) => {
    if (!secrets.length) return [skip('no Ingress in the EFD namespaces names a TLS Secret; nothing to judge.')];
    return secrets.map((s) => {
      const target = `${s.namespace}/${s.secret}`;
      if (s.error) return { ...unread(s.error, `TLS Secret ${target} (Ingress ${s.ingress})`), target };
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(s.certPem!);
      } catch (e) {
        return fail('schema', `TLS Secret ${target} holds no certificate that parses: ${(e as Error).message}`, { target });
      }
      const notAfter = new Date(cert.validTo);
      const daysLeft = (notAfter.getTime() - now.getTime()) / 86_400_000;
      const measurements = { days_left: Math.round(daysLeft * 10) / 10 };
      const evidence = { ingress: s.ingress, hosts: s.hosts, subject: cert.subject.replace(/\n/g, ', '), not_after: notAfter.toISOString(), fingerprint256: cert.fingerprint256, served: s.served };
      const extra = { target, measurements, evidence };
      if (new Date(cert.validFrom) > now) return fail('cert_not_yet_valid', `TLS Secret ${target} holds a certificate valid only from ${new Date(cert.validFrom).toISOString()}`, extra);
      if (daysLeft < 0) return fail('cert_expired', `TLS Secret ${target} holds a certificate that expired ${notAfter.toISOString()} (${Math.round(-daysLeft)} days ago)`, extra);
      const names = (cert.subjectAltName ?? '').split(', ').filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4));
      const uncovered = s.hosts.filter((h) => !names.some((n) => nameMatches(h, n)));
      if (uncovered.length) return fail('hostname_mismatch', `TLS Secret ${target} holds a certificate for ${names.join(', ') || 'no DNS name'}, not for ${uncovered.join(', ')} (Ingress ${s.ingress})`, extra);
      const other = s.served.filter((x) => x.fingerprint256 && x.fingerprint256 !== cert.fingerprint256);
      if (other.length) return fail('drift', `the ingress serves another certificate than TLS Secret ${target} holds for ${other.map((x) => x.host).join(', ')}: the controller has not reloaded it, or another Ingress or default certificate wins`, extra);
      if (daysLeft < th.tlsFailDays) return fail('cert_expiring', `TLS Secret ${target} expires in ${Math.round(daysLeft * 10) / 10} days (${notAfter.toISOString()})`, extra);
      if (daysLeft < th.tlsWarnDays) return warn('cert_expiring', `TLS Secret ${target} expires in ${Math.round(daysLeft * 10) / 10} days (${notAfter.toISOString()})`, extra);
      const unseen = s.served.filter((x) => !x.fingerprint256).map((x) => `${x.host}: ${x.error}`);
      return pass(`TLS Secret ${target} holds the certificate the ingress serves for ${s.hosts.join(', ')}, valid ${Math.round(daysLeft)} more days${unseen.length ? ` (not compared with the served one for ${unseen.join('; ')})` : ''}`, extra);
    });
  });
}

export function judgeCluster(f: ClusterFacts, th: ClusterThresholds, now = new Date()): Record<ClusterCheckId, Outcome[]> {
  return {
    'cluster.argocd.applications': applications(f),
    'cluster.pods.ready': pods(f, th, now),
    'cluster.storage.pvcs': pvcs(f),
    'cluster.nodes.capacity': capacity(f, th),
    'cluster.efd_health.cronjob': cronjob(f, th, now),
    'cluster.strimzi.ready': strimzi(f),
    'cluster.ingress.tls_secrets': tlsSecrets(f, th, now),
  };
}

export { CLUSTER_CHECK_IDS };
