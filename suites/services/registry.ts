// Services suite, schema registries: both reachable, Summit and LDF serve the same subjects with the same
// schema ids (the LDF registry is fed by replication), and the compatibility level is the configured one.
import { check, nothingToJudge, type Outcome } from '../../src/suite.ts';
import { runContext, threshold } from '../../src/context.ts';
import { compatibility, effectiveCompatibilityOfAll, latestOfAll, subjects } from '../../src/probes/registry.ts';
import { compareRegistries, subjectOverrides, type SubjectHead } from '../../src/services/registry.ts';
import { errorOutcome, skipBecause } from '../../src/services/outcome.ts';
import { listSome } from '../../src/services/kafka.ts';

const { profile } = runContext();
const SIDES = ['summit', 'ldf'] as const;
type Side = (typeof SIDES)[number];

const listed = new Map<Side, Promise<{ names: string[]; ms: number }>>();
function subjectList(side: Side) {
  let p = listed.get(side);
  if (!p) {
    p = (async () => {
      const t0 = performance.now();
      const names = await subjects(profile.registry[side].url, profile.timeout_ms);
      return { names: names.sort(), ms: performance.now() - t0 };
    })();
    listed.set(side, p);
  }
  return p;
}

check('services.registry.reachable', () =>
  Promise.all(
    SIDES.map(async (side): Promise<Outcome> => {
      const target = `registry-${side}`;
      try {
        const { names, ms } = await subjectList(side);
        return {
          target,
          status: 'pass',
          reason: 'ok',
          message: `Schema registry ${side} (${profile.registry[side].url}) lists ${names.length} subject(s).`,
          measurements: { subjects: names.length, latency_ms: Math.round(ms) },
        };
      } catch (e) {
        return { ...errorOutcome(e, target), status: 'fail', hint: `Is the ${side} registry up and ${profile.registry[side].url} reachable?` };
      }
    }),
  ),
);

check('services.registry.parity', async () => {
  const concurrency = threshold<number>('services.registry.parity', 'concurrency');
  const heads = new Map<Side, Map<string, SubjectHead>>();
  for (const side of SIDES) {
    let names: string[];
    try {
      names = (await subjectList(side)).names;
    } catch {
      return skipBecause('services.registry.reachable', `the ${side} registry could not be read`, 'registries');
    }
    try {
      heads.set(side, await latestOfAll(profile.registry[side].url, profile.timeout_ms, names, concurrency));
    } catch (e) {
      return errorOutcome(e, 'registries');
    }
  }
  const v = compareRegistries(heads.get('summit')!, heads.get('ldf')!);
  const measurements = {
    subjects_summit: heads.get('summit')!.size,
    subjects_ldf: heads.get('ldf')!.size,
    subjects_only_summit: v.onlySummit.length,
    subjects_only_ldf: v.onlyLdf.length,
    subjects_differing: v.differing.length,
  };
  const evidence = {
    only_summit: v.onlySummit.slice(0, 50),
    only_ldf: v.onlyLdf.slice(0, 50),
    differing: v.differing.slice(0, 50).map((d) => `${d.subject}: summit v${d.summit.version} id ${d.summit.id}, ldf v${d.ldf.version} id ${d.ldf.id}`),
  };
  const problems = v.onlySummit.length + v.onlyLdf.length + v.differing.length;
  if (problems) {
    const parts = [];
    if (v.onlySummit.length) parts.push(`${v.onlySummit.length} only at the Summit (${listSome(v.onlySummit, 3)})`);
    if (v.onlyLdf.length) parts.push(`${v.onlyLdf.length} only at LDF (${listSome(v.onlyLdf, 3)})`);
    if (v.differing.length) parts.push(`${v.differing.length} with another latest version or id (${listSome(evidence.differing, 2)})`);
    return {
      target: 'registries',
      status: 'fail',
      reason: 'parity',
      message: `The registries disagree on ${problems} subject(s): ${parts.join('; ')}.`,
      hint: 'The registry storage topic is not (yet) replicated: look at replicator-mirror-source (services.connect.state). Records whose schema id LDF does not know are dropped by the sink.',
      measurements,
      evidence,
    };
  }
  if (!v.common) return nothingToJudge('Neither registry serves a subject', { target: 'registries', measurements });
  return {
    target: 'registries',
    status: 'pass',
    reason: 'ok',
    message: `Both registries serve the same ${v.common} subject(s) with the same latest versions and schema ids.`,
    measurements,
  };
});

check('services.registry.compatibility', async () => {
  const expected = threshold<string>('services.registry.compatibility', 'level').toUpperCase();
  const concurrency = threshold<number>('services.registry.compatibility', 'concurrency');
  return Promise.all(
    SIDES.map(async (side): Promise<Outcome> => {
      const target = `registry-${side}`;
      const url = profile.registry[side].url;
      let names: string[];
      try {
        names = (await subjectList(side)).names;
      } catch {
        return skipBecause('services.registry.reachable', `the ${side} registry could not be read`, target);
      }
      try {
        const global = await compatibility(url, profile.timeout_ms);
        const overrides = subjectOverrides(await effectiveCompatibilityOfAll(url, profile.timeout_ms, names, concurrency), expected);
        const measurements = { subjects: names.length, subjects_other_level: overrides.length };
        const problems: string[] = [];
        if ((global ?? '').toUpperCase() !== expected) problems.push(`global level is ${global ?? 'unset'}`);
        if (overrides.length) problems.push(`${overrides.length} subject(s) are held to another level (${listSome(overrides.map((o) => `${o.subject}: ${o.level}`), 3)})`);
        if (problems.length)
          return {
            target,
            status: 'fail',
            reason: 'policy',
            message: `Registry ${side}: expected compatibility ${expected}, but ${problems.join('; ')}.`,
            hint: `Set it with PUT ${url}/config {"compatibility":"${expected}"} (and per subject under /config/<subject>), or change services.registry.compatibility.level in the profile.`,
            measurements,
            evidence: { global, overrides: overrides.slice(0, 50) },
          };
        return { target, status: 'pass', reason: 'ok', message: `Registry ${side}: compatibility ${expected} globally and for every subject that sets its own.`, measurements };
      } catch (e) {
        return errorOutcome(e, target);
      }
    }),
  );
});
