// Kafka Connect (distributed worker on LDF, JMX on its own port) and the MirrorMaker 2 connectors of
// manifests/local, PUT exactly as declared (default ports swapped for overridden ones).
import { loadConnectors, type ConnectorDecl } from '../../src/model/connectors.ts';
import { PROBE_MS, DEFAULT_PORTS, MANIFESTS, state, type Ports } from './paths.ts';
import { startDaemon } from './proc.ts';
import { JVM_COMMON, logOpts } from './kafka.ts';
import { renderConf } from './render.ts';

export function startConnect(p: Ports, java: string, classpath: string): void {
  const conf = renderConf('connect-distributed.properties', 'connect-distributed.properties', { PORT: p.connect, KAFKA_LDF_PORT: p.kafka_ldf });
  const jmx = [
    `-Dcom.sun.management.jmxremote.port=${p.connect_jmx}`, `-Dcom.sun.management.jmxremote.rmi.port=${p.connect_jmx}`,
    '-Dcom.sun.management.jmxremote.authenticate=false', '-Dcom.sun.management.jmxremote.ssl=false',
    '-Dcom.sun.management.jmxremote.host=127.0.0.1', '-Djava.rmi.server.hostname=127.0.0.1',
  ];
  startDaemon({
    proc: 'connect',
    cmd: java,
    args: ['-Xms256m', '-Xmx768m', ...JVM_COMMON, ...logOpts(), ...jmx, `-Defd.stack=${state.root}`, '-cp', classpath,
      'org.apache.kafka.connect.cli.ConnectDistributed', conf],
  });
}

const base = (p: Ports) => `http://127.0.0.1:${p.connect}`;

export async function connectReady(p: Ports): Promise<boolean> {
  const res = await fetch(`${base(p)}/connectors`, { signal: AbortSignal.timeout(PROBE_MS) });
  await res.arrayBuffer();
  return res.status === 200;
}

/** The connectors the stack runs: manifests/local, with the default bootstrap ports replaced by the configured ones. */
export function desiredConnectors(p: Ports): ConnectorDecl[] {
  const swap: Array<[string, string]> = [
    [`127.0.0.1:${DEFAULT_PORTS.kafka_summit}`, `127.0.0.1:${p.kafka_summit}`],
    [`127.0.0.1:${DEFAULT_PORTS.kafka_ldf}`, `127.0.0.1:${p.kafka_ldf}`],
  ];
  return loadConnectors(MANIFESTS).map((c) => ({
    ...c,
    config: Object.fromEntries(Object.entries(c.config).map(([k, v]) => [k, swap.reduce((s, [a, b]) => s.replaceAll(a, b), v)])),
  }));
}

/** PUTs each connector whose live config differs from the declared one (a PUT restarts its tasks). */
export async function ensureConnectors(p: Ports): Promise<void> {
  for (const c of desiredConnectors(p)) {
    const url = `${base(p)}/connectors/${encodeURIComponent(c.name)}/config`;
    const cur = await fetch(url, { signal: AbortSignal.timeout(5000) });
    const live = cur.ok ? ((await cur.json()) as Record<string, string>) : undefined;
    if (!cur.ok) await cur.arrayBuffer();
    if (live && sameConfig(live, { ...c.config, name: c.name })) continue;
    const res = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(c.config),
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new Error(`PUT ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer().catch(() => {});
  }
}

function sameConfig(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** True when every declared connector and all its tasks are RUNNING. The checkpoint connector has no task
 *  until some consumer group on summit has offsets to translate, so zero tasks is fine. */
export async function connectorsRunning(p: Ports): Promise<boolean> {
  for (const c of desiredConnectors(p)) {
    const res = await fetch(`${base(p)}/connectors/${encodeURIComponent(c.name)}/status`, { signal: AbortSignal.timeout(PROBE_MS) });
    if (!res.ok) {
      await res.arrayBuffer();
      return false;
    }
    const s = (await res.json()) as { connector: { state: string }; tasks: Array<{ state: string }> };
    const states = [s.connector.state, ...s.tasks.map((t) => t.state)];
    if (states.some((x) => x !== 'RUNNING')) return false;
  }
  return true;
}

export async function connectorAction(p: Ports, name: string, action: 'pause' | 'resume' | 'restart'): Promise<void> {
  const url = action === 'restart'
    ? `${base(p)}/connectors/${encodeURIComponent(name)}/restart?includeTasks=true`
    : `${base(p)}/connectors/${encodeURIComponent(name)}/${action}`;
  const res = await fetch(url, { method: action === 'restart' ? 'POST' : 'PUT', signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer().catch(() => {});
  if (!res.ok) throw new Error(`${action} of connector ${name} answered ${res.status}`);
}
