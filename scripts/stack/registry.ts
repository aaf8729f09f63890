// The two schema registries: Apicurio Registry with kafkasql storage and its Confluent-compatible API.
// Summit's journals into summit Kafka; MirrorMaker 2 mirrors that journal to LDF, where a read-only
// instance replays it, so both serve the same schema ids (as the EFD replicated `_schemas`).
import { PROBE_MS, JOURNAL_TOPIC, SNAPSHOTS_TOPIC, state } from './paths.ts';
import { startDaemon } from './proc.ts';
import { JVM_COMMON } from './kafka.ts';

export const CCOMPAT = '/apis/ccompat/v7';

export interface RegistrySpec {
  name: string;
  port: number;
  managementPort: number;
  kafkaPort: number;
  readOnly: boolean;
  jar: string;
  java: string;
}

export function startRegistry(r: RegistrySpec): void {
  startDaemon({
    proc: r.name,
    cmd: r.java,
    args: ['-Xms128m', '-Xmx384m', ...JVM_COMMON, `-Defd.stack=${state.root}`, '-jar', r.jar],
    env: {
      QUARKUS_HTTP_HOST: '127.0.0.1',
      QUARKUS_HTTP_PORT: String(r.port),
      QUARKUS_MANAGEMENT_HOST: '127.0.0.1',
      QUARKUS_MANAGEMENT_PORT: String(r.managementPort),
      APICURIO_STORAGE_KIND: 'kafkasql',
      APICURIO_KAFKASQL_BOOTSTRAP_SERVERS: `127.0.0.1:${r.kafkaPort}`,
      APICURIO_KAFKASQL_TOPIC: JOURNAL_TOPIC,
      // both topics are pre-created by the stack (kafka.ts ensureRegistryTopics); one journal partition is
      // the only way MirrorMaker 2 keeps the journal's total order
      APICURIO_KAFKASQL_TOPIC_PARTITIONS: '1',
      APICURIO_KAFKASQL_SNAPSHOTS_TOPIC: SNAPSHOTS_TOPIC,
      APICURIO_KAFKASQL_CONSUMER_POLL_TIMEOUT: '1000',
      // schema id = content id on both sides (same content, same id, like Confluent)
      APICURIO_CCOMPAT_LEGACY_ID_MODE_ENABLED: 'false',
      APICURIO_STORAGE_READ_ONLY_ENABLED: String(r.readOnly),
      // tests delete their own subjects (through summit; the deletion replicates like any write)
      APICURIO_REST_DELETION_ARTIFACT_ENABLED: 'true',
      APICURIO_REST_DELETION_ARTIFACT_VERSION_ENABLED: 'true',
      APICURIO_REST_DELETION_GROUP_ENABLED: 'true',
      QUARKUS_LOG_CONSOLE_COLOR: 'false',
      QUARKUS_HTTP_ACCESS_LOG_ENABLED: 'false',
    },
  });
}

export async function registryReady(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}${CCOMPAT}/subjects`, { signal: AbortSignal.timeout(PROBE_MS) });
  await res.arrayBuffer();
  return res.status === 200;
}

/** Apicurio enforces no compatibility on registration unless a rule exists: set BACKWARD, as Confluent's default. */
export async function ensureGlobalCompatibility(port: number, level = 'BACKWARD'): Promise<void> {
  const url = `http://127.0.0.1:${port}${CCOMPAT}/config`;
  const headers = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
  const cur = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const body = cur.ok ? ((await cur.json()) as { compatibilityLevel?: string; compatibility?: string }) : {};
  if ((body.compatibilityLevel ?? body.compatibility) === level) return;
  const res = await fetch(url, { method: 'PUT', headers, body: JSON.stringify({ compatibility: level }), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`PUT ${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
}
