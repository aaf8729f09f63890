// The replication as it runs, not as it was declared: the replication connectors' live configs from the
// Connect REST API (policy class, source alias, separator, topics and excludes; Replicator's
// topic.rename.format). The run routes markers with them, and any difference from the manifests is a finding.
import type { Profile } from '../config/types.ts';
import { connectorRoles, describeFilter, describePolicy, type ReplicationDecl } from '../model/replication.ts';
import { allConnectors } from '../probes/connect.ts';

export interface LivePolicy {
  /** Connect REST URL the configs came from */
  url: string;
  /** the live replications; absent when Connect could not be read */
  replications?: ReplicationDecl[];
  error?: string;
  /** each difference between the declared and the live replications, one sentence each */
  drift: string[];
}

/** The declared replication a live connector belongs to: the same name, or one of its connectors. */
function declaredFor(live: ReplicationDecl, declared: ReplicationDecl[]): ReplicationDecl | undefined {
  return declared.find((d) => d.name === live.name || d.connectors.includes(live.name));
}

export function policyDrift(declared: ReplicationDecl[], live: ReplicationDecl[]): string[] {
  const out: string[] = [];
  for (const l of live) {
    const d = declaredFor(l, declared);
    if (!d) {
      out.push(`${l.name} runs on Connect (${describePolicy(l)}, topics ${describeFilter(l.filter)}) but the manifests do not declare it`);
      continue;
    }
    if (describePolicy(l) !== describePolicy(d)) out.push(`${l.name} runs with ${describePolicy(l)}; the manifests declare ${describePolicy(d)}`);
    if (describeFilter(l.filter) !== describeFilter(d.filter))
      out.push(`${l.name} carries ${describeFilter(l.filter)}; the manifests declare ${describeFilter(d.filter)}`);
  }
  for (const d of declared)
    if (!live.some((l) => declaredFor(l, [d]))) out.push(`${d.name} is declared in the manifests but no such replication connector runs on Connect`);
  return out;
}

/** Never throws: a Connect that cannot be read leaves the run on the manifests, saying why. */
export async function readLivePolicy(profile: Profile, declared: ReplicationDecl[]): Promise<LivePolicy> {
  const url = profile.connect.url;
  try {
    const connectors = (await allConnectors(url, profile.timeout_ms)).map(({ info }) => ({ name: info.name, config: info.config, file: `Connect ${url}`, line: 0 }));
    const { replications } = connectorRoles(connectors);
    return { url, replications, drift: policyDrift(declared, replications) };
  } catch (e) {
    return { url, error: (e as Error).message ?? String(e), drift: [] };
  }
}
