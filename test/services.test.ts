// Unit tests of the services suite's judgement (no stack): drift with masking, connector states,
// registry parity, partition health, versions and retention parsing.
import { describe, expect, test } from 'vitest';
import { describeDiffs, diffConfig, isSecretKey, MASK } from '../src/services/drift.ts';
import { compareDeclared, judgeConnectorState, traceHead } from '../src/services/connect.ts';
import { compareRegistries, subjectOverrides } from '../src/services/registry.ts';
import { eventPartitionViolations, judgeBrokers, partitionProblems } from '../src/services/kafka.ts';
import { compareVersions, influxDurationHours, parseRetentionRows } from '../src/services/influx.ts';
import { servicesChecks } from '../src/catalog/services.ts';
import { getCheck } from '../src/catalog/index.ts';

describe('connector drift', () => {
  test('names missing, extra and changed keys and ignores Connect\'s own name key', () => {
    const d = diffConfig({ a: '1', b: '2', c: '3' }, { a: '1', b: '20', d: '4', name: 'x' });
    expect(d).toEqual([
      { key: 'b', kind: 'changed', declared: '2', live: '20' },
      { key: 'c', kind: 'missing', declared: '3' },
      { key: 'd', kind: 'extra', live: '4' },
    ]);
    expect(describeDiffs(d)).toBe('changed b: 2 → 20; missing c (declared 3); extra d (live 4)');
  });

  test('masks secret-looking values but keeps converter keys readable', () => {
    for (const k of ['connect.influx.password', 'sasl.jaas.config', 'ssl.key', 'api.key', 'oauth.token', 'client.secret', 'aws.credentials'])
      expect(isSecretKey(k), k).toBe(true);
    for (const k of ['key.converter', 'tasks.max', 'topics', 'ssl.keystore.location']) expect(isSecretKey(k), k).toBe(false);
    const d = diffConfig({ 'connect.influx.password': 'hunter2' }, { 'connect.influx.password': 'other', 'sasl.jaas.config': 'x y z' });
    expect(JSON.stringify(d)).not.toMatch(/hunter2|other|x y z/);
    expect(d[0]).toMatchObject({ declared: MASK, live: MASK });
  });
});

describe('connector state', () => {
  test('RUNNING connector and tasks pass, zero tasks is legal', () => {
    expect(judgeConnectorState({ name: 'c', connector: { state: 'RUNNING', worker_id: 'w' }, tasks: [] }).ok).toBe(true);
  });
  test('a FAILED task is named and its trace comes back with the innermost cause', () => {
    const trace = 'org.apache.kafka.common.config.ConfigException: bad\n\tat a\n\tat b\n\tat c\n\tat d\n\tat e\n\tat f\nCaused by: java.lang.IllegalArgumentException: deep';
    const v = judgeConnectorState({
      name: 'c',
      connector: { state: 'RUNNING', worker_id: 'w' },
      tasks: [{ id: 0, state: 'FAILED', worker_id: 'w', trace }],
    });
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual(['task 0 FAILED']);
    expect(v.trace).toContain('ConfigException: bad');
    expect(v.trace).toContain('Caused by: java.lang.IllegalArgumentException: deep');
    expect(traceHead('x')).toBe('x');
  });
  test('PAUSED counts as not running', () => {
    expect(judgeConnectorState({ name: 'c', connector: { state: 'PAUSED', worker_id: 'w' }, tasks: [{ id: 0, state: 'PAUSED', worker_id: 'w' }] }).problems).toEqual([
      'connector PAUSED',
      'task 0 PAUSED',
    ]);
  });
  test('declared vs live', () => {
    expect(compareDeclared(['a', 'b'], ['b', 'c'])).toEqual({ absent: ['a'], undeclared: ['c'], present: ['b'] });
  });
});

describe('registry parity', () => {
  test('subjects on one side only, and differing ids or versions', () => {
    const v = compareRegistries(
      new Map([
        ['a', { version: 1, id: 1 }],
        ['b', { version: 2, id: 5 }],
        ['c', { version: 1, id: 3 }],
      ]),
      new Map([
        ['b', { version: 2, id: 6 }],
        ['c', { version: 1, id: 3 }],
        ['d', { version: 1, id: 9 }],
      ]),
    );
    expect(v.onlySummit).toEqual(['a']);
    expect(v.onlyLdf).toEqual(['d']);
    expect(v.differing.map((x) => x.subject)).toEqual(['b']);
    expect(v.common).toBe(2);
  });
  test('subject-level compatibility overrides', () => {
    const o = subjectOverrides(new Map([['a', 'BACKWARD'], ['b', null], ['c', 'NONE']]), 'backward');
    expect(o).toEqual([{ subject: 'c', level: 'NONE' }]);
  });
});

describe('kafka cluster facts', () => {
  test('broker count and controller', () => {
    expect(judgeBrokers({ brokers: [{ nodeId: 1 }], controller: 1 }, 1).ok).toBe(true);
    expect(judgeBrokers({ brokers: [{ nodeId: 1 }], controller: 1 }, 3).problems).toEqual(['1 broker answer, 3 expected']);
    expect(judgeBrokers({ brokers: [{ nodeId: 1 }], controller: null }).problems).toEqual(['no controller is known']);
    expect(judgeBrokers({ brokers: [{ nodeId: 1 }], controller: 7 }).problems[0]).toMatch(/not among/);
  });
  test('offline and under-replicated partitions', () => {
    const p = partitionProblems([
      {
        name: 't',
        partitions: [
          { partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2], offlineReplicas: [] },
          { partition: 1, leader: -1, replicas: [1, 2], isr: [], offlineReplicas: [] },
          { partition: 2, leader: 1, replicas: [1, 2], isr: [1], offlineReplicas: [] },
          { partition: 3, leader: 1, replicas: [1, 2], isr: [1], offlineReplicas: [2] },
        ],
      },
    ]);
    expect(p.map((x) => [x.partition, x.problem])).toEqual([
      [1, 'offline'],
      [2, 'under_replicated'],
      [3, 'offline'],
    ]);
  });
  test('event topics must have one partition, telemetry may have more', () => {
    const one = { partition: 0, leader: 1, replicas: [1], isr: [1], offlineReplicas: [] };
    const v = eventPartitionViolations([
      { name: 'lsst.sal.ATDome.logevent_heartbeat', partitions: [one, { ...one, partition: 1 }] },
      { name: 'lsst.sal.ATDome.logevent_summaryState', partitions: [one] },
      { name: 'lsst.sal.ATDome.position', partitions: [one, { ...one, partition: 1 }] },
    ]);
    expect(v).toEqual([{ topic: 'lsst.sal.ATDome.logevent_heartbeat', partitions: 2 }]);
  });
});

describe('influxdb facts', () => {
  test('versions compare numerically', () => {
    expect(compareVersions('1.8.10', '1.8.5')).toBe(1);
    expect(compareVersions('v1.8.0', '1.8')).toBe(0);
    expect(compareVersions('1.6.7-rc0', '1.8.0')).toBe(-1);
  });
  test('retention rows', () => {
    expect(influxDurationHours('4380h0m0s')).toBe(4380);
    expect(influxDurationHours('0s')).toBe(0);
    const rows = parseRetentionRows(['name', 'duration', 'shardGroupDuration', 'replicaN', 'default'], [['autogen', '4380h0m0s', '168h0m0s', 1, true]]);
    expect(rows).toEqual([{ name: 'autogen', hours: 4380, shardHours: 168, isDefault: true }]);
  });
});

test('every services check is in the catalog with at least one failing reason', () => {
  for (const c of servicesChecks) {
    expect(getCheck(c.id)).toBe(c);
    expect(c.reasons.filter((r) => r !== 'skipped').length).toBeGreaterThan(0);
  }
});
