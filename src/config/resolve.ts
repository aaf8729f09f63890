// Where the profile says to reach a host: its `ingress.resolve` overrides, used by every probe that dials an
// ingress host (the preflight, the cluster suite's served-certificate read).
import type { Profile } from './types.ts';

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
