// Ingress: the plan's hosts with TLS, the source-range allowlist, and what each Ingress points at.
import { contains, formatCidr, isCanonical, overlaps, parseCidr, type Cidr } from '../../model/cidr.ts';
import type { ManifestObject } from '../../model/manifest-set.ts';
import { findService } from '../context.ts';
import type { Hit, Template } from '../types.ts';

const ingresses = (objects: ManifestObject[]) => objects.filter((o) => o.object.kind === 'Ingress');

function rules(mo: ManifestObject): Array<{ host?: string; i: number; rule: any }> {
  return (mo.object.spec?.rules ?? []).map((rule: any, i: number) => ({ host: rule?.host, i, rule }));
}

export const ingress_hosts: Template = ({ d }, p) => {
  const want = new Set<string>(p.hosts);
  const seen = new Set<string>();
  const hits: Hit[] = [];
  const list = ingresses(d.objects);
  for (const mo of list) {
    for (const r of rules(mo)) {
      if (!r.host) {
        hits.push({ message: `${mo.ref} has a rule without a host (it would answer for any name)`, origin: { object: mo, path: ['spec', 'rules', r.i] }, keys: ['*'] });
        continue;
      }
      seen.add(r.host);
      if (!want.has(r.host)) hits.push({ message: `${mo.ref} serves ${r.host}, which is not one of the plan's ${want.size} hosts`, origin: { object: mo, path: ['spec', 'rules', r.i, 'host'] }, keys: [r.host] });
    }
  }
  const missing = [...want].filter((h) => !seen.has(h));
  if (missing.length) hits.push({ message: `no Ingress serves ${missing.join(', ')} (the plan's hosts)`, origin: list[0] ? { object: list[0], path: ['spec', 'rules'] } : undefined, keys: missing });
  return hits;
};

export const ingress_tls: Template = ({ d }) =>
  ingresses(d.objects).flatMap((mo) => {
    const tls: any[] = mo.object.spec?.tls ?? [];
    return rules(mo)
      .filter((r) => r.host && !tls.some((t) => (t?.hosts ?? []).includes(r.host) && t?.secretName))
      .map((r) => ({ message: `${mo.ref} serves ${r.host} without TLS (no tls entry with that host and a secretName)`, origin: { object: mo, path: ['spec', 'rules', r.i, 'host'] }, keys: [r.host!] }));
  });

function allowlist(mo: ManifestObject, annotations: string[]): { key: string; entries: string[] } | undefined {
  const a = mo.object.metadata.annotations ?? {};
  const key = annotations.find((k) => a[k] !== undefined);
  if (!key) return undefined;
  return { key, entries: String(a[key]).split(',').map((s) => s.trim()).filter(Boolean) };
}

/** A bare address counts as a single-address block, as ingress-nginx reads it. */
function parseEntry(e: string): Cidr | undefined {
  return parseCidr(e) ?? (e.includes('/') ? undefined : parseCidr(`${e}/${e.includes(':') ? 128 : 32}`));
}

export const allowlist_ranges: Template = ({ d }, p) =>
  ingresses(d.objects).flatMap((mo) => {
    const al = allowlist(mo, p.annotations);
    if (!al) return [{ message: `${mo.ref} has no source-range allowlist (${p.annotations[0]}): it is open to any address`, origin: { object: mo, path: ['metadata', 'annotations'] } }];
    const blocks = al.entries.map(parseEntry).filter((c): c is Cidr => !!c);
    const missing = (p.required as Array<{ name: string; cidrs: string[] }>).flatMap((r) =>
      r.cidrs.filter((c) => !blocks.some((b) => contains(b, parseCidr(c)!))).map((c) => `${r.name} ${c}`),
    );
    return missing.length ? [{ message: `${mo.ref}'s allowlist does not cover ${missing.join(', ')}`, origin: { object: mo, path: ['metadata', 'annotations', al.key] }, keys: missing.map((m) => m.split(' ').at(-1)!) }] : [];
  });

export const allowlist_valid: Template = ({ d }, p) =>
  ingresses(d.objects).flatMap((mo) => {
    const al = allowlist(mo, p.annotations);
    const bad = al ? al.entries.filter((e) => !parseEntry(e)) : [];
    return bad.map((e) => ({ message: `${mo.ref}'s allowlist entry ${e} is not a CIDR block`, origin: { object: mo, path: ['metadata', 'annotations', al!.key] }, keys: [e] }));
  });

/** One finding per defect, keyed by the entries it names, so an exemption covers exactly those. */
export const allowlist_canonical: Template = ({ d }, p) =>
  ingresses(d.objects).flatMap((mo) => {
    const al = allowlist(mo, p.annotations);
    if (!al) return [];
    const origin = { object: mo, path: ['metadata', 'annotations', al.key] };
    const blocks = al.entries.map(parseEntry).filter((c): c is Cidr => !!c);
    const hits: Hit[] = [];
    for (const b of blocks) if (!isCanonical(b)) hits.push({ message: `${mo.ref}'s allowlist entry ${b.text} is not canonical (it means ${formatCidr(b)})`, origin, keys: [b.text] });
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i + 1; j < blocks.length; j++) {
        if (overlaps(blocks[i], blocks[j])) hits.push({ message: `${mo.ref}'s allowlist entries ${blocks[i].text} and ${blocks[j].text} overlap`, origin, keys: [blocks[i].text, blocks[j].text] });
      }
    }
    return hits;
  });

function backends(mo: ManifestObject): Array<{ service: any; path: Array<string | number> }> {
  const out: Array<{ service: any; path: Array<string | number> }> = [];
  if (mo.object.spec?.defaultBackend?.service) out.push({ service: mo.object.spec.defaultBackend.service, path: ['spec', 'defaultBackend', 'service'] });
  rules(mo).forEach((r) =>
    (r.rule?.http?.paths ?? []).forEach((pth: any, j: number) => {
      if (pth?.backend?.service) out.push({ service: pth.backend.service, path: ['spec', 'rules', r.i, 'http', 'paths', j, 'backend', 'service'] });
    }),
  );
  return out;
}

export { backends as ingressBackends };

export const ingress_backends: Template = ({ d }) =>
  ingresses(d.objects).flatMap((mo) => {
    const ns = mo.object.metadata.namespace ?? 'default';
    return backends(mo).flatMap(({ service, path }) => {
      const svc = findService(d, service.name, ns);
      if (!svc) return [{ message: `${mo.ref} routes to Service ${ns}/${service.name}, which no object or chart of the manifests creates`, origin: { object: mo, path: [...path, 'name'] }, keys: [service.name] }];
      const port = service.port ?? {};
      const ok = svc.ports.some((p) => (port.number !== undefined ? p.port === port.number : p.name === port.name));
      return ok ? [] : [{ message: `${mo.ref} routes to port ${port.number ?? port.name} of Service ${ns}/${service.name}, which exposes ${svc.ports.map((p) => p.port).join(', ')}`, origin: { object: mo, path: [...path, 'port'] }, keys: [`${service.name}:${port.number ?? port.name}`] }];
    });
  });

export const ingress_tls_secrets: Template = ({ d }) =>
  ingresses(d.objects).flatMap((mo) => {
    const ns = mo.object.metadata.namespace ?? 'default';
    return (mo.object.spec?.tls ?? []).flatMap((t: any, i: number) => {
      if (!t?.secretName) return [];
      const src = d.secretSources.find((s) => s.namespace === ns && s.name === t.secretName);
      const origin = { object: mo, path: ['spec', 'tls', i, 'secretName'] };
      const keys = [String(t.secretName)];
      if (!src) return [{ message: `${mo.ref} uses TLS secret ${ns}/${t.secretName}, which no VaultSecret, ExternalSecret or Secret of the manifests provides`, origin, keys }];
      const missing = src.keys ? ['tls.crt', 'tls.key'].filter((k) => !src.keys!.includes(k)) : [];
      return missing.length ? [{ message: `TLS secret ${ns}/${t.secretName} (${src.kind}) does not hold ${missing.join(' and ')}`, origin, keys }] : [];
    });
  });
