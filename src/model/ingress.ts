// The hosts a deployment exposes, read from the Ingress objects of a manifests folder: for each host
// its TLS secret, annotations, backends and allowed source ranges (ingress-nginx annotation).
import { loadObjects, type K8sObject } from './k8s.ts';

export interface IngressBackend {
  path?: string;
  service: string;
  port?: number | string;
}

export interface IngressHost {
  host: string;
  /** the Ingress object: namespace/name */
  ingress: string;
  /** where it is declared, relative to the manifests folder */
  file: string;
  line: number;
  /** secretName of the spec.tls entry that lists this host; undefined when the host has no TLS entry */
  tlsSecret?: string;
  annotations: Record<string, string>;
  backends: IngressBackend[];
  /** nginx.ingress.kubernetes.io/whitelist-source-range (or allowlist-source-range), split */
  sourceRanges: string[];
  ingressClass?: string;
}

const SOURCE_RANGE_KEYS = ['nginx.ingress.kubernetes.io/whitelist-source-range', 'nginx.ingress.kubernetes.io/allowlist-source-range'];

/** Every host of every Ingress under `dir` (one entry per Ingress and host). */
export function loadIngresses(dir: string): IngressHost[] {
  const out: IngressHost[] = [];
  for (const { object, file, line } of loadObjects(dir)) {
    if (object.kind !== 'Ingress') continue;
    out.push(...hostsOf(object, file, line));
  }
  return out;
}

export function hostsOf(ing: K8sObject, file: string, line: number): IngressHost[] {
  const spec = ing.spec ?? {};
  const annotations: Record<string, string> = ing.metadata.annotations ?? {};
  const sourceRanges = SOURCE_RANGE_KEYS.flatMap((k) => (annotations[k] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const name = `${ing.metadata.namespace ?? 'default'}/${ing.metadata.name}`;
  const ingressClass: string | undefined = spec.ingressClassName ?? annotations['kubernetes.io/ingress.class'];
  const tls: Array<{ hosts?: string[]; secretName?: string }> = Array.isArray(spec.tls) ? spec.tls : [];
  const defaultBackend = backendOf(spec.defaultBackend ?? spec.backend);
  const byHost = new Map<string, IngressHost>();
  for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
    if (!rule?.host) continue; // a rule without host matches any host: nothing to probe by name
    const h = byHost.get(rule.host) ?? {
      host: String(rule.host).toLowerCase(),
      ingress: name,
      file,
      line,
      tlsSecret: tls.find((t) => t.hosts?.map((x) => x.toLowerCase()).includes(String(rule.host).toLowerCase()))?.secretName,
      annotations,
      backends: [],
      sourceRanges,
      ingressClass,
    };
    for (const p of rule.http?.paths ?? []) {
      const b = backendOf(p.backend);
      if (b) h.backends.push({ ...b, path: p.path });
    }
    if (!h.backends.length && defaultBackend) h.backends.push(defaultBackend);
    byHost.set(rule.host, h);
  }
  // Hosts listed only under spec.tls are still served (with the default backend) by the controller.
  for (const t of tls) {
    for (const host of t.hosts ?? []) {
      if ([...byHost.keys()].some((k) => k.toLowerCase() === host.toLowerCase())) continue;
      byHost.set(host, {
        host: host.toLowerCase(), ingress: name, file, line, tlsSecret: t.secretName, annotations,
        backends: defaultBackend ? [defaultBackend] : [], sourceRanges, ingressClass,
      });
    }
  }
  return [...byHost.values()];
}

/** networking.k8s.io/v1 (`service: {name, port: {number|name}}`) or v1beta1 (`serviceName`, `servicePort`). */
function backendOf(b: any): IngressBackend | undefined {
  if (!b) return undefined;
  if (b.service?.name) return { service: String(b.service.name), port: b.service.port?.number ?? b.service.port?.name };
  if (b.serviceName) return { service: String(b.serviceName), port: b.servicePort };
  return undefined;
}
