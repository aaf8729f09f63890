// What to look at next when a hop fails: the replication connectors' state and trace (Connect REST),
// the sink's state (Connect sink status, or the Telegraf consumer group and its lag, Telegraf having no
// REST API) and InfluxDB's health (/ping). Each part is bounded and says so when it cannot be read.
import type { Profile } from '../config/types.ts';
import type { MarkerRoute } from '../model/replication.ts';
import { allStatuses, connectorStatus, describeStatus } from '../probes/connect.ts';
import { ping } from '../probes/influx.ts';
import { groupFacts } from '../probes/kafka.ts';

const msg = (e: unknown) => (e as Error).message ?? String(e);

export async function replicationHint(profile: Profile, route: MarkerRoute): Promise<string> {
  const url = profile.connect.url;
  try {
    const statuses = await allStatuses(url, profile.timeout_ms);
    const names = route.replication.connectors;
    const mine = statuses.filter((s) => names.includes(s.name));
    const missing = names.filter((n) => !statuses.some((s) => s.name === n));
    const parts = [
      ...mine.map((s) => {
        const trace = s.connector.trace ? ` (connector trace: ${s.connector.trace.split('\n')[0]})` : '';
        return describeStatus(s) + trace;
      }),
      ...missing.map((n) => `${n} is not deployed on Connect at ${url}`),
    ];
    return `replication connectors: ${parts.join('; ')}`;
  } catch (e) {
    return `Connect REST at ${url} cannot be read: ${msg(e)}`;
  }
}

async function influxHealth(profile: Profile): Promise<string> {
  const url = profile.influxdb.url;
  try {
    const p = await ping(url, profile.timeout_ms);
    return p.status === 204 || p.status === 200
      ? `InfluxDB /ping ${p.status}${p.version ? ` (version ${p.version})` : ''}`
      : `InfluxDB /ping answered HTTP ${p.status}`;
  } catch (e) {
    return `InfluxDB at ${new URL(url).host} is unreachable: ${msg(e)}`;
  }
}

async function sinkState(profile: Profile, route: MarkerRoute): Promise<string> {
  const s = route.sink;
  const parts: string[] = [];
  if (s.kind === 'connect-influxdb') {
    try {
      parts.push(`sink connector ${describeStatus(await connectorStatus(profile.connect.url, profile.timeout_ms, s.name))}`);
    } catch (e) {
      parts.push(`sink connector ${s.name}: ${msg(e)}`);
    }
  }
  try {
    const g = await groupFacts(profile.kafka.ldf.bootstrap, profile.timeout_ms, s.consumerGroup, route.ldfTopic);
    const lag = g.partitions.map((p) => `p${p.partition} lag ${p.lag}`).join(', ');
    const who = s.kind === 'telegraf' ? 'Telegraf' : 'sink';
    const alive = g.members === 0 ? ` — no member: is ${who} running?` : '';
    parts.push(`consumer group ${g.groupId} is ${g.state} with ${g.members} member(s)${alive}; on ${route.ldfTopic}: ${lag || 'no partitions'}`);
  } catch (e) {
    parts.push(`consumer group ${s.consumerGroup} cannot be read: ${msg(e)}`);
  }
  return parts.join('; ');
}

export async function sinkHint(profile: Profile, route: MarkerRoute): Promise<string> {
  const [state, health] = await Promise.all([sinkState(profile, route), influxHealth(profile)]);
  return `${state}; ${health}`;
}
