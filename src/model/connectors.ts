// Kafka Connect connectors as declared in the manifests: Strimzi-style KafkaConnector objects
// (kind KafkaConnector, spec.class, spec.tasksMax, spec.config), the form the EFD's successor uses.
import { loadObjects, type Located, type K8sObject } from './k8s.ts';

export interface ConnectorDecl {
  name: string;
  /** the flat config as Kafka Connect's REST API shows it (`connector.class`, `tasks.max`, …) */
  config: Record<string, string>;
  file: string;
  line: number;
}

export function connectorFromObject({ object, file, line }: Located<K8sObject>): ConnectorDecl {
  const spec = object.spec ?? {};
  const config: Record<string, string> = { 'connector.class': String(spec.class) };
  if (spec.tasksMax !== undefined) config['tasks.max'] = String(spec.tasksMax);
  for (const [k, v] of Object.entries(spec.config ?? {})) config[k] = String(v);
  return { name: object.metadata.name, config, file, line };
}

export function loadConnectors(dir: string): ConnectorDecl[] {
  return loadObjects(dir)
    .filter((o) => o.object.kind === 'KafkaConnector')
    .map(connectorFromObject);
}
