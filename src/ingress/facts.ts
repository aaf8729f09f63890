// Facts for each ingress host, gathered once per run: DNS, then the TLS handshake, then — in parallel —
// one handshake per protocol version and the HTTP requests the phase and the service call for. Plain
// HTTP starts at once beside the handshake. A host that does not answer costs one timeout, not one per
// request: nothing waits for HTTPS requests once the handshake has failed.
import { resolveHost, type DnsFacts } from '../probes/dns.ts';
import { httpGet, type HttpFacts } from '../probes/http.ts';
import { offeredProtocols, tlsHandshake, type ProtocolOffer, type TlsHandshakeFacts } from '../probes/tls.ts';
import { describeCert, type CertInfo } from './cert.ts';
import type { IngressPolicy } from './policy.ts';
import type { IngressTarget, ServiceKind } from './targets.ts';

export type Phase = 'pre-deploy' | 'deployed';

/** Where each service keeps data an anonymous user must not get (see ingress.auth.anonymous). */
export const AUTH_API_PATHS: Partial<Record<ServiceKind, string>> = {
  argocd: '/api/v1/applications',
  chronograf: '/chronograf/v1/sources',
};
export const INFLUX_PING_PATH = '/ping';
export const INFLUX_QUERY_PATH = '/query?q=SHOW+DATABASES';

export interface GatherOptions {
  phase: Phase;
  /** this vantage should be refused: only the refusal is probed */
  expectRefused: boolean;
  timeoutMs: number;
  resolve: Record<string, string>;
  policy: IngressPolicy;
}

export interface HostFacts {
  target: IngressTarget;
  phase: Phase;
  expectRefused: boolean;
  timeoutMs: number;
  dns: DnsFacts;
  /** where HTTPS went */
  address?: string;
  port?: number;
  handshake?: TlsHandshakeFacts;
  /** the chain as sent, described; empty without a handshake */
  certs: CertInfo[];
  /** a sent certificate that could not be parsed */
  certError?: string;
  protocols?: ProtocolOffer[];
  /** HTTPS GETs by path */
  https: Record<string, HttpFacts>;
  /** plain HTTP GET / on the http port */
  plain?: HttpFacts;
  duration_ms: number;
}

/** The HTTPS paths asked for a service in a phase; `/` always. */
export function pathsFor(kind: ServiceKind, phase: Phase, policy: IngressPolicy): string[] {
  const paths = ['/'];
  if (kind === 'argocd') paths.push(AUTH_API_PATHS.argocd!); // Argo CD is up in both phases
  if (phase === 'deployed') {
    if (kind === 'influxdb') paths.push(INFLUX_PING_PATH, INFLUX_QUERY_PATH);
    if (kind === 'schema-registry') paths.push(policy.registryPath);
    if (kind === 'chronograf') paths.push(AUTH_API_PATHS.chronograf!);
  }
  return [...new Set(paths)];
}

export async function gatherHost(target: IngressTarget, o: GatherOptions): Promise<HostFacts> {
  const t0 = performance.now();
  const base = { target, phase: o.phase, expectRefused: o.expectRefused, timeoutMs: o.timeoutMs, certs: [], https: {} };
  const dns = await resolveHost(target.host, { overrides: o.resolve, timeoutMs: o.timeoutMs });
  const done = (f: Partial<HostFacts>): HostFacts => ({ ...base, dns, ...f, duration_ms: Math.round(performance.now() - t0) });
  if (dns.error || !dns.addresses.length) return done({});
  const address = dns.addresses[0].address;
  const port = dns.port ?? target.httpsPort;
  const http = { host: target.host, address, timeoutMs: o.timeoutMs };
  const plainP = o.expectRefused ? undefined : httpGet({ ...http, scheme: 'http', port: target.httpPort }, '/', 4096);
  const handshake = await tlsHandshake({ address, port, servername: target.host, timeoutMs: o.timeoutMs });
  if (!handshake.ok) return done({ address, port, handshake, plain: await plainP });
  let certs: CertInfo[] = [];
  let certError: string | undefined;
  try {
    certs = handshake.chain.map(describeCert);
  } catch (e) {
    certError = (e as Error).message;
  }
  const paths = o.expectRefused ? ['/'] : pathsFor(target.kind, o.phase, o.policy);
  const [protocols, plain, ...answers] = await Promise.all([
    o.expectRefused ? undefined : offeredProtocols({ address, port, servername: target.host, timeoutMs: o.timeoutMs }),
    plainP,
    ...paths.map((p) => httpGet({ ...http, scheme: 'https', port }, p)),
  ]);
  const https: Record<string, HttpFacts> = {};
  paths.forEach((p, i) => (https[p] = answers[i]));
  return done({ address, port, handshake, certs, certError, protocols, plain, https });
}

/** Every host, at most `maxParallel` at a time. */
export async function gatherIngress(targets: IngressTarget[], o: GatherOptions, maxParallel = 8): Promise<HostFacts[]> {
  const out: HostFacts[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      out[i] = await gatherHost(targets[i], o);
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxParallel, targets.length) }, worker));
  return out;
}
