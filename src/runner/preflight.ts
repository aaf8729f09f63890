// Before any check runs: can this vantage reach what the chosen suites cannot do without? One protocol
// round trip per endpoint with a short deadline (Kafka ApiVersions, an HTTP answer): a port that accepts
// connections but does not answer is as unusable as a closed one. The first component that does not answer
// ends the run with exit 3.
//
// A suite "needs" a component when none of its checks can mean anything without it (where markers are
// produced, where the data is read). A component that is the *subject* of a suite's checks (MirrorMaker 2
// for replication, every service for `services`) is not a prerequisite: its being down is a finding.
import type { SuiteName } from '../catalog/types.ts';
import type { Profile } from '../config/types.ts';
import { applyResolve } from '../config/resolve.ts';
import { PreflightError } from '../errors.ts';
import { greet, type Greeting } from '../probes/greeting.ts';

export type Component = 'kafka-summit' | 'kafka-ldf' | 'registry-summit' | 'registry-ldf' | 'connect' | 'influxdb' | 'ingress';

export const SUITE_NEEDS: Record<SuiteName, Component[]> = {
  replication: ['kafka-summit', 'registry-summit', 'kafka-ldf'],
  ingress: ['ingress'],
  services: [],
  data: ['influxdb'],
  load: ['kafka-summit', 'registry-summit'],
  manifests: [],
  // the API server is the subject of every cluster check: its being down is a finding
  cluster: [],
};

export const PREFLIGHT_DEADLINE_MS = 2000;

/** host:port endpoints of a component; the component is reachable when any of them is. */
export function endpoints(profile: Profile, c: Component): string[] {
  const fromUrl = (u: string) => {
    const url = new URL(u);
    return `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  };
  switch (c) {
    case 'kafka-summit': return profile.kafka.summit.bootstrap;
    case 'kafka-ldf': return profile.kafka.ldf.bootstrap;
    case 'registry-summit': return [fromUrl(profile.registry.summit.url)];
    case 'registry-ldf': return [fromUrl(profile.registry.ldf.url)];
    case 'connect': return [fromUrl(profile.connect.url)];
    case 'influxdb': return [fromUrl(profile.influxdb.url)];
    case 'ingress': {
      // Only where the address is known without DNS: resolve overrides and extra hosts. A vantage outside
      // the allowlist expects to be refused, so the ingress is no prerequisite there.
      if (profile.ingress.expect_refused) return [];
      const out = new Set<string>();
      for (const host of Object.keys(profile.ingress.resolve)) out.add(`${host}:${profile.ingress.https_port}`);
      for (const host of profile.ingress.extra_hosts) out.add(`${host}:${profile.ingress.https_port}`);
      return [...out];
    }
  }
}

/** What a component owes an open connection: Kafka an ApiVersions answer, the services an HTTP answer. */
export function greetingFor(profile: Profile, c: Component, hostPort: string): Greeting {
  const http = (u: string, path?: string): Greeting => {
    const url = new URL(u);
    return { kind: 'http', tls: url.protocol === 'https:', host: url.host, path: path ?? (url.pathname || '/') };
  };
  switch (c) {
    case 'kafka-summit':
    case 'kafka-ldf': return { kind: 'kafka' };
    case 'registry-summit': return http(profile.registry.summit.url);
    case 'registry-ldf': return http(profile.registry.ldf.url);
    case 'connect': return http(profile.connect.url);
    case 'influxdb': return http(profile.influxdb.url, '/ping');
    case 'ingress': return { kind: 'http', tls: true, host: hostPort.slice(0, hostPort.lastIndexOf(':')), path: '/' };
  }
}

export interface PreflightResult {
  component: Component;
  endpoints: string[];
  ok: boolean;
  why?: string;
  /** some endpoint took the connection but did not answer (a frozen process), rather than none being there */
  connected?: boolean;
}

export function componentsFor(suites: readonly SuiteName[]): Component[] {
  return [...new Set(suites.flatMap((s) => SUITE_NEEDS[s]))];
}

export async function checkComponents(profile: Profile, components: Component[], deadlineMs: number): Promise<PreflightResult[]> {
  return Promise.all(
    components.map(async (component) => {
      const eps = endpoints(profile, component);
      const whys: string[] = [];
      let connected = false;
      for (const ep of eps) {
        const { host, port } = applyResolve(profile, ep);
        const no = await greet(host, port, greetingFor(profile, component, ep), deadlineMs);
        if (!no) return { component, endpoints: eps, ok: true };
        whys.push(`${host}:${port} ${no.why}`);
        connected ||= no.connected;
      }
      return { component, endpoints: eps, ok: eps.length === 0, why: whys.join('; '), connected };
    }),
  );
}

/** Throws a PreflightError (exit 3) naming the first unreachable component. */
export async function preflight(profile: Profile, suites: readonly SuiteName[]): Promise<PreflightResult[]> {
  const deadline = Math.min(profile.timeout_ms, PREFLIGHT_DEADLINE_MS);
  const results = await checkComponents(profile, componentsFor(suites), deadline);
  const bad = results.find((r) => !r.ok);
  if (bad) {
    const users = suites.filter((s) => SUITE_NEEDS[s].includes(bad.component));
    throw new PreflightError(
      `preflight: ${bad.component} ${bad.connected ? 'does not answer' : 'is unreachable'} from vantage ${profile.vantage} (${bad.why}), and the ${users.join(', ')} suite${users.length > 1 ? 's need' : ' needs'} it before any check can run`,
    );
  }
  return results;
}
