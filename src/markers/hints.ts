// What to look at next when a hop fails: the replication connectors' state and trace (Connect REST),
// the sink's state (Connect sink status, or the Telegraf consumer group and its lag, Telegraf having no
// REST API) and InfluxDB's health (/ping). Each part is bounded and says so when it cannot be read.
import type { Profile } from '../config/types.ts';
import type { MarkerRoute } from '../model/replication.ts';
import { allStatuses, connectorStatus, describeStatus } from '../probes/connect.ts';
import { ping, WRITE_COUNTERS, type WriteCounters } from '../probes/influx.ts';
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

/** The sink's read side: its group's state and lag on the LDF topic, and whether it has read everything. */
async function sinkState(profile: Profile, route: MarkerRoute): Promise<{ text: string; members?: number; lag?: number }> {
  const s = route.sink;
  const parts: string[] = [];
  let members: number | undefined;
  let lag: number | undefined;
  if (s.kind === 'connect-influxdb') {
    try {
      parts.push(`sink connector ${describeStatus(await connectorStatus(profile.connect.url, profile.timeout_ms, s.name))}`);
    } catch (e) {
      parts.push(`sink connector ${s.name}: ${msg(e)}`);
    }
  }
  try {
    const g = await groupFacts(profile.kafka.ldf.bootstrap, profile.timeout_ms, s.consumerGroup, route.ldfTopic);
    const lags = g.partitions.map((p) => `p${p.partition} lag ${p.lag}`).join(', ');
    const who = s.kind === 'telegraf' ? 'Telegraf' : 'sink';
    const alive = g.members === 0 ? ` — no member: is ${who} running?` : '';
    parts.push(`consumer group ${g.groupId} is ${g.state} with ${g.members} member(s)${alive}; on ${route.ldfTopic}: ${lags || 'no partitions'}`);
    members = g.members;
    lag = g.partitions.reduce((sum, p) => sum + p.lag, 0);
  } catch (e) {
    parts.push(`consumer group ${s.consumerGroup} cannot be read: ${msg(e)}`);
  }
  return { text: parts.join('; '), members, lag };
}

/** InfluxDB's write counters around the run (SHOW STATS httpd), when the profile has an admin user. */
export interface WriteCounterSpan {
  before?: WriteCounters;
  after?: WriteCounters;
  error?: string;
}

function writeSide(w: WriteCounterSpan | undefined): { text: string; refused?: number; requests?: number } {
  if (!w) return { text: "InfluxDB's write counters were not read: SHOW STATS needs the profile's influxdb.admin user" };
  if (w.error || !w.before || !w.after) return { text: `InfluxDB's write counters cannot be read: ${w.error ?? 'no second reading'}` };
  const d = Object.fromEntries(WRITE_COUNTERS.map((k) => [k, w.after![k] - w.before![k]])) as unknown as WriteCounters;
  const refused = d.authFail + d.clientError + d.serverError + d.pointsWrittenFail + d.pointsWrittenDropped;
  return {
    text: `InfluxDB during the run (SHOW STATS httpd): ${WRITE_COUNTERS.map((k) => `${k} +${d[k]}`).join(', ')}`,
    refused,
    requests: d.writeReq,
  };
}

/** Which side of the sink failed, from its group (members, lag) and InfluxDB's write counters. A sink that
 * commits only what it has written (Telegraf) keeps lag while InfluxDB refuses it, so lag alone cannot say. */
export function sinkDiagnosis(read: { members?: number; lag?: number }, writes?: WriteCounterSpan): { which: string; evidence: string } {
  const write = writeSide(writes);
  const which =
    read.members === undefined
      ? 'whether the sink read the markers is not known (its consumer group cannot be read)'
      : read.members === 0
        ? 'not consumed: the sink has no member in its consumer group'
        : write.refused
          ? `consumed but not written: the sink is reading, and InfluxDB refused ${write.refused} write${write.refused === 1 ? '' : 's'} or points during the run`
          : read.lag
            ? `not consumed: the sink's group lags ${read.lag} record${read.lag === 1 ? '' : 's'} on the topic${write.refused === 0 ? ' and InfluxDB refused no write' : ''}`
            : write.requests
              ? 'consumed and written: InfluxDB counted the writes without an error, so look at the database and measurement the sink writes to'
              : write.refused === 0
                ? 'consumed but not written: InfluxDB received no write during the run'
                : 'consumed (lag 0); whether it was written is not known without the write counters';
  return { which, evidence: write.text };
}

/** Says which it was, not consumed or consumed but not written, then the evidence that says so. */
export async function sinkHint(profile: Profile, route: MarkerRoute, writes?: WriteCounterSpan): Promise<string> {
  const [read, health] = await Promise.all([sinkState(profile, route), influxHealth(profile)]);
  const d = sinkDiagnosis(read, writes);
  return `${d.which}. Evidence: ${read.text}; ${d.evidence}; ${health}`;
}
