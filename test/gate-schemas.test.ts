// No custom resource is validated loosely: Strimzi Kafka, KafkaTopic and KafkaUser have strict schemas,
// like KafkaConnect, KafkaConnector, Application, VaultSecret and ExternalSecret. Offline.
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { loadManifestSet, type ManifestObject } from '../src/model/manifest-set.ts';
import { assertKnownKinds, validateObject } from '../src/gate/schema.ts';

const FIX = resolve(import.meta.dirname, '../fixtures/gate/custom-resources');

function objects(): ManifestObject[] {
  const set = loadManifestSet(FIX);
  assertKnownKinds(set);
  return set.objects;
}

test('valid Strimzi Kafka, KafkaTopic and KafkaUser pass their schemas', () => {
  const objs = objects();
  expect(objs.map((o) => o.object.kind)).toEqual(['Kafka', 'KafkaTopic', 'KafkaUser']);
  for (const mo of objs) expect(validateObject(mo).map((h) => h.message), mo.ref).toEqual([]);
});

const BROKEN: Array<[string, (o: any) => void, RegExp]> = [
  ['Kafka', (o) => (o.spec.kafka.listeners[0].type = 'external'), /listeners\.0\.type: must be one of internal/],
  ['Kafka', (o) => (o.spec.kafka.storage.volumes[0].sise = '1Gi'), /unknown field "sise"/],
  ['Kafka', (o) => delete o.spec.kafka.listeners, /missing required field "listeners"/],
  ['KafkaTopic', (o) => delete o.metadata.labels, /missing required field "labels"/],
  ['KafkaTopic', (o) => (o.spec.partitons = 3), /unknown field "partitons"/],
  ['KafkaUser', (o) => (o.spec.authentication.type = 'scram-sha-256'), /authentication\.type: must be one of tls, tls-external, scram-sha-512/],
  ['KafkaUser', (o) => (o.spec.authorization.acls[0].operations = ['Reed']), /operations\.0: must be one of/],
];
for (const [kind, breakIt, re] of BROKEN) {
  test(`${kind}: ${re.source}`, () => {
    const mo = objects().find((o) => o.object.kind === kind)!;
    const copy = { ...mo, object: structuredClone(mo.object) };
    breakIt(copy.object);
    expect(validateObject(copy).map((h) => h.message).join('\n')).toMatch(re);
  });
}

test('KafkaConnect pod template is strict now (it was any object)', () => {
  const connect = loadManifestSet(join(FIX, '../../../manifests/ldf/kafka-connect/connect.yaml')).objects[0];
  const copy = { ...connect, object: structuredClone(connect.object) };
  copy.object.spec.template.pod.securityContext.runAsNonroot = true;
  expect(validateObject(copy).map((h) => h.message).join('\n')).toMatch(/unknown field "runAsNonroot"/);
});
