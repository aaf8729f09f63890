// Security: the broker stays inside, logins restricted to lsst-sqre, no secret values, pinned images,
// least-privilege RBAC.
import { parse } from 'yaml';
import { clusterReads } from '../../cluster/reads.ts';
import type { ManifestObject } from '../../model/manifest-set.ts';
import { findService, lineInBlock } from '../context.ts';
import { ingressBackends } from './ingress.ts';
import type { Hit, Template } from '../types.ts';

export const kafka_not_exposed: Template = ({ d }, p) => {
  const re = new RegExp(p.name_pattern);
  const hits: Hit[] = d.exposures.filter((e) => e.role === p.role).map((e) => ({ message: `the LDF Kafka broker is reachable from outside the cluster: ${e.how}`, origin: e.origin }));
  for (const mo of d.objects) {
    const o = mo.object;
    if (o.kind === 'Service' && ['NodePort', 'LoadBalancer'].includes(o.spec?.type)) {
      const names = [o.metadata.name, ...Object.values(o.spec?.selector ?? {}).map(String)];
      if (names.some((n) => re.test(n)) && !hits.some((h) => h.origin?.object === mo)) {
        hits.push({ message: `${mo.ref} of type ${o.spec.type} selects the Kafka brokers: the broker is reachable from outside the cluster`, origin: { object: mo, path: ['spec', 'type'] } });
      }
    }
    if (o.kind === 'Ingress') {
      for (const b of ingressBackends(mo)) {
        const svc = findService(d, b.service.name, o.metadata.namespace ?? 'default');
        if (svc?.role === p.role || re.test(b.service.name)) hits.push({ message: `${mo.ref} routes to the Kafka broker Service ${b.service.name}`, origin: { object: mo, path: [...b.path, 'name'] } });
      }
    }
  }
  return hits;
};

export const chronograf_oauth: Template = ({ d }, p) => {
  const pods = d.workloads.filter((w) => w.role === 'chronograf');
  if (!pods.length) return [{ message: 'no Chronograf in the manifests' }];
  return pods.flatMap((w) =>
    w.containers.flatMap((c) => {
      const hits: Hit[] = [];
      const at = (path = w.origin.path) => ({ object: w.origin.object, path });
      const orgs = c.env.find((e) => e.name === p.org_env);
      const orgList = (orgs?.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (!orgs || orgList.length !== 1 || orgList[0] !== p.org) {
        hits.push({ message: `Chronograf ${w.namespace}/${w.name} sets ${p.org_env} to ${orgs?.value ? `"${orgs.value}"` : 'nothing'}; login must be restricted to the ${p.org} organization`, origin: at(orgs?.path ?? [...c.resourcesPath.slice(0, -1), 'env']) });
      }
      const src = d.secretSources.find((s) => s.namespace === w.namespace && s.name === p.secret);
      for (const name of p.secret_env as string[]) {
        const e = c.env.find((x) => x.name === name);
        const fromRef = e?.secret?.name === p.secret;
        const fromEnvFrom = !e && c.envFromSecrets.includes(p.secret) && (!src?.keys || src.keys.includes(name));
        if (!fromRef && !fromEnvFrom) {
          hits.push({ message: `Chronograf ${w.namespace}/${w.name} does not read ${name} from Secret ${p.secret}${e?.value !== undefined ? ' (it is written as a literal)' : ''}`, origin: at(e?.path ?? c.resourcesPath.slice(0, -1)) });
        }
      }
      return hits;
    }),
  );
};

export const argocd_github: Template = ({ d }, p) => {
  const cms = d.objects.filter((o) => o.object.kind === 'ConfigMap' && o.object.metadata.name === 'argocd-cm');
  if (!cms.length) return [{ message: 'no argocd-cm ConfigMap: Argo CD login is not configured by the manifests' }];
  return cms.flatMap((mo) => {
    const data = mo.object.data ?? {};
    const hits: Hit[] = [];
    if (data['oidc.config']) hits.push({ message: `${mo.ref} configures oidc.config, a login that is not the GitHub organization ${p.orgs.join(', ')}`, origin: { object: mo, path: ['data', 'oidc.config'] } });
    let dex: any;
    try {
      dex = parse(String(data['dex.config'] ?? ''));
    } catch {
      dex = undefined;
    }
    const connectors: any[] = dex?.connectors ?? [];
    const at = { object: mo, path: ['data', 'dex.config'] };
    if (!connectors.some((c) => c?.type === 'github')) hits.push({ message: `${mo.ref} has no dex GitHub connector`, origin: at });
    for (const c of connectors) {
      if (c?.type !== 'github') {
        hits.push({ message: `${mo.ref} has a dex connector of type ${c?.type} (${c?.id}); only GitHub restricted to ${p.orgs.join(', ')} is allowed`, origin: at });
        continue;
      }
      const orgs = (c.config?.orgs ?? []).map((o: any) => o?.name);
      const bad = orgs.filter((o: string) => !p.orgs.includes(o));
      if (!orgs.length || bad.length) {
        hits.push({ message: `${mo.ref}'s GitHub connector ${c.id ?? ''} admits ${orgs.length ? `organizations ${orgs.join(', ')}` : 'any GitHub user (no orgs)'}; only ${p.orgs.join(', ')} is allowed`, origin: at, line: lineInBlock(mo, at.path, bad[0] ? `name: ${bad[0]}` : 'type: github') });
      }
    }
    return hits;
  });
};

/** Words of a key: `connect.influx.password` → connect, influx, password; `GH_CLIENT_SECRET` → gh, client, secret. */
function words(key: string): string[] {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

function isReference(value: string, secretNames: Set<string>): boolean {
  return (
    value === '' || value === '-' ||
    /^\$\{[^}]+\}$/.test(value) || // Kafka Connect config provider ${secrets:ns/name:key}, ${file:…}
    /^\$[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)?$/.test(value) || // Argo CD $secret:key
    secretNames.has(value) // the name of a Secret the manifests provide (existingSecret, envFromSecret …)
  );
}

export const no_secret_literals: Template = ({ d }, p) => {
  const sensitive = new Set<string>(p.sensitive_words);
  const names = new Set(d.secretSources.map((s) => s.name));
  const isSensitive = (key: string) => {
    const w = words(key);
    // a key naming where a secret lives (…SecretName, …SecretRef, existingSecret) is a reference
    if (['name', 'ref', 'class', 'file', 'path', 'enabled'].includes(w.at(-1) ?? '')) return false;
    return w.some((x) => sensitive.has(x)) || w.join('').includes('privatekey') || w.join('').includes('apikey');
  };
  const hits: Hit[] = [];
  const check = (key: string, value: unknown, origin: Hit['origin'], where: string) => {
    if (typeof value !== 'string' || !isSensitive(key) || isReference(value.trim(), names)) return;
    hits.push({ message: `${where} writes a value for ${key} in the manifest; read it from a Secret instead`, origin, keys: [key] });
  };
  const walk = (obj: any, path: Array<string | number>, visit: (k: string, v: unknown, p: Array<string | number>) => void) => {
    if (obj && typeof obj === 'object') for (const [k, v] of Object.entries(obj)) {
      if (v && typeof v === 'object') walk(v, [...path, k], visit);
      else visit(k, v, [...path, k]);
    }
  };
  for (const mo of d.objects) {
    const o = mo.object;
    if (o.kind === 'Secret' && (Object.keys(o.data ?? {}).length || Object.keys(o.stringData ?? {}).length)) {
      hits.push({ message: `${mo.ref} carries secret data in the repository; deliver it with a VaultSecret or ExternalSecret`, origin: { object: mo, path: [o.data ? 'data' : 'stringData'] } });
    }
    if (o.kind === 'ConfigMap') {
      // structured values (profiles, dex.config …) are read key by key
      for (const [k, text] of Object.entries(o.data ?? {})) {
        let parsed: unknown;
        try {
          parsed = parse(String(text));
        } catch {
          parsed = undefined;
        }
        if (parsed && typeof parsed === 'object') walk(parsed, ['data', k], (key, v) => check(key, v, { object: mo, path: ['data', k] }, `${mo.ref} (${k})`));
      }
    }
  }
  for (const w of d.workloads) for (const c of w.containers) for (const e of c.env) check(e.name, e.value, { object: w.origin.object, path: e.path }, `env of ${w.kind} ${w.namespace}/${w.name}`);
  for (const cv of d.configValues) check(cv.key, cv.value, cv.origin, cv.origin.object.ref);
  for (const cv of d.chartValues) walk(cv.values, cv.origin.path, (k, v, path) => check(k, v, { object: cv.origin.object, path }, `chart ${cv.chart} values of ${cv.origin.object.ref}`));
  // one finding per place
  const seen = new Set<string>();
  return hits.filter((h) => {
    const id = `${h.origin?.object.abs}:${h.origin ? h.origin.object.lineAt(h.origin.path) : ''}:${h.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
};

export const secret_refs: Template = ({ d }) => {
  const refs = [...d.secretRefs];
  // Argo CD reads $<secret>:<key> from argocd-cm values, in its own namespace
  for (const mo of d.objects) {
    if (mo.object.kind !== 'ConfigMap' || mo.object.metadata.name !== 'argocd-cm') continue;
    for (const [k, text] of Object.entries(mo.object.data ?? {})) {
      for (const m of String(text).matchAll(/\$([a-z0-9][a-z0-9.-]*):([A-Za-z0-9._-]+)/g)) {
        refs.push({ namespace: mo.object.metadata.namespace ?? 'default', name: m[1], key: m[2], what: `${mo.ref} ${k}`, origin: { object: mo, path: ['data', k] } });
      }
    }
  }
  return refs.flatMap((r) => {
    const src = d.secretSources.find((s) => s.namespace === r.namespace && s.name === r.name);
    if (!src) return [{ message: `${r.what} reads Secret ${r.namespace}/${r.name}, which no VaultSecret, ExternalSecret or Secret of the manifests provides`, origin: r.origin }];
    if (r.key && src.keys && !src.keys.includes(r.key)) return [{ message: `${r.what} reads key ${r.key} of Secret ${r.namespace}/${r.name}, which its ${src.kind} does not list (${src.keys.join(', ')})`, origin: r.origin }];
    return [];
  });
};

/** Why an image is not pinned, or undefined when it is (a tag other than latest, or a digest). */
function unpinned(image: string | undefined): string | undefined {
  if (!image) return 'is not set, so an unpinned default applies; set it with a tag';
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const last = image.split('/').at(-1)!;
  const tag = last.includes(':') ? last.split(':').at(-1) : undefined;
  if (!tag) return `(${image}) has no tag, which means latest`;
  return tag === 'latest' ? `(${image}) uses the moving tag latest` : undefined;
}

export const images_pinned: Template = ({ d }) =>
  d.images.flatMap((img) => {
    const why = unpinned(img.image);
    return why ? [{ message: `${img.what} ${why}`, origin: img.origin, keys: [img.image ?? img.what] }] : [];
  });

export const rbac_least_privilege: Template = ({ d }, p) => {
  const hits: Hit[] = [];
  for (const mo of d.objects) {
    const o = mo.object;
    if (o.kind === 'Role' || o.kind === 'ClusterRole') {
      (o.rules ?? []).forEach((r: any, i: number) => {
        const at = { object: mo, path: ['rules', i] };
        for (const field of ['apiGroups', 'resources', 'verbs', 'resourceNames']) {
          if ((r?.[field] ?? []).includes('*')) hits.push({ message: `${mo.ref} grants * in ${field}`, origin: { object: mo, path: ['rules', i, field] } });
        }
        const verbs = (r?.verbs ?? []).filter((v: string) => p.forbidden_verbs.includes(v));
        if (verbs.length) hits.push({ message: `${mo.ref} grants ${verbs.join(', ')} on ${(r.resources ?? []).join(', ')}`, origin: { object: mo, path: ['rules', i, 'verbs'] } });
        const sensitive = (r?.resources ?? []).filter((x: string) => p.sensitive_resources.includes(x));
        if (sensitive.length && !(r.resourceNames ?? []).length) hits.push({ message: `${mo.ref} grants access to every object of ${sensitive.join(', ')}; name them with resourceNames`, origin: at });
      });
    }
    if ((o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && o.roleRef?.kind === 'ClusterRole' && p.forbidden_cluster_roles.includes(o.roleRef?.name)) {
      hits.push({ message: `${mo.ref} binds the built-in ClusterRole ${o.roleRef.name}`, origin: { object: mo, path: ['roleRef', 'name'] } });
    }
  }
  return hits;
};

export function objectsOfKind(objects: ManifestObject[], kind: string): ManifestObject[] {
  return objects.filter((o) => o.object.kind === kind);
}

/** Names `group/resource verb [names]`, how a finding states one grant or one read. */
function grantText(group: string, resource: string, verb: string, names?: string[], namespace?: string): string {
  const res = group ? `${resource}.${group}` : resource;
  return `${verb} ${res}${names?.length ? ` ${names.join(',')}` : ''}${namespace ? ` in ${namespace}` : ' cluster-wide'}`;
}

/**
 * No efd-health Role grants more than the cluster suite reads (src/cluster/reads.ts), with the read scope
 * taken from the same manifests: the AppProject's destinations, and the TLS Secrets of the deployment (those
 * the Ingresses name, and those it declares with type kubernetes.io/tls). A read no Role grants is the
 * suite's own finding at run time (reason auth), not the gate's.
 */
export const rbac_efd_health_reads: Template = ({ d }, p) => {
  const project = d.objects.find((o) => o.object.kind === 'AppProject' && o.object.metadata?.name === p.project);
  if (!project) return [];
  const namespaces = [...new Set<string>((project.object.spec?.destinations ?? []).map((x: any) => x.namespace).filter((n: unknown) => typeof n === 'string' && n !== '*'))];
  const inScope = (o: ManifestObject) => namespaces.includes(o.object.metadata?.namespace ?? '');
  const tlsSecrets = [
    ...d.objects
      .filter((o) => o.object.kind === 'Ingress' && inScope(o))
      .flatMap((o) => (o.object.spec?.tls ?? []).filter((t: any) => t.secretName).map((t: any) => ({ namespace: o.object.metadata.namespace, name: t.secretName }))),
    ...d.objects
      .filter((o) => inScope(o) && (o.object.type === 'kubernetes.io/tls' || o.object.spec?.type === 'kubernetes.io/tls'))
      .map((o) => ({ namespace: o.object.metadata.namespace, name: o.object.metadata.name })),
  ];
  const [cronNs, cronName] = String(p.cronjob).split('/');
  const reads = clusterReads({
    argocdNamespace: project.object.metadata.namespace ?? 'argocd',
    project: p.project,
    namespaces,
    cronjob: { namespace: cronNs, name: cronName },
    connectNamespace: p.connect_namespace,
    tlsSecrets,
  });
  const [saNs, saName] = String(p.service_account).split('/');
  const bindsUs = (b: ManifestObject) => (b.object.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount' && s.name === saName && (s.namespace ?? b.object.metadata?.namespace) === saNs);
  const hits: Hit[] = [];
  for (const b of d.objects.filter((o) => (o.object.kind === 'RoleBinding' || o.object.kind === 'ClusterRoleBinding') && bindsUs(o))) {
    const namespace = b.object.kind === 'RoleBinding' ? b.object.metadata?.namespace : undefined;
    const role = d.objects.find(
      (r) => r.object.kind === b.object.roleRef?.kind && r.object.metadata?.name === b.object.roleRef?.name && (r.object.kind === 'ClusterRole' || r.object.metadata?.namespace === namespace),
    );
    (role?.object.rules ?? []).forEach((r: any, i: number) => {
      const names: string[] | undefined = r.resourceNames?.length ? r.resourceNames : undefined;
      for (const group of r.apiGroups ?? [])
        for (const resource of r.resources ?? [])
          for (const verb of r.verbs ?? []) {
            const what = grantText(group, resource, verb, names, namespace);
            const needed = reads.some(
              (x) => x.group === group && x.resource === resource && x.verb === verb && x.namespace === namespace && (!names || (x.name !== undefined && names.includes(x.name))),
            );
            if (!needed) hits.push({ message: `${role!.ref} grants ${what} to ${p.service_account}, which the cluster suite never reads`, origin: { object: role!, path: ['rules', i] }, keys: [what] });
          }
    });
  }
  return hits;
};
