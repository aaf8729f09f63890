// Kafka Connect REST API facts: connectors, their state, tasks and traces, live configs.
import { getJson, rest } from './rest.ts';

export interface TaskState {
  id: number;
  state: string;
  worker_id: string;
  trace?: string;
}

export interface ConnectorStatus {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: TaskState[];
  type?: string;
}

export async function listConnectors(url: string, timeoutMs: number): Promise<string[]> {
  return getJson<string[]>(`${url}/connectors`, { timeoutMs });
}

export async function connectorStatus(url: string, timeoutMs: number, name: string): Promise<ConnectorStatus> {
  return getJson<ConnectorStatus>(`${url}/connectors/${encodeURIComponent(name)}/status`, { timeoutMs });
}

export async function connectorConfig(url: string, timeoutMs: number, name: string): Promise<Record<string, string>> {
  return getJson<Record<string, string>>(`${url}/connectors/${encodeURIComponent(name)}/config`, { timeoutMs });
}

/** All connectors with status, in one call (`?expand=status`). */
export async function allStatuses(url: string, timeoutMs: number): Promise<ConnectorStatus[]> {
  const m = await getJson<Record<string, { status: ConnectorStatus }>>(`${url}/connectors?expand=status`, { timeoutMs });
  return Object.values(m).map((v) => v.status);
}

/** One line per connector and task, for hints: "replicator-mirror-source RUNNING, task 0 FAILED: <trace head>". */
export function describeStatus(s: ConnectorStatus): string {
  const tasks = s.tasks.map((t) => `task ${t.id} ${t.state}${t.trace ? `: ${t.trace.split('\n')[0]}` : ''}`);
  return `${s.name} ${s.connector.state}${tasks.length ? ', ' + tasks.join(', ') : ', no tasks'}`;
}

export async function putConnectorAction(url: string, timeoutMs: number, name: string, action: 'pause' | 'resume' | 'stop') {
  return rest(`${url}/connectors/${encodeURIComponent(name)}/${action}`, { timeoutMs, method: 'PUT' });
}

export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: Array<{ connector: string; task: number }>;
  type?: string;
}

/** Every connector with its live config and its status, in one call (`?expand=info&expand=status`). */
export async function allConnectors(url: string, timeoutMs: number): Promise<Array<{ info: ConnectorInfo; status: ConnectorStatus }>> {
  const m = await getJson<Record<string, { info: ConnectorInfo; status: ConnectorStatus }>>(`${url}/connectors?expand=info&expand=status`, { timeoutMs });
  return Object.values(m);
}

/** PUT /connectors/<name>/config (create or replace); answers the HTTP status and body. */
export async function putConnectorConfig(url: string, timeoutMs: number, name: string, config: Record<string, string>) {
  return rest(`${url}/connectors/${encodeURIComponent(name)}/config`, { timeoutMs, method: 'PUT', body: config });
}
