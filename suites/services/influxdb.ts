// Services suite, InfluxDB: version, auth (read-only user accepted, anonymous refused), the database
// exists, and its default retention policy is the one the manifests declare; then phase 2 (aggregation
// and long-term retention: the CQs and retention tiers the manifests declare, judged live).
import { check, type Outcome } from '../../src/suite.ts';
import { runContext, threshold } from '../../src/context.ts';
import { readCredentials } from '../../src/config/secrets.ts';
import { ident, ping, query, queryRaw, type InfluxAuth } from '../../src/probes/influx.ts';
import { defaultRetention, loadRetention } from '../../src/model/influx.ts';
import { compareVersions, hoursText, parseRetentionRows } from '../../src/services/influx.ts';
import { errorOutcome } from '../../src/services/outcome.ts';
import { runPhase2 } from '../../src/phase2/run.ts';
import { PHASE2_CHECK_IDS } from '../../src/phase2/verdicts.ts';

const { profile } = runContext();
const { url, database } = profile.influxdb;
const target = 'influxdb';

function readAuth(): InfluxAuth | undefined {
  return profile.influxdb.read ? readCredentials(profile.influxdb.read) : undefined;
}

check('services.influxdb.version', async () => {
  const min = String(threshold<string>('services.influxdb.version', 'min_version'));
  try {
    const p = await ping(url, profile.timeout_ms);
    const measurements = { latency_ms: Math.round(p.ms) };
    if (p.status !== 204 && p.status !== 200)
      return { target, status: 'fail', reason: 'http_status', message: `InfluxDB ${url}/ping answered HTTP ${p.status}, not 204.`, measurements };
    if (!p.version)
      return { target, status: 'fail', reason: 'policy', message: `InfluxDB ${url}/ping gave no X-Influxdb-Version header: is this InfluxDB?`, measurements };
    if (compareVersions(p.version, min) < 0)
      return {
        target,
        status: 'fail',
        reason: 'policy',
        message: `InfluxDB ${p.version} is older than the minimum ${min}.`,
        hint: 'The EFD needs the 1.x API (InfluxQL) at ≥ the minimum version; upgrade, or change services.influxdb.version.min_version.',
        measurements,
        evidence: { version: p.version },
      };
    return { target, status: 'pass', reason: 'ok', message: `InfluxDB ${p.version} answers /ping (minimum ${min}).`, measurements, evidence: { version: p.version } };
  } catch (e) {
    return { ...errorOutcome(e, target), status: 'fail' };
  }
});

check('services.influxdb.auth', async () => {
  let auth: InfluxAuth | undefined;
  try {
    auth = readAuth();
  } catch (e) {
    return errorOutcome(e, target);
  }
  if (!auth) return { target, status: 'skip', reason: 'skipped', message: 'The profile names no read-only user (influxdb.read); auth was not tested.' };
  try {
    const [withUser, anonymous] = await Promise.all([
      queryRaw(url, profile.timeout_ms, 'SHOW DATABASES', { auth }),
      queryRaw(url, profile.timeout_ms, 'SHOW DATABASES'),
    ]);
    const measurements = { status_with_user: withUser.status, status_anonymous: anonymous.status };
    const problems: string[] = [];
    if (withUser.status !== 200 || withUser.error) problems.push(`the read-only user was refused (HTTP ${withUser.status}${withUser.error ? `: ${withUser.error}` : ''})`);
    if (anonymous.status !== 401) problems.push(`a query without credentials answered HTTP ${anonymous.status}, not 401`);
    if (problems.length)
      return {
        target,
        status: 'fail',
        reason: 'auth',
        message: `InfluxDB auth is wrong: ${problems.join('; ')}.`,
        hint:
          anonymous.status !== 401
            ? 'Authentication is off: set http.auth-enabled = true (the LDF runs with auth_enabled: true).'
            : 'Check the read-only user and its password (profile influxdb.read) and its READ grant on the database.',
        measurements,
      };
    return { target, status: 'pass', reason: 'ok', message: 'InfluxDB accepts the read-only user and refuses anonymous queries with 401.', measurements };
  } catch (e) {
    return errorOutcome(e, target);
  }
});

check('services.influxdb.database', async () => {
  try {
    const series = await query(url, profile.timeout_ms, 'SHOW DATABASES', { auth: readAuth() });
    const names = (series[0]?.values ?? []).map((v) => String(v[0]));
    if (!names.includes(database))
      return {
        target,
        status: 'fail',
        reason: 'missing',
        message: `InfluxDB has no database ${database} visible to the read-only user (sees: ${names.join(', ') || 'none'}).`,
        hint: `Create it (the manifests' .iql init script) or grant READ ON "${database}" to the read-only user.`,
        evidence: { databases: names },
      };
    return { target, status: 'pass', reason: 'ok', message: `InfluxDB database ${database} exists.`, evidence: { databases: names } };
  } catch (e) {
    return errorOutcome(e, target);
  }
});

check('services.influxdb.retention', async (): Promise<Outcome> => {
  let decl;
  try {
    decl = defaultRetention(loadRetention(profile.manifests), database);
  } catch (e) {
    return { ...errorOutcome(e, target, `the manifests in ${profile.manifests} could not be read`), reason: 'internal' };
  }
  if (!decl)
    return { target, status: 'skip', reason: 'skipped', message: `The manifests (${profile.manifests}) declare no retention for database ${database}.` };
  try {
    const series = await query(url, profile.timeout_ms, `SHOW RETENTION POLICIES ON ${ident(database)}`, { auth: readAuth() });
    const live = parseRetentionRows(series[0]?.columns ?? [], series[0]?.values ?? []);
    const def = live.find((p) => p.isDefault);
    const measurements = { declared_hours: decl.hours, ...(def ? { live_hours: def.hours } : {}) };
    const evidence = { declared: `${decl.policy} ${hoursText(decl.hours)} (${decl.file}:${decl.line})`, live: live.map((p) => `${p.name} ${hoursText(p.hours)}${p.isDefault ? ' default' : ''}`) };
    if (!def)
      return { target, status: 'fail', reason: 'missing', message: `Database ${database} has no default retention policy.`, measurements, evidence };
    if (Math.abs(def.hours - decl.hours) > 1e-6)
      return {
        target,
        status: 'fail',
        reason: 'drift',
        message: `The default retention policy of ${database} (${def.name}) keeps ${hoursText(def.hours)}, the manifests declare ${hoursText(decl.hours)} (${decl.file}:${decl.line}).`,
        hint: `Someone altered it by hand: ALTER RETENTION POLICY ${ident(def.name)} ON ${ident(database)} DURATION ${decl.hours === 0 ? 'INF' : `${decl.hours}h`} — or change the manifests.`,
        measurements,
        evidence,
      };
    return {
      target,
      status: 'pass',
      reason: 'ok',
      message: `The default retention policy of ${database} (${def.name}) keeps ${hoursText(def.hours)}, as the manifests declare.`,
      measurements,
      evidence,
    };
  } catch (e) {
    return errorOutcome(e, target);
  }
});

// ── Phase 2: roll-ups and long-term retention (src/phase2; each check skips when no CQ is declared) ──
// Up to 7 InfluxDB round trips one after another, each bounded by timeout_ms.
let phase2: ReturnType<typeof runPhase2> | undefined;
for (const id of PHASE2_CHECK_IDS) check(id, async () => (await (phase2 ??= runPhase2(profile))).verdicts[id], { timeoutMs: 8 * profile.timeout_ms + 5000 });
