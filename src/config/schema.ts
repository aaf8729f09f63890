// The JSON schema of a profile file. Every object is closed (additionalProperties: false) so a typo is an
// error, not a silently ignored key. `title` on a leaf says in words what a value must look like; the
// profile loader puts it into the one-sentence error.
import { Ajv, type ErrorObject } from 'ajv';

export const HOST_PORT = '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):[0-9]{1,5}$';
export const HOST_OR_HOST_PORT = '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+)(:[0-9]{1,5})?$';

const hostPort = { type: 'string', pattern: HOST_PORT, title: 'host:port' };
const url = { type: 'string', pattern: '^https?://', title: 'an http:// or https:// URL' };
const nonEmpty = { type: 'string', minLength: 1 };

/** A secret is a reference, never a value: `{env: NAME}` or `{file: PATH}`. */
const secretRef = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: {
    env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', title: 'an environment variable name' },
    file: nonEmpty,
  },
};

const credentials = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: { username: { $ref: '#/definitions/secret' }, password: { $ref: '#/definitions/secret' } },
};

const kafkaEndpoint = {
  type: 'object',
  additionalProperties: false,
  required: ['bootstrap'],
  properties: {
    bootstrap: { type: 'array', minItems: 1, items: hostPort },
    brokers: { type: 'integer', minimum: 1 },
  },
};

export const PROFILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['env', 'vantage', 'manifests', 'kafka', 'registry', 'connect', 'influxdb', 'ingress'],
  definitions: { secret: secretRef, credentials },
  properties: {
    env: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$', title: 'a short lower-case name (letters, digits, - or _)' },
    vantage: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$', title: 'a short lower-case name (letters, digits, - or _)' },
    production: { type: 'boolean' },
    phase: { type: 'string', enum: ['pre-deploy', 'deployed'] },
    manifests: nonEmpty,
    timeout_ms: { type: 'integer', minimum: 1, maximum: 600000 },
    kafka: {
      type: 'object',
      additionalProperties: false,
      required: ['summit', 'ldf'],
      properties: { summit: kafkaEndpoint, ldf: kafkaEndpoint },
    },
    registry: {
      type: 'object',
      additionalProperties: false,
      required: ['summit', 'ldf'],
      properties: {
        summit: { type: 'object', additionalProperties: false, required: ['url'], properties: { url } },
        ldf: { type: 'object', additionalProperties: false, required: ['url'], properties: { url } },
      },
    },
    connect: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: { url, jmx: hostPort, config_topic: nonEmpty },
    },
    influxdb: {
      type: 'object',
      additionalProperties: false,
      required: ['url', 'database'],
      properties: {
        url,
        database: nonEmpty,
        read: { $ref: '#/definitions/credentials' },
        admin: { $ref: '#/definitions/credentials' },
      },
    },
    ingress: {
      type: 'object',
      additionalProperties: false,
      properties: {
        https_port: { type: 'integer', minimum: 1, maximum: 65535 },
        http_port: { type: 'integer', minimum: 1, maximum: 65535 },
        ca_bundle: nonEmpty,
        resolve: {
          type: 'object',
          additionalProperties: { type: 'string', pattern: HOST_OR_HOST_PORT, title: '"address" or "address:port"' },
        },
        extra_hosts: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', title: 'a host name' } },
        expect_refused: { type: 'boolean' },
      },
    },
    markers: {
      type: 'object',
      additionalProperties: false,
      properties: { topic: nonEmpty, count: { type: 'integer', minimum: 1, maximum: 100000 } },
    },
    load: {
      type: 'object',
      additionalProperties: false,
      properties: {
        topic_prefix: nonEmpty,
        max_rate_bytes_per_s: { type: 'number', exclusiveMinimum: 0 },
        max_duration_s: { type: 'number', exclusiveMinimum: 0 },
      },
    },
    thresholds: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: { type: ['number', 'string', 'boolean'] },
      },
    },
    kubernetes: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kubeconfig: nonEmpty,
        context: nonEmpty,
        in_cluster: { type: 'boolean' },
        argocd_namespace: nonEmpty,
        project: nonEmpty,
        cronjob: { type: 'string', pattern: '^[a-z0-9-]+/[a-z0-9-]+$', title: 'namespace/name' },
        storage_class: nonEmpty,
        connect_namespace: nonEmpty,
      },
    },
    report: {
      type: 'object',
      additionalProperties: false,
      properties: {
        influxdb: {
          type: 'object',
          additionalProperties: false,
          required: ['enabled'],
          properties: {
            enabled: { type: 'boolean' },
            url,
            database: nonEmpty,
            credentials: { $ref: '#/definitions/credentials' },
          },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
const validate = ajv.compile(PROFILE_SCHEMA);

/** Ajv's errors for a parsed profile (empty when it fits the schema). */
export function schemaErrors(raw: unknown): ErrorObject[] {
  return validate(raw) ? [] : [...(validate.errors ?? [])];
}
