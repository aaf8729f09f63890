// Before any check runs: can this vantage reach what the chosen suites cannot do without? A plain TCP
// connect with a short deadline per endpoint; the first unreachable one ends the run with exit 3.
//
// A suite "needs" a component when none of its checks can mean anything without it (where markers are
// produced, where the data is read). A component that is the *subject* of a suite's checks (MirrorMaker 2
// for replication, every service for `services`) is not a prerequisite: its being down is a finding.
import { connect } from 'node:net';
import type { SuiteName } from '../catalog/types.ts';
import type { Profile } from '../config/types.ts';
import { PreflightError } from '../errors.ts';

export type Component = 'kafka-summit' | 'kafka-ldf' | 'registry-summit' | 'registry-ldf' | 'connect' | 'influxdb' | 'ingress';

export const SUITE_NEEDS: Record<SuiteName, Component[]> = {
  replication: ['kafka-summit', 'registry-summit', 'kafka-ldf'],
  ingress: ['ingress'],
  services: [],
  data: ['influxdb'],
  load: ['kafka-summit', 'registry-summit'],
  manifests: [],
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

/** Applies `ingress.resolve` (host → address or address:port, like curl --resolve) to an endpoint. */
export function applyResolve(profile: Profile, hostPort: string): { host: string; port: number } {
  const i = hostPort.lastIndexOf(':');
  let host = hostPort.slice(0, i).replace(/^\[|\]$/g, '');
  let port = Number(hostPort.slice(i + 1));
  const override = profile.ingress.resolve[host];
  if (override) {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(override);
    if (m) {
      host = m[1].replace(/^\[|\]$/g, '');
      if (m[2]) port = Number(m[2]);
    }
  }
  return { host, port };
}

function tcpConnect(host: string, port: number, deadlineMs: number): Promise<string | undefined> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (why?: string) => {
      clearTimeout(timer);
      socket.destroy();
      done(why);
    };
    const timer = setTimeout(() => finish(`no answer within ${deadlineMs} ms`), deadlineMs);
    socket.once('connect', () => finish(undefined));
    socket.once('error', (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'ECONNREFUSED' ? 'connection refused'
        : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? 'host name does not resolve'
        : e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' ? 'no route to host'
        : (e.code ?? e.message);
      finish(why);
    });
  });
}

export interface PreflightResult {
  component: Component;
  endpoints: string[];
  ok: boolean;
  why?: string;
}

export function componentsFor(suites: readonly SuiteName[]): Component[] {
  return [...new Set(suites.flatMap((s) => SUITE_NEEDS[s]))];
}

export async function checkComponents(profile: Profile, components: Component[], deadlineMs: number): Promise<PreflightResult[]> {
  return Promise.all(
    components.map(async (component) => {
      const eps = endpoints(profile, component);
      const whys: string[] = [];
      for (const ep of eps) {
        const { host, port } = applyResolve(profile, ep);
        const why = await tcpConnect(host, port, deadlineMs);
        if (!why) return { component, endpoints: eps, ok: true };
        whys.push(`${host}:${port} ${why}`);
      }
      return { component, endpoints: eps, ok: eps.length === 0, why: whys.join('; ') };
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
      `preflight: ${bad.component} is unreachable from vantage ${profile.vantage} (${bad.why}), and the ${users.join(', ')} suite${users.length > 1 ? 's need' : ' needs'} it before any check can run`,
    );
  }
  return results;
}
