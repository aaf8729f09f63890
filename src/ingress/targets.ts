// Which hosts the ingress suite checks and how to reach them.
// Rule: the hosts of the Ingress objects in profile.manifests (when that folder exists), plus
// ingress.extra_hosts, plus every host named in ingress.resolve (a host the profile says how to reach
// is a host to check). No host at all is an input error.
import { existsSync } from 'node:fs';
import type { Profile } from '../config/types.ts';
import { InputError } from '../errors.ts';
import { loadIngresses, type IngressBackend, type IngressHost } from '../model/ingress.ts';

export const SERVICE_KINDS = ['argocd', 'schema-registry', 'influxdb', 'chronograf', 'other'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export interface IngressTarget {
  host: string;
  kind: ServiceKind;
  httpsPort: number;
  httpPort: number;
  /** where the host came from: "manifests ingress.yaml:12", "ingress.extra_hosts", "ingress.resolve" */
  sources: string[];
  ingress?: IngressHost;
}

const KIND_PATTERNS: Array<[ServiceKind, RegExp]> = [
  ['argocd', /argo-?cd/],
  ['schema-registry', /schema-?registry/],
  ['influxdb', /influx/],
  ['chronograf', /chronograf/],
];

/** The service behind a host: from the backend service names first, else from the host name. */
export function serviceKind(host: string, backends: IngressBackend[] = []): ServiceKind {
  for (const name of [...backends.map((b) => b.service), host]) {
    const hit = KIND_PATTERNS.find(([, re]) => re.test(name.toLowerCase()));
    if (hit) return hit[0];
  }
  return 'other';
}

export function ingressTargets(profile: Profile): IngressTarget[] {
  const byHost = new Map<string, IngressTarget>();
  const add = (host: string, source: string, ingress?: IngressHost) => {
    const h = host.trim().toLowerCase();
    if (!h) return;
    const t = byHost.get(h) ?? {
      host: h,
      kind: 'other' as ServiceKind,
      httpsPort: profile.ingress.https_port,
      httpPort: profile.ingress.http_port,
      sources: [],
    };
    if (ingress && !t.ingress) t.ingress = ingress;
    t.sources.push(source);
    byHost.set(h, t);
  };
  if (profile.manifests && existsSync(profile.manifests)) {
    for (const ing of loadIngresses(profile.manifests)) add(ing.host, `manifests ${ing.file}:${ing.line}`, ing);
  }
  for (const h of profile.ingress.extra_hosts ?? []) add(h, 'ingress.extra_hosts');
  for (const h of Object.keys(profile.ingress.resolve ?? {})) add(h, 'ingress.resolve');
  if (!byHost.size) {
    throw new InputError(
      `${profile.file}: no ingress host to check: no Ingress in ${profile.manifests}, and ingress.extra_hosts and ingress.resolve are empty`,
    );
  }
  for (const t of byHost.values()) t.kind = serviceKind(t.host, t.ingress?.backends);
  return [...byHost.values()];
}
