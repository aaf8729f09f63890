// Facts → findings: one outcome per ingress check for one host, judged against the policy.
// Nothing here touches the network; every rule is stated in src/catalog/ingress.ts.
import type { Reason } from '../report/finding.ts';
import type { Outcome } from '../suite.ts';
import type { NetError } from '../probes/net-errors.ts';
import type { HttpFacts } from '../probes/http.ts';
import { TLS_VERSIONS } from '../probes/tls.ts';
import type { CertInfo } from './cert.ts';
import { buildPath, type PathResult, type TrustStore } from './chain.ts';
import { AUTH_API_PATHS, INFLUX_PING_PATH, INFLUX_QUERY_PATH, type HostFacts } from './facts.ts';
import type { IngressPolicy } from './policy.ts';

export interface Verdict {
  id: string;
  outcome: Outcome;
}

const DAY_MS = 86_400_000;
const SERVICE_NAMES = { argocd: 'Argo CD', 'schema-registry': 'Schema Registry', influxdb: 'InfluxDB', chronograf: 'Chronograf', other: 'the service' };

export function evaluateHost(f: HostFacts, policy: IngressPolicy, store: TrustStore, now = new Date()): Verdict[] {
  const host = f.target.host;
  const out: Verdict[] = [];
  const put = (id: string, o: Outcome) => out.push({ id, outcome: { target: host, ...o } });
  const skipAll = (ids: string[], message: string) => ids.forEach((id) => put(id, skip(message)));

  // 1. DNS
  put('ingress.dns.resolve', dnsVerdict(f));
  const tlsIds = ['ingress.tls.handshake', ...CERT_CHECKS, 'ingress.tls.protocol'];
  const httpIds = ['ingress.http.hsts', 'ingress.http.redirect', 'ingress.http.phase_answer', 'ingress.auth.anonymous'];
  if (f.dns.error || !f.address) {
    skipAll([...tlsIds, ...httpIds, 'ingress.vantage.refused'], `${host} has no address (see ingress.dns.resolve)`);
    return out;
  }

  // 2. A vantage outside the allowlist: only the refusal is judged.
  if (f.expectRefused) {
    put('ingress.vantage.refused', refusedVerdict(f));
    skipAll([...tlsIds, ...httpIds], 'this vantage is expected to be refused (ingress.expect_refused); only ingress.vantage.refused applies');
    return out;
  }
  put('ingress.vantage.refused', skip('this vantage is inside the allowlist (ingress.expect_refused is false)'));

  // 3. TLS
  const hs = f.handshake!;
  put('ingress.tls.handshake', handshakeVerdict(f));
  if (!hs.ok || !f.certs.length) {
    const why = !hs.ok ? `no TLS session with ${host} (see ingress.tls.handshake)` : `the certificate sent by ${host} cannot be read: ${f.certError}`;
    skipAll([...CERT_CHECKS, 'ingress.tls.protocol', 'ingress.http.hsts', 'ingress.http.phase_answer', 'ingress.auth.anonymous'], why);
    put('ingress.http.redirect', redirectVerdict(f));
    return out;
  }
  const leaf = f.certs[0];
  const isDefault = isDefaultCert(leaf, policy);
  const path = buildPath(f.certs.map((c) => c.x509), store);
  put('ingress.tls.trust', trustVerdict(f, path, isDefault));
  put('ingress.tls.hostname', hostnameVerdict(f, isDefault));
  put('ingress.tls.expiry', expiryVerdict(f, policy, now));
  put('ingress.tls.key_strength', keyVerdict(f, policy));
  put('ingress.tls.signature', signatureVerdict(f, policy));
  put('ingress.tls.chain_complete', chainVerdict(f, path));
  put('ingress.tls.default_cert', defaultCertVerdict(f, isDefault));
  put('ingress.tls.protocol', protocolVerdict(f, policy));

  // 4. HTTP
  put('ingress.http.hsts', hstsVerdict(f, policy));
  put('ingress.http.redirect', redirectVerdict(f));
  put('ingress.http.phase_answer', phaseVerdict(f, policy));
  put('ingress.auth.anonymous', authVerdict(f));
  return out;
}

const CERT_CHECKS = [
  'ingress.tls.trust', 'ingress.tls.hostname', 'ingress.tls.expiry', 'ingress.tls.key_strength',
  'ingress.tls.signature', 'ingress.tls.chain_complete', 'ingress.tls.default_cert',
];

// ---- helpers

function pass(message: string, extra: Partial<Outcome> = {}): Outcome {
  return { status: 'pass', reason: 'ok', message, ...extra };
}
function fail(reason: Reason, message: string, extra: Partial<Outcome> = {}): Outcome {
  return { status: 'fail', reason, message, ...extra };
}
function warn(reason: Reason, message: string, extra: Partial<Outcome> = {}): Outcome {
  return { status: 'warn', reason, message, ...extra };
}
function skip(message: string): Outcome {
  return { status: 'skip', reason: 'skipped', message };
}

/** A probe error's kind as a finding reason. */
function netReason(e: NetError | undefined): Reason {
  switch (e?.kind) {
    case 'timeout': return 'timeout';
    case 'refused': return 'refused';
    case 'tls_handshake': return 'tls_handshake';
    case 'dns': return 'dns';
    default: return 'connect';
  }
}

function iso(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'invalid date' : d.toISOString().replace('.000Z', 'Z');
}

function days(n: number): string {
  const r = Math.abs(n) < 10 ? Math.round(Math.abs(n) * 10) / 10 : Math.round(Math.abs(n));
  return `${r} day${r === 1 ? '' : 's'}`;
}

/** "certificate for host" for the leaf, "intermediate 'CN' sent by host" for the others */
function whose(f: HostFacts, i: number): string {
  return i === 0 ? `certificate for ${f.target.host}` : `${f.certs[i].selfSigned ? 'root' : 'intermediate'} '${f.certs[i].label}' sent by ${f.target.host}`;
}

function where(f: HostFacts): string {
  return `${f.address}:${f.port}`;
}

// ---- DNS and connection

function dnsVerdict(f: HostFacts): Outcome {
  const d = f.dns;
  if (d.error) {
    return fail(d.error.kind === 'timeout' ? 'timeout' : 'dns', d.error.message, {
      measurements: { dns_ms: d.ms },
      hint: `check the DNS record for ${f.target.host} (NCSA manages it), or set ingress.resolve in the profile to test a given address`,
    });
  }
  const list = d.addresses.map((a) => a.address).join(', ');
  return pass(
    d.source === 'override'
      ? `${f.target.host} → ${list}${d.port ? ` port ${d.port}` : ''} (ingress.resolve override, no lookup)`
      : `${f.target.host} resolves to ${list}`,
    { measurements: { dns_ms: d.ms }, evidence: { addresses: d.addresses.map((a) => a.address), source: d.source } },
  );
}

function handshakeVerdict(f: HostFacts): Outcome {
  const hs = f.handshake!;
  const measurements: Record<string, number> = {};
  if (hs.connect_ms !== undefined) measurements.connect_ms = hs.connect_ms;
  if (hs.tls_ms !== undefined) measurements.tls_ms = hs.tls_ms;
  if (!hs.ok) {
    const reason = netReason(hs.error);
    return fail(reason, `${hs.error?.message ?? 'handshake failed'}`, {
      measurements,
      evidence: { address: where(f), code: hs.error?.code },
      hint:
        reason === 'timeout' ? `nothing answered within ${f.timeoutMs} ms: a firewall dropping packets, or the ingress is down`
        : reason === 'refused' ? `nothing listens on ${where(f)}, or a firewall rejects this vantage`
        : reason === 'tls_handshake' ? 'the server rejected every protocol and cipher this client offers, or does not speak TLS on this port'
        : undefined,
    });
  }
  return pass(`${hs.protocol} ${hs.cipher?.standardName ?? hs.cipher?.name} with ${f.target.host} at ${where(f)}`, {
    measurements,
    evidence: { address: where(f), protocol: hs.protocol, cipher: hs.cipher?.standardName ?? hs.cipher?.name, chain_sent: f.certs.map((c) => c.label) },
  });
}

// ---- certificates

export function isDefaultCert(c: CertInfo, policy: IngressPolicy): boolean {
  const needle = policy.defaultSubject.toLowerCase();
  return c.subject.toLowerCase().includes(needle) || c.issuer.toLowerCase().includes(needle);
}

function defaultCertMessage(f: HostFacts): string {
  return `${f.target.host} got the ingress controller's default certificate ('${f.certs[0].subject}'), not its own: the ingress has no TLS certificate for this host`;
}

function defaultCertHint(f: HostFacts): string {
  const ing = f.target.ingress;
  if (!ing) return `add a spec.tls entry for ${f.target.host} with a Secret holding its certificate to the Ingress`;
  if (!ing.tlsSecret) return `Ingress ${ing.ingress} (${ing.file}:${ing.line}) has no spec.tls entry listing ${f.target.host}`;
  return `Ingress ${ing.ingress} (${ing.file}:${ing.line}) names Secret ${ing.tlsSecret}: check it exists in that namespace and holds a certificate for ${f.target.host}`;
}

function chainLabels(path: PathResult): string {
  return path.path.map((l) => `'${label(l.cert.subject)}'${l.source === 'sent' ? '' : ` (${l.source === 'anchor' ? 'trusted root' : 'from ingress.ca_bundle'})`}`).join(' ← ');
}

function label(dn: string): string {
  return /CN=([^\n,]+)/.exec(dn)?.[1] ?? dn.split('\n').join(', ');
}

function trustVerdict(f: HostFacts, path: PathResult, isDefault: boolean): Outcome {
  const evidence = { chain: chainLabels(path) };
  if (isDefault) return fail('default_cert', defaultCertMessage(f) + ', which no client trusts', { evidence, hint: defaultCertHint(f) });
  if (path.kind === 'trusted') return pass(`chain ${chainLabels(path)} leads to a trusted root`, { evidence });
  const last = path.path[path.path.length - 1].cert;
  if (path.kind === 'untrusted_root') {
    const msg =
      path.path.length === 1
        ? `certificate for ${f.target.host} is self-signed ('${label(last.subject)}') and not in the trust store or ingress.ca_bundle`
        : `chain for ${f.target.host} ends at self-signed '${label(last.subject)}', which is not a trusted root (chain ${chainLabels(path)})`;
    return fail('untrusted', msg, { evidence, hint: 'install a certificate from a public CA (or the site CA), or add that CA to ingress.ca_bundle if it is trusted on purpose' });
  }
  return fail(
    'untrusted',
    `issuer '${label(last.issuer)}' of '${label(last.subject)}' was not sent by ${f.target.host} and is not a trusted CA or in ingress.ca_bundle (a missing intermediate, or an unknown CA)`,
    { evidence, hint: 'serve the full chain (leaf + intermediates) in the TLS Secret, or add the CA to ingress.ca_bundle if it is a private CA' },
  );
}

/** RFC 6125: exact, or a wildcard that is the whole left-most label and stands for exactly one label. */
export function nameMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (!p.includes('*')) return h === p;
  if (!p.startsWith('*.') || p.indexOf('*', 1) !== -1) return false;
  const suffix = p.slice(2);
  if (suffix.split('.').length < 2) return false; // no *.com
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === suffix;
}

function hostnameVerdict(f: HostFacts, isDefault: boolean): Outcome {
  const leaf = f.certs[0];
  const evidence = { san_dns: leaf.dnsNames.slice(0, 20), subject: leaf.subject };
  if (isDefault) return fail('default_cert', defaultCertMessage(f) + `, which names ${leaf.dnsNames.join(', ') || 'no host'}`, { evidence, hint: defaultCertHint(f) });
  const match = leaf.dnsNames.find((n) => nameMatches(f.target.host, n));
  if (match) return pass(`certificate names ${f.target.host} (SAN DNS:${match})`, { evidence });
  const cn = /CN=([^,]+)/.exec(leaf.subject)?.[1];
  const msg = leaf.dnsNames.length
    ? `certificate for ${f.target.host} names only ${leaf.dnsNames.slice(0, 6).join(', ')}${leaf.dnsNames.length > 6 ? ', …' : ''} (SAN), not ${f.target.host}`
    : `certificate for ${f.target.host} has no DNS subjectAltName${cn ? ` (its CN '${cn}' is not used for matching)` : ''}`;
  return fail('hostname_mismatch', msg, { evidence, hint: `the TLS Secret${f.target.ingress?.tlsSecret ? ` ${f.target.ingress.tlsSecret}` : ''} holds a certificate for another name` });
}

function expiryVerdict(f: HostFacts, p: IngressPolicy, now: Date): Outcome {
  const left = f.certs.map((c) => (c.notAfter.getTime() - now.getTime()) / DAY_MS);
  const days_left = Math.round(left[0] * 10) / 10;
  const chain_days_left = Math.round(Math.min(...left) * 10) / 10;
  const measurements = { days_left, chain_days_left };
  const evidence = { not_before: iso(f.certs[0].notBefore), not_after: iso(f.certs[0].notAfter) };
  for (let i = 0; i < f.certs.length; i++) {
    const c = f.certs[i];
    if (now < c.notBefore) {
      return fail('cert_not_yet_valid', `${whose(f, i)} is not valid yet: it starts in ${days((c.notBefore.getTime() - now.getTime()) / DAY_MS)} (notBefore ${iso(c.notBefore)})`, {
        measurements, evidence, hint: 'the certificate was issued with a future start date, or this clock is wrong',
      });
    }
    if (now > c.notAfter) {
      return fail('cert_expired', `${whose(f, i)} expired ${days(-left[i])} ago (notAfter ${iso(c.notAfter)})`, {
        measurements, evidence, hint: 'renew the certificate and update the TLS Secret',
      });
    }
  }
  const i = left.indexOf(Math.min(...left));
  const soonest = `${whose(f, i)} expires in ${days(left[i])} (notAfter ${iso(f.certs[i].notAfter)})`;
  if (left[i] < p.failDays) return fail('cert_expiring', `${soonest}; fail under ${p.failDays} days`, { measurements, evidence, hint: 'renew the certificate now' });
  if (left[i] < p.warnDays) return warn('cert_expiring', `${soonest}; warn under ${p.warnDays} days`, { measurements, evidence, hint: 'renew the certificate soon' });
  return pass(`certificate for ${f.target.host} valid until ${iso(f.certs[0].notAfter)} (${days(left[0])} left${f.certs.length > 1 ? `, chain ${days(Math.min(...left))}` : ''})`, { measurements, evidence });
}

function keyVerdict(f: HostFacts, p: IngressPolicy): Outcome {
  const measurements: Record<string, number> = {};
  if (f.certs[0].keyBits) measurements.key_bits = f.certs[0].keyBits;
  const describe = (c: CertInfo) => `${c.keyBits ? `${c.keyBits}-bit ` : ''}${c.keyType.toUpperCase()}${c.curve ? ` (${c.curve})` : ''}`;
  const evidence = { keys: f.certs.map((c) => `${c.label}: ${describe(c)}`) };
  for (let i = 0; i < f.certs.length; i++) {
    const c = f.certs[i];
    const t = c.keyType;
    const min = t === 'ec' ? p.ecMinBits : t === 'rsa' || t === 'rsa-pss' || t === 'dsa' ? p.rsaMinBits : undefined;
    if (min !== undefined && (c.keyBits ?? 0) < min) {
      return fail('weak_crypto', `${whose(f, i)} has a ${describe(c)} key (minimum ${min} bits for ${t.toUpperCase()})`, {
        measurements, evidence, hint: `reissue with an RSA key of at least ${p.rsaMinBits} bits or an EC key of at least ${p.ecMinBits} bits`,
      });
    }
  }
  return pass(`keys: ${evidence.keys.join('; ')}`, { measurements, evidence });
}

function signatureVerdict(f: HostFacts, p: IngressPolicy): Outcome {
  const evidence = { signatures: f.certs.map((c) => `${c.label}: ${c.signature.name}`) };
  for (let i = 0; i < f.certs.length; i++) {
    const c = f.certs[i];
    if (c.selfSigned && i > 0) continue; // a root's signature on itself protects nothing
    if (p.weakHashes.includes(c.signature.hash)) {
      return fail('weak_crypto', `${whose(f, i)} is signed with ${c.signature.name} (${c.signature.hash.toUpperCase()}, a weak hash)`, {
        evidence, hint: 'reissue the certificate with a SHA-256 (or stronger) signature',
      });
    }
  }
  return pass(`signatures: ${evidence.signatures.join('; ')}`, { evidence });
}

function chainVerdict(f: HostFacts, path: PathResult): Outcome {
  const evidence = { chain: chainLabels(path), sent: f.certs.map((c) => c.label) };
  const notSent = path.path.filter((l) => l.source === 'bundle');
  if (notSent.length) {
    return fail('incomplete_chain', `${f.target.host} did not send intermediate ${notSent.map((l) => `'${label(l.cert.subject)}'`).join(', ')} (found in ingress.ca_bundle): clients that do not already hold it cannot verify the certificate`, {
      evidence, hint: 'put the full chain (leaf, then intermediates) in the TLS Secret tls.crt',
    });
  }
  if (path.kind === 'issuer_missing') {
    const last = path.path[path.path.length - 1].cert;
    return fail('incomplete_chain', `the chain sent by ${f.target.host} ends at '${label(last.subject)}', whose issuer '${label(last.issuer)}' was not sent and is not a trusted root`, {
      evidence, hint: 'put the full chain (leaf, then intermediates) in the TLS Secret tls.crt',
    });
  }
  const n = f.certs.length;
  return pass(`${f.target.host} sent ${n} certificate${n === 1 ? '' : 's'}, enough to reach ${path.kind === 'trusted' ? 'a trusted root' : 'its self-signed root'} (${chainLabels(path)})`, { evidence });
}

function defaultCertVerdict(f: HostFacts, isDefault: boolean): Outcome {
  if (isDefault) return fail('default_cert', defaultCertMessage(f), { evidence: { subject: f.certs[0].subject }, hint: defaultCertHint(f) });
  const leaf = f.certs[0];
  return pass(`${f.target.host} has its own certificate ('${leaf.label}')`, { evidence: { subject: leaf.subject, issuer: leaf.issuer, sha256: leaf.fingerprint256 } });
}

function protocolVerdict(f: HostFacts, p: IngressPolicy): Outcome {
  const offers = f.protocols ?? [];
  const rank = (v: string) => TLS_VERSIONS.indexOf(v as (typeof TLS_VERSIONS)[number]);
  const accepted = offers.filter((o) => o.accepted).map((o) => o.version);
  // Only a handshake the server refused says "not offered"; a timeout or reset says nothing.
  const unknown = offers.filter((o) => !o.accepted && o.error && o.error.kind !== 'tls_handshake');
  const evidence = { accepted, unknown: unknown.map((o) => `${o.version}: ${o.error?.message}`) };
  const old = accepted.filter((v) => rank(v) < rank(p.minVersion));
  const modern = accepted.filter((v) => rank(v) >= rank(p.minVersion));
  if (old.length) {
    return fail('old_protocol', `${f.target.host} accepts ${old.join(', ')} (older than ${p.minVersion})${modern.length ? `; also ${modern.join(', ')}` : `, and nothing from ${p.minVersion} on`}`, {
      evidence, hint: `set ssl-protocols to "${TLS_VERSIONS.filter((v) => rank(v) >= rank(p.minVersion)).join(' ')}" on the ingress controller`,
    });
  }
  if (!modern.length && !unknown.length) return fail('old_protocol', `${f.target.host} accepts none of ${TLS_VERSIONS.join(', ')} on separate handshakes`, { evidence });
  if (unknown.length) {
    return warn('timeout', `could not tell whether ${f.target.host} offers ${unknown.map((o) => o.version).join(', ')} (${unknown[0].error?.message}); accepted: ${accepted.join(', ') || 'none'}`, { evidence });
  }
  return pass(`${f.target.host} accepts ${modern.join(', ')} and nothing older than ${p.minVersion}`, { evidence });
}

// ---- HTTP

function httpsAnswers(f: HostFacts): Array<[string, HttpFacts]> {
  return Object.entries(f.https).filter(([, h]) => h.ok);
}

function hstsVerdict(f: HostFacts, p: IngressPolicy): Outcome {
  const answers = httpsAnswers(f);
  if (!answers.length) return skip(`no HTTPS answer from ${f.target.host} to look at (see ingress.http.phase_answer)`);
  const seen: string[] = [];
  for (const [path, h] of answers) {
    const v = h.headers['strict-transport-security'];
    if (!v) continue;
    const age = Number(/max-age\s*=\s*"?(\d+)/i.exec(v)?.[1] ?? NaN);
    if (Number.isFinite(age) && age >= p.hstsMinAgeS && age > 0) {
      return pass(`Strict-Transport-Security: ${v} (GET ${path})`, { evidence: { header: v, path } });
    }
    seen.push(`GET ${path}: "${v}"`);
  }
  const asked = answers.map(([path, h]) => `GET ${path} ${h.status}`).join(', ');
  return fail('no_hsts', seen.length
    ? `Strict-Transport-Security on ${f.target.host} has max-age below ${Math.max(1, p.hstsMinAgeS)} s (${seen.join('; ')})`
    : `no Strict-Transport-Security header on the HTTPS answers of ${f.target.host} (${asked})`, {
    hint: 'enable hsts in the ingress-nginx ConfigMap (hsts: "true", the default) or add the header at the service',
  });
}

function redirectVerdict(f: HostFacts): Outcome {
  const h = f.plain;
  const port = f.target.httpPort;
  if (!h) return skip('plain HTTP was not probed');
  if (!h.ok) {
    const reason: Reason = h.error?.kind === 'timeout' ? 'timeout' : 'no_redirect';
    return warn(reason, `nothing answers plain HTTP for ${f.target.host} on port ${port} (${h.error?.message}): users who type the bare name get no redirect`, {
      evidence: { url: h.url },
    });
  }
  const loc = h.headers.location;
  const measurements = h.first_byte_ms !== undefined ? { first_byte_ms: h.first_byte_ms } : undefined;
  const evidence = { url: h.url, status: h.status, location: loc };
  if (![301, 302, 303, 307, 308].includes(h.status!) || !loc) {
    return fail('no_redirect', `plain HTTP GET / on ${f.target.host} port ${port} answered ${h.status}${loc ? '' : ' without a Location'} instead of redirecting to HTTPS`, {
      measurements, evidence, hint: 'set nginx.ingress.kubernetes.io/ssl-redirect: "true" (the default when the Ingress has TLS)',
    });
  }
  let target: URL;
  try {
    target = new URL(loc, h.url);
  } catch {
    return fail('no_redirect', `plain HTTP on ${f.target.host} redirects to an unparsable Location "${loc}"`, { evidence });
  }
  if (target.protocol !== 'https:') return fail('no_redirect', `plain HTTP on ${f.target.host} redirects to ${target.href}, which is not HTTPS`, { measurements, evidence });
  if (target.hostname.toLowerCase() !== f.target.host) {
    return fail('no_redirect', `plain HTTP on ${f.target.host} redirects to another host: ${target.href}`, { measurements, evidence });
  }
  return pass(`plain HTTP on port ${port} redirects (${h.status}) to ${target.href}`, { measurements, evidence });
}

function answerFailure(f: HostFacts, path: string, h: HttpFacts | undefined): Outcome {
  return fail(netReason(h?.error), h?.error?.message ?? `no answer to GET ${path}`, { evidence: { url: h?.url } });
}

function firstByte(h: HttpFacts | undefined): Record<string, number> | undefined {
  return h?.first_byte_ms !== undefined ? { first_byte_ms: h.first_byte_ms } : undefined;
}

function phaseVerdict(f: HostFacts, p: IngressPolicy): Outcome {
  const kind = f.target.kind;
  const name = SERVICE_NAMES[kind];
  const page = f.https['/'];
  if (!page?.ok) return answerFailure(f, '/', page);
  const measurements = firstByte(page);
  const pageEvidence = { url: page.url, status: page.status, location: page.headers.location };
  if (f.phase === 'pre-deploy') {
    if (kind === 'argocd') {
      return answersAtAll(page.status!)
        ? pass(`Argo CD answers GET / with ${page.status}${page.headers.location ? ` → ${page.headers.location}` : ''} (it is up before the EFD is deployed)`, { measurements, evidence: pageEvidence })
        : fail('http_status', `Argo CD on ${f.target.host} answered GET / with ${page.status}; it should answer before deployment`, { measurements, evidence: pageEvidence, hint: 'Argo CD is already deployed on the cluster: check its Ingress and service' });
    }
    return page.status === 404
      ? pass(`${f.target.host} answers 404 from the ingress, as expected before deployment`, { measurements, evidence: pageEvidence })
      : fail('http_status', `${f.target.host} answered GET / with ${page.status}; before deployment the ingress should answer 404`, {
        measurements, evidence: pageEvidence, hint: 'is the profile phase right (phase: deployed once the EFD runs)?',
      });
  }
  if (kind === 'influxdb') {
    const ping = f.https[INFLUX_PING_PATH];
    if (!ping?.ok) return answerFailure(f, INFLUX_PING_PATH, ping);
    const version = ping.headers['x-influxdb-version'];
    const evidence = { url: ping.url, status: ping.status, version };
    if (ping.status === 204 && version) return pass(`InfluxDB answers GET /ping 204, version ${version}`, { measurements: firstByte(ping), evidence });
    return fail('http_status', ping.status === 204
      ? `GET /ping on ${f.target.host} answered 204 without an X-Influxdb-Version header: is InfluxDB behind this host?`
      : `GET /ping on ${f.target.host} answered ${ping.status}; InfluxDB answers 204 with X-Influxdb-Version`, {
      measurements: firstByte(ping), evidence, hint: 'check the Ingress backend (service influxdb, port 8086) and the InfluxDB pod',
    });
  }
  if (kind === 'schema-registry') {
    const path = p.registryPath;
    const h = f.https[path];
    if (!h?.ok) return answerFailure(f, path, h);
    const evidence = { url: h.url, status: h.status, content_type: h.headers['content-type'] };
    let list: unknown;
    try {
      list = JSON.parse(h.body ?? '');
    } catch {
      list = undefined;
    }
    if (h.status === 200 && Array.isArray(list)) return pass(`Schema Registry answers GET ${path} 200 with ${list.length} subject${list.length === 1 ? '' : 's'}`, { measurements: firstByte(h), evidence });
    return fail('http_status', h.status === 200
      ? `GET ${path} on ${f.target.host} answered 200 but not a JSON array (${(h.headers['content-type'] ?? 'no content type')})`
      : `GET ${path} on ${f.target.host} answered ${h.status}; the Schema Registry answers 200 with a JSON array of subjects`, {
      measurements: firstByte(h), evidence, hint: 'check the Ingress backend (the schema registry service, port 8081) and thresholds.ingress.http.phase_answer.registry_path',
    });
  }
  if (kind === 'chronograf' || kind === 'argocd') {
    return answersAtAll(page.status!)
      ? pass(`${name} answers GET / with ${page.status}${page.headers.location ? ` → ${page.headers.location}` : ''}`, { measurements, evidence: pageEvidence })
      : fail('http_status', `${name} on ${f.target.host} answered GET / with ${page.status}`, { measurements, evidence: pageEvidence, hint: `check the ${name} Ingress backend and pod` });
  }
  return page.status !== 404 && page.status! < 500
    ? pass(`${f.target.host} answers GET / with ${page.status}`, { measurements, evidence: pageEvidence })
    : fail('http_status', `${f.target.host} answered GET / with ${page.status}`, { measurements, evidence: pageEvidence });
}

/** 2xx, 3xx, 401 or 403: the service is there (the auth check says whether it should be). */
function answersAtAll(status: number): boolean {
  return (status >= 200 && status < 400) || status === 401 || status === 403;
}

// ---- anonymous access

const LOGIN_PATH = /\/(login|oauth2?|auth|dex|sso|signin|sign_in)(\/|\?|#|$)/i;

/** A Location that leads to a login: GitHub's OAuth authorize page, or a login path on any host. */
export function isLoginLocation(location: string, base: string): boolean {
  try {
    const u = new URL(location, base);
    if (u.hostname === 'github.com' && u.pathname.startsWith('/login/oauth')) return true;
    return LOGIN_PATH.test(u.pathname);
  } catch {
    return false;
  }
}

/** A password field, or a link or form to a login/OAuth URL. */
export function looksLikeLoginPage(body: string | undefined): boolean {
  if (!body) return false;
  if (/<input[^>]*type\s*=\s*["']?password/i.test(body)) return true;
  return /(href|action)\s*=\s*["'][^"']*(github\.com\/login\/oauth|\/(login|oauth2?|auth|dex|sso|signin)(\/|\?|["']))/i.test(body);
}

function isJson(h: HttpFacts): boolean {
  if (/json/i.test(h.headers['content-type'] ?? '')) return true;
  try {
    JSON.parse(h.body ?? '');
    return (h.body ?? '').trim().length > 0;
  } catch {
    return false;
  }
}

function authVerdict(f: HostFacts): Outcome {
  const kind = f.target.kind;
  if (kind === 'influxdb') {
    if (f.phase !== 'deployed') return skip('pre-deploy: InfluxDB is not deployed yet');
    const q = f.https[INFLUX_QUERY_PATH];
    if (!q?.ok) return skip(`no answer to GET ${INFLUX_QUERY_PATH} to judge (${q?.error?.message ?? 'not asked'})`);
    const evidence = { url: q.url, status: q.status };
    if (q.status === 401 || q.status === 403) return pass(`InfluxDB refuses a query without credentials (${q.status})`, { evidence });
    if (q.status === 200) return fail('auth', `InfluxDB on ${f.target.host} answered a query without credentials (200): authentication is off`, { evidence, hint: 'set auth-enabled = true ([http] section) in InfluxDB' });
    return fail('http_status', `GET ${INFLUX_QUERY_PATH} without credentials on ${f.target.host} answered ${q.status}; InfluxDB with authentication answers 401`, { evidence });
  }
  if (kind !== 'chronograf' && kind !== 'argocd') return skip(`no anonymous-access rule for ${SERVICE_NAMES[kind]} hosts`);
  if (kind === 'chronograf' && f.phase !== 'deployed') return skip('pre-deploy: Chronograf is not deployed yet');
  const name = SERVICE_NAMES[kind];
  const page = f.https['/'];
  if (!page?.ok) return skip(`no answer to GET / to judge (${page?.error?.message ?? 'not asked'})`);
  const apiPath = AUTH_API_PATHS[kind]!;
  const api = f.https[apiPath];
  const evidence = { page: `${page.status}${page.headers.location ? ` → ${page.headers.location}` : ''}`, api: api?.ok ? `${apiPath} ${api.status}` : `${apiPath}: ${api?.error?.message ?? 'not asked'}` };
  // The API serving JSON to an anonymous user is a leak whatever the page does.
  if (api?.ok && api.status === 200 && isJson(api)) {
    return fail('auth', `${name} on ${f.target.host} serves ${apiPath} to an anonymous user (200 JSON)`, { evidence, hint: anonHint(kind) });
  }
  const apiDenies = !!api?.ok && (api.status === 401 || api.status === 403 || (isRedirect(api.status!) && isLoginLocation(api.headers.location ?? '', api.url)));
  const s = page.status!;
  if (isRedirect(s)) {
    const loc = page.headers.location ?? '';
    if (isLoginLocation(loc, page.url)) return pass(`${name} sends anonymous users to a login (${s} → ${loc})`, { evidence });
    return fail('auth', `${name} on ${f.target.host} redirects anonymous users to ${loc || '(no Location)'}, which is not a login or GitHub OAuth`, { evidence, hint: anonHint(kind) });
  }
  if (s === 401 || s === 403) return pass(`${name} refuses anonymous users (${s})`, { evidence });
  if (s >= 200 && s < 300) {
    if (looksLikeLoginPage(page.body)) return pass(`${name} answers anonymous users with a login page (${s})`, { evidence });
    if (apiDenies) return pass(`${name} serves its page shell (${s}) but its API refuses anonymous users (${apiPath} ${api!.status})`, { evidence });
    return fail('auth', `${name} on ${f.target.host} served the app to an anonymous user (GET / ${s}, no login form or OAuth redirect; ${apiPath} ${api?.ok ? api.status : 'no answer'})`, { evidence, hint: anonHint(kind) });
  }
  return skip(`GET / answered ${s}: nothing to judge (see ingress.http.phase_answer)`);
}

function isRedirect(s: number): boolean {
  return s >= 301 && s <= 308 && s !== 304;
}

function anonHint(kind: string): string {
  return kind === 'chronograf'
    ? 'Chronograf needs TOKEN_SECRET, GH_CLIENT_ID, GH_CLIENT_SECRET and GH_ORGS (secret chronograf-oauth) to require a GitHub login'
    : 'Argo CD: check users.anonymous.enabled in argocd-cm and the dex GitHub connector';
}

// ---- vantage

function refusedVerdict(f: HostFacts): Outcome {
  const hs = f.handshake;
  const page = f.https['/'];
  const evidence = { address: where(f), handshake: hs?.ok ? `${hs.protocol}` : hs?.error?.message, page: page?.ok ? page.status : page?.error?.message };
  if (hs && !hs.ok) {
    if (hs.error?.kind === 'refused') return pass(`${f.target.host} refuses this vantage (${hs.error.message})`, { evidence });
    if (hs.error?.kind === 'timeout') {
      return fail('timeout', `${f.target.host} did not answer within ${f.timeoutMs} ms; this vantage expects the connection refused or 403`, { evidence, hint: 'a firewall that drops silently looks like this; the plan expects a refusal' });
    }
    return fail('policy', `${f.target.host} neither accepted nor refused this vantage: ${hs.error?.message}`, { evidence });
  }
  if (page?.ok && page.status === 403) return pass(`${f.target.host} answers 403 to this vantage`, { evidence });
  if (page && !page.ok && page.error?.kind === 'refused') return pass(`${f.target.host} resets the request from this vantage (${page.error.message})`, { evidence });
  const sr = f.target.ingress?.sourceRanges ?? [];
  return fail('policy', `${f.target.host} answered this vantage (GET / ${page?.ok ? page.status : page?.error?.message}); it should be outside the allowlist and refused`, {
    evidence,
    hint: sr.length ? `the Ingress allows ${sr.join(', ')}` : 'the Ingress has no whitelist-source-range annotation: every address is allowed',
  });
}
