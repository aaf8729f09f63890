// Licence facts → services.connect.licence findings, one per connector. Pure (the facts carry `nowMs`).
import type { Outcome } from '../suite.ts';
import { nothingToJudge } from '../suite.ts';
import type { ConnectorLicence, LicenceFacts } from './facts.ts';

export interface LicenceThresholds {
  warnDays: number;
  trialDays: number;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Where the creation time came from, for messages and evidence. */
function createdText(f: LicenceFacts, c: ConnectorLicence): string {
  if (c.createdMs !== undefined) return `created ${iso(c.createdMs)} (first record of connector-${c.name} in ${f.configTopic}, offset ${c.createdOffset})`;
  if (!f.configTopic) return `creation time unknown: ${f.configTopicSource}`;
  if (f.scanError) return `creation time unknown: reading ${f.configTopic} failed: ${f.scanError}`;
  return `creation time unknown: no record of connector-${c.name} among the ${f.scanned} records of ${f.configTopic}`;
}

export function licenceVerdicts(f: LicenceFacts, t: LicenceThresholds): Outcome[] {
  if (!f.connectors.length) return [nothingToJudge('Kafka Connect runs no connector', { target: 'connect' })];
  return f.connectors.map((c) => verdict(f, c, t));
}

function verdict(f: LicenceFacts, c: ConnectorLicence, t: LicenceThresholds): Outcome {
  const target = `connect/${c.name}`;
  const created = createdText(f, c);
  const evidence: Record<string, unknown> = {
    class: c.className,
    config_topic: f.configTopic ?? null,
    config_topic_from: f.configTopicSource,
    records_scanned: f.scanned ?? null,
    created: c.createdMs !== undefined ? iso(c.createdMs) : null,
  };
  if (!c.confluent)
    return { target, status: 'skip', reason: 'skipped', message: `${c.name} (${c.className}) is not a Confluent connector, no licence needed; ${created}.`, evidence };

  let endMs: number;
  let what: string;
  if (c.licence.kind === 'jwt') {
    if (c.licence.claims.exp === undefined)
      return { target, status: 'fail', reason: 'schema', message: `The confluent.license of ${c.name} is a JWT without an exp claim: its expiry cannot be known.`, evidence };
    endMs = c.licence.claims.exp * 1000;
    what = `its licence (JWT exp, signature not verified)`;
    evidence.licence_exp = iso(endMs);
  } else if (c.licence.kind === 'reference') {
    return nothingToJudge(`The confluent.license of ${c.name} is a config-provider reference (${c.licence.text}), which the REST API does not resolve, so its expiry cannot be read`, { target, evidence });
  } else if (c.licence.kind === 'unreadable') {
    return { target, status: 'fail', reason: 'schema', message: `The confluent.license of ${c.name} cannot be read as a JWT (${c.licence.why}): Replicator will not accept it either.`, evidence };
  } else {
    if (c.createdMs === undefined)
      return { target, status: 'error', reason: 'missing', message: `${c.name} is Confluent Replicator without a licence, and its trial start is unknown: ${created}.`, hint: 'Set connect.config_topic in the profile to the worker\'s config.storage.topic.', evidence };
    endMs = c.createdMs + t.trialDays * DAY_MS;
    what = `its ${t.trialDays}-day trial (no confluent.license; ${created})`;
    evidence.trial_end = iso(endMs);
  }
  const daysLeft = (endMs - f.nowMs) / DAY_MS;
  const measurements = { days_left: Math.round(daysLeft * 10) / 10, warn_days: t.warnDays };
  if (daysLeft < 0)
    return {
      target,
      status: 'fail',
      reason: 'licence_expired',
      message: `${c.name} (Confluent Replicator) runs past the end of ${what}: it ended ${iso(endMs)}, ${(-daysLeft).toFixed(1)} days ago.`,
      hint: 'Replicator stops replicating without a valid licence: install a licence key (confluent.license), or replace it (MirrorMaker 2).',
      measurements,
      evidence,
    };
  if (daysLeft < t.warnDays)
    return {
      target,
      status: 'warn',
      reason: 'licence_expiring',
      message: `${c.name} (Confluent Replicator): ${what} ends ${iso(endMs)}, in ${daysLeft.toFixed(1)} days (warn below ${t.warnDays}).`,
      hint: 'Get a licence key from Confluent before then (the plan: "Figure out license with Confluent").',
      measurements,
      evidence,
    };
  return { target, status: 'pass', reason: 'ok', message: `${c.name} (Confluent Replicator): ${what} ends ${iso(endMs)}, in ${daysLeft.toFixed(0)} days.`, measurements, evidence };
}
