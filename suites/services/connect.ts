// Services suite, Kafka Connect: connectors and tasks RUNNING (a FAILED one with its trace), the declared
// connectors exist, and each one's live config equals the manifests (drift, secrets masked); the
// Replicator licence clock.
import { check, nothingToJudge, type Outcome } from '../../src/suite.ts';
import { runContext } from '../../src/context.ts';
import { allConnectors, describeStatus, type ConnectorInfo, type ConnectorStatus } from '../../src/probes/connect.ts';
import { loadConnectors, type ConnectorDecl } from '../../src/model/connectors.ts';
import { compareDeclared, judgeConnectorState } from '../../src/services/connect.ts';
import { describeDiffs, diffConfig } from '../../src/services/drift.ts';
import { errorOutcome, skipBecause } from '../../src/services/outcome.ts';
import { listSome } from '../../src/services/kafka.ts';
import { runLicence } from '../../src/licence/run.ts';

const { profile } = runContext();
const url = profile.connect.url;

let live: Promise<Array<{ info: ConnectorInfo; status: ConnectorStatus }>> | undefined;
const connectors = () => (live ??= allConnectors(url, profile.timeout_ms));

let declared: ConnectorDecl[] | undefined;
const manifests = () => (declared ??= loadConnectors(profile.manifests));

/** Both sides' facts, or the outcome that explains why a check cannot judge. */
async function both(): Promise<{ decls: ConnectorDecl[]; list: Array<{ info: ConnectorInfo; status: ConnectorStatus }> } | Outcome> {
  let decls;
  try {
    decls = manifests();
  } catch (e) {
    return { ...errorOutcome(e, 'connect', `the manifests in ${profile.manifests} could not be read`), reason: 'internal' };
  }
  try {
    return { decls, list: await connectors() };
  } catch {
    return skipBecause('services.connect.reachable', 'Kafka Connect could not be read', 'connect');
  }
}

check('services.connect.reachable', async () => {
  try {
    const t0 = performance.now();
    const list = await connectors();
    return {
      target: 'connect',
      status: 'pass',
      reason: 'ok',
      message: `Kafka Connect at ${url} answered with ${list.length} connector(s): ${list.map((c) => c.info.name).sort().join(', ') || 'none'}.`,
      measurements: { connectors: list.length, latency_ms: Math.round(performance.now() - t0) },
    };
  } catch (e) {
    return { ...errorOutcome(e, 'connect'), status: 'fail', hint: `Is the Connect worker up and ${url} reachable from this vantage point?` };
  }
});

check('services.connect.state', async () => {
  let list;
  try {
    list = await connectors();
  } catch {
    return skipBecause('services.connect.reachable', 'Kafka Connect could not be read', 'connect');
  }
  if (!list.length) return { target: 'connect', status: 'skip', reason: 'skipped', message: 'No connector runs on this Connect cluster (see services.connect.declared).' };
  return list
    .sort((a, b) => a.info.name.localeCompare(b.info.name))
    .map(({ info, status }): Outcome => {
      const v = judgeConnectorState(status);
      const evidence = { connector: status.connector.state, tasks: status.tasks.map((t) => ({ id: t.id, state: t.state, worker: t.worker_id })) };
      const measurements = { tasks: status.tasks.length, tasks_running: status.tasks.filter((t) => t.state === 'RUNNING').length };
      if (!v.ok)
        return {
          target: info.name,
          status: 'fail',
          reason: 'state',
          message: `Connector ${info.name} is not running: ${v.problems.join(', ')}.`,
          hint: v.trace
            ? `${v.trace}\n(restart with POST /connectors/${info.name}/restart?includeTasks=true&onlyFailed=true once fixed)`
            : status.connector.state === 'PAUSED'
              ? `Resume it: PUT /connectors/${info.name}/resume.`
              : `Look at the Connect worker log for ${info.name}.`,
          measurements,
          evidence,
        };
      return { target: info.name, status: 'pass', reason: 'ok', message: describeStatus(status) + '.', measurements, evidence };
    });
});

check('services.connect.declared', async () => {
  const f = await both();
  if (!('decls' in f)) return f;
  const { decls, list } = f;
  const v = compareDeclared(decls.map((d) => d.name), list.map((c) => c.info.name));
  const measurements = { declared: decls.length, live: list.length, absent: v.absent.length, undeclared: v.undeclared.length };
  const evidence = {
    absent: v.absent.map((n) => {
      const d = decls.find((x) => x.name === n)!;
      return `${n} (${d.file}:${d.line})`;
    }),
    undeclared: v.undeclared,
  };
  const out: Outcome[] = [];
  if (v.absent.length)
    out.push({
      target: 'connect',
      status: 'fail',
      reason: 'missing',
      message: `${v.absent.length} declared connector(s) do not exist live: ${listSome(evidence.absent, 5)}.`,
      hint: 'Create them from the manifests (Argo CD sync of the KafkaConnector objects, or PUT /connectors/<name>/config).',
      measurements,
      evidence,
    });
  // a connector nobody declared runs, but nothing in git says it should: worth a look, not a failure
  if (v.undeclared.length)
    out.push({
      target: 'connect',
      status: 'warn',
      reason: 'drift',
      message: `${v.undeclared.length} live connector(s) are not in the manifests: ${listSome(v.undeclared, 5)}.`,
      hint: 'Declare them as KafkaConnector objects, or delete them if nobody needs them.',
      measurements,
      evidence,
    });
  if (out.length) return out;
  if (!decls.length) return nothingToJudge('The manifests declare no connector and none runs live', { target: 'connect', measurements });
  return { target: 'connect', status: 'pass', reason: 'ok', message: `All ${decls.length} declared connectors exist live, and no other.`, measurements };
});

check('services.connect.drift', async () => {
  const f = await both();
  if (!('decls' in f)) return f;
  const { decls, list } = f;
  const byName = new Map(list.map((c) => [c.info.name, c.info.config]));
  const present = decls.filter((d) => byName.has(d.name));
  if (!present.length) return { target: 'connect', status: 'skip', reason: 'skipped', message: 'No declared connector exists live (see services.connect.declared).' };
  return present.map((d): Outcome => {
    const diffs = diffConfig(d.config, byName.get(d.name)!);
    const measurements = {
      keys_declared: Object.keys(d.config).length,
      keys_missing: diffs.filter((x) => x.kind === 'missing').length,
      keys_extra: diffs.filter((x) => x.kind === 'extra').length,
      keys_changed: diffs.filter((x) => x.kind === 'changed').length,
    };
    if (diffs.length)
      return {
        target: d.name,
        status: 'fail',
        reason: 'drift',
        message: `Connector ${d.name} differs from ${d.file}:${d.line} in ${diffs.length} key(s): ${describeDiffs(diffs)}.`,
        hint: 'Someone changed the live config by hand (PUT /connectors/…/config) or the manifests changed without a sync; re-apply the manifests.',
        measurements,
        evidence: { file: `${d.file}:${d.line}`, diffs },
      };
    return { target: d.name, status: 'pass', reason: 'ok', message: `Connector ${d.name} has exactly the config of ${d.file}:${d.line}.`, measurements };
  });
});

// ── The Replicator licence clock (src/licence): Confluent Replicator stops at the end of its trial or
// licence; MirrorMaker 2 and other connectors need none (their creation time is still shown) ──
check('services.connect.licence', async () => (await runLicence(profile)).outcomes, { timeoutMs: 8 * profile.timeout_ms + 5000 });
